/** Public API of the core: pure TypeScript, no DOM, runs in Node and in a Web Worker. */
export { SLOT_COUNT, crc16, slotOfBytes } from './slots/crc16.ts';
export { newSpan, type TagSpan } from './slots/span.ts';
export { redisTag } from './slots/redis.ts';
export { STANDARD_RULES, standardTag, dependsOnNewlineMode } from './slots/standard.ts';
export {
  createCustomPolicy,
  redisPolicy,
  standardPolicy,
  keyErrorMessage,
  KEY_ERROR_CODES,
  KEY_TOO_LONG,
  NO_RULE_MATCHED,
  type CustomOptions,
  type Policy,
  type PolicyName,
} from './slots/policy.ts';
export { slotTable, INVALID_LINE, type SlotTable } from './slots/batch.ts';
export { parseKeyList, keyAt, type KeyList } from './input/keylist.ts';
export { MAX_KEY_BYTES, MAX_KEY_LABEL, keyTooLongMessage, lineTooLongMessage, maxLineBytes } from './input/limits.ts';
export { display, quote, unquote } from './input/quote.ts';
export { parseRules, MAX_RULES, MAX_RULE_BYTES, type RuleSet } from './rules/ruleset.ts';
export type { CompiledRule, ParsedRule, RegexEngine } from './rules/engine.ts';
export { createBytecodeEngine } from './rules/bytecode-engine.ts';
export { diagnostic, type Diagnostic, type Severity } from './diagnostics.ts';
export { utf8, latin1, fromLatin1, decodeUtf8Lenient, columnOf, concatBytes } from './bytes.ts';
export { tokenizeCommands, commandName, type CommandLine, type CommandLines } from './commands/tokenize.ts';
export { analyzeCommands, type CommandAnalysis, type CommandReport } from './commands/analyze.ts';
export { commandKeys, type CommandKeys } from './commands/keys.ts';
export { TARGETS, TARGET_LABELS, verdictFor, type Target, type TargetVerdict, type Verdict } from './commands/verdict.ts';
export {
  evenLayout,
  redisCliCreateLayout,
  parseTopology,
  formatRanges,
  type Topology,
  type TopologyResult,
  type Shard,
  type ShardMap,
} from './topology/index.ts';
export {
  distribution,
  slotSummary,
  type DistributionOptions,
  type Distribution,
  type SlotSummary,
  type HotTag,
  type SlotGroup,
} from './distribution/distribution.ts';
export { slotsOfFile, type FileSlotter } from './slots/scan.ts';
export { summarizeStream, type StreamSummary } from './stream/summary.ts';
export { KeyStream, segmentOf, orderBySlot, type KeyStreamOptions, type Segment, type StreamPolicy } from './stream/key-stream.ts';
export { migrationDiff, verdictChanges, type MigrationDiff, type MovedKey, type VerdictChange } from './distribution/migration.ts';
export { markdownReport, mdText, mdCode, commandVerdictLine, FLUSH_WARNING, REPORT_LIMITS, type ReportInput } from './report/markdown.ts';
export { shardRows, describeLayout, type ShardRow } from './report/shards.ts';
export { csvKeys, guardFormula } from './report/csv.ts';
export {
  parseKeyPatterns,
  isPatternLine,
  hasPlaceholder,
  parsePatternSyntax,
  type KeyPattern,
  type KeyPatternList,
  type PatternPart,
  type PatternProblem,
  type PatternSyntax,
} from './patterns/language/parse.ts';
export { DEFAULT_TYPE, acceptsValue, typeName, type PlaceholderType } from './patterns/language/types.ts';
export { typeOf, type Schema } from './patterns/language/schema.ts';
export { expandKeyList, instantiate, sampleBindings, sampleValue, edgeValues, type Binding, type ExpandedKeys } from './patterns/language/expand.ts';
export { createReasoner, type Reasoner, type ReasonOptions } from './patterns/reasoning/reason.ts';
export { conditionHolds, type Condition, type ConditionSpec } from './patterns/reasoning/symbolic.ts';
export { describeHashing, renderPattern } from './patterns/reasoning/model.ts';
export type { Decision, Example, GroupVerdict, GroupVerdictKind, Hashing, PatternHashing, PatternWarning, Witnesses } from './patterns/reasoning/model.ts';
export { parseCommandTemplates, type TemplateLine, type TemplateList } from './patterns/language/templates.ts';
export { analyzeTemplates, type TemplateReport, type TemplateVerdict } from './patterns/review/template-verdicts.ts';
export { suggestTemplateFix } from './patterns/review/fix.ts';
export {
  analyzePatterns,
  parsePatternDocuments,
  verdictMatrix,
  MAX_MATRIX_PATTERNS,
  type PairReport,
  type PatternDocuments,
  type PatternInputs,
  type PatternReport,
  type PatternSummary,
} from './patterns/review/analysis.ts';
// The one assembly of an analysis, used by the worker, the CLI and exports.
export {
  TEXT_KEYS_LIMIT,
  ruleInputOf,
  type AnalysisSources,
  type InputName,
  type Inputs,
  type LayoutChoice,
  type Problems,
  type Settings,
} from './analysis/inputs.ts';
export { blockedMessage, type Blocker } from './analysis/blockers.ts';
export { buildPolicies, type PolicySide } from './analysis/policies.ts';
export { buildLayout, type Layout } from './analysis/layout.ts';
export { reviewSampleCount, type CommandRow, type CommandsPart, type LineRange } from './analysis/commands.ts';
export {
  prepareAnalysis,
  type AnalysisDeps,
  type AnalysisOptions,
  type BlockedAnalysis,
  type PreparedAnalysis,
  type ReadyAnalysis,
} from './analysis/prepare.ts';
export { analyzeKeyText, streamOptions, summarizeKeyStream, type KeyStreamResult, type KeyText, type KeysSummary } from './analysis/keys.ts';
export { keyListRecords, keyRecord, lineErrors, locateRecord, placement, unreadableRecord, type KeyRecord, type Placement } from './analysis/records.ts';
export { reportInput, type ReportMeta } from './analysis/report.ts';
export { explainKey, type ExplainStep, type Explanation } from './analysis/explain.ts';
export { NO_OWNER } from './report/shards.ts';
export { append, maxOf } from './arrays.ts';
export { VERSION, GENERATED_BY } from './version.ts';
// For engines (adapters of the RegexEngine interface, the WebAssembly slotter): the rule AST and the CRC tables.
export { hasByte, type AssertKind, type ByteSet, type Node as RuleNode } from './rules/ast.ts';
export { alwaysSetsTag } from './rules/ruleset.ts';
export { CRC_TABLES } from './slots/crc16.ts';
export { rng } from './random.ts';
export { RecordLineWriter, type ShardLabels } from './analysis/record-lines.ts';
export { portabilityOf, PortabilityCounter, type PortabilityIssue, type PortabilityKind, type PortabilitySummary } from './analysis/portability.ts';
export { setupProblems, type SetupProblem } from './analysis/setups.ts';
