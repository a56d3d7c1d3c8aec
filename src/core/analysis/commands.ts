import { analyzeCommands, type CommandReport } from '../commands/analyze.ts';
import { commandKeys } from '../commands/keys.ts';
import type { CommandLine } from '../commands/tokenize.ts';
import { tokenizeCommands } from '../commands/tokenize.ts';
import { TARGETS, type Target, type TargetVerdict } from '../commands/verdict.ts';
import { diagnostic, type Diagnostic } from '../diagnostics.ts';
import type { ShardMap } from '../topology/types.ts';
import { verdictChanges, type VerdictChange } from '../distribution/migration.ts';
import {
  analyzePatterns,
  failureText,
  MAX_MATRIX_PATTERNS,
  parsePatternDocuments,
  type PatternDocuments,
  type PatternReport,
} from '../patterns/review/analysis.ts';
import { hasPlaceholder } from '../patterns/language/parse.ts';
import { templateUnits } from '../patterns/language/templates.ts';
import type { Policy } from '../slots/policy.ts';
import { concatBytes } from '../bytes.ts';
import type { Settings } from './inputs.ts';
import { portabilityOf } from './portability.ts';

const PLACEHOLDER = new Uint8Array([0x78]);
import type { PolicySide } from './policies.ts';

/** One ordinary command line as the Commands view shows it: the verdict on the chosen target, and on every target. */
export interface CommandRow {
  line: number;
  kind: 'command' | 'comment';
  command: string;
  keys: string[];
  slots: number[];
  verdict: TargetVerdict;
  all: Record<Target, TargetVerdict['verdict']>;
  suggestion?: string[];
  transaction?: { from: number; to: number };
  /** When the keys span slots: the one shard holding all of them, if there is one (same node ≠ same slot). */
  oneShard?: string;
}

/** A range of an input line, for editor highlights. */
export interface LineRange {
  line: number;
  start: number;
  end: number;
}

export interface CommandsPart {
  /** Every line of the Commands input, tokenized. */
  lines: CommandLine[];
  /** Ordinary command lines (not templates) under the main policy. */
  reports: CommandReport[];
  /** Lines that are command templates (or in a transaction with one): their verdicts are in `patterns`. */
  templateLines: ReadonlySet<number>;
  rows: CommandRow[];
  /** The Commands input's problems, CROSSSLOT markers included. */
  diagnostics: Diagnostic[];
  /** Warnings that are not verdicts (a script's undeclared key, WATCH in another slot …), for reports. */
  warnings: { line: number; message: string }[];
  /** Each command's key arguments, for the editor. */
  keyRanges: LineRange[];
  /** Key patterns and command templates, when an input has placeholders. */
  patterns: { docs: PatternDocuments; report: PatternReport } | null;
  /** With a second policy: ordinary commands whose verdict on the target changes. */
  verdictChanges: VerdictChange[] | null;
}

/**
 * Commands, templates and patterns under the main policy (and the compared one for verdict changes).
 * `keyText` is a typed key list (patterns in it are reviewed); null for a streamed key file.
 */
export function analyzeCommandInputs(
  commandText: Uint8Array,
  keyText: Uint8Array | null,
  main: PolicySide,
  compare: PolicySide | null,
  shards: ShardMap,
  settings: Settings,
  review: 'auto' | 'always' = 'auto',
): CommandsPart {
  const tokenized = tokenizeCommands(commandText);
  const diagnostics = tokenized.diagnostics.filter((x) => x.severity !== 'info');
  // Placeholders make a schema review: patterns in a typed key list, templates in Commands.
  const wanted = review === 'always' || (keyText && hasPlaceholder(keyText)) || hasPlaceholder(commandText);
  const docs = wanted ? parsePatternDocuments({ keys: keyText ?? new Uint8Array(), commands: commandText }) : null;
  const patterns = docs ? { docs, report: reviewPatterns(docs, main, settings.reviewSamples) } : null;
  // Template lines (and transactions holding one) get template verdicts; the rest are ordinary commands.
  const templated = docs ? templateLines(docs) : null;
  const ordinary = templated ? tokenized.lines.filter((cl) => !templated.has(cl.line)) : tokenized.lines;
  const analysis = analyzeCommands(ordinary, main.policy);
  for (const d of analysis.diagnostics) diagnostics.push(d);
  // A CROSSSLOT verdict on the chosen target is a marker on its line too, not only a table row.
  const nameSpan = new Map(tokenized.lines.map((cl) => [cl.line, cl.spans[0] ?? [1, 2]]));
  const target = settings.target;
  for (const r of analysis.reports) {
    const v = r.verdicts[target];
    if (v.verdict !== 'crossslot') continue;
    const fix = r.suggestion ? ` — fix: ${r.suggestion.join(' ')}` : '';
    const [from, to] = nameSpan.get(r.line) ?? [1, 2];
    diagnostics.push(diagnostic('warning', 'crossslot', `CROSSSLOT: ${v.reason}${fix}`, r.line, from, to));
  }
  if (patterns) {
    // A pattern written with an empty tag or several braces: its keys may hash differently under Redis and Standard.
    for (const p of patterns.docs.keys.patterns) {
      // The pattern's braces as written; a placeholder stands as one ordinary byte (it is not `{}`).
      const literal = concatBytes(p.parts.map((part) => (part.kind === 'lit' ? part.bytes : PLACEHOLDER)));
      const issue = portabilityOf(literal);
      if (issue) {
        const uses = issue.kind === 'empty-tag' ? 'an empty hash tag {}' : 'several braces';
        patterns.report.keyDiagnostics.push(
          diagnostic(
            'warning',
            'not-portable',
            `this pattern uses ${uses}: its keys may hash differently under Redis and Standard; Redis Cloud advises against it`,
            p.line,
            1,
          ),
        );
      }
    }
    const seen = new Set(tokenized.diagnostics.map((d) => `${d.line}:${d.code}`));
    for (const d of patterns.report.commandDiagnostics) if (d.severity !== 'info' && !seen.has(`${d.line}:${d.code}`)) diagnostics.push(d);
    for (const t of patterns.report.templates) {
      const v = t.verdicts[target];
      if (!t.template || v.verdict === 'always' || v.verdict === 'no-keys') continue;
      const [from, to] = nameSpan.get(t.line) ?? [1, 2];
      const fix = t.fix ? ` — fix: ${t.fix.join(' ')}` : '';
      const what = v.verdict === 'error' ? 'refused' : `${v.verdict} single-slot`;
      diagnostics.push(diagnostic('warning', 'template-crossslot', `${what}: ${v.reason}${fix}`, t.line, from, to));
    }
  }
  diagnostics.sort((a, b) => a.line - b.line || a.column - b.column);
  return {
    lines: tokenized.lines,
    reports: analysis.reports,
    templateLines: templated ?? new Set(),
    rows: analysis.reports.map((r) => commandRow(r, target, shards)),
    diagnostics,
    warnings: analysis.diagnostics.filter((x) => x.severity === 'warning').map((x) => ({ line: x.line, message: x.message })),
    keyRanges: keyRanges(tokenized.lines),
    patterns,
    verdictChanges: compare ? verdictChanges(analysis.reports, analyzeCommands(ordinary, compare.policy).reports, target) : null,
  };
}

function commandRow(r: CommandReport, target: Target, shards: ShardMap): CommandRow {
  const all = {} as Record<Target, TargetVerdict['verdict']>;
  for (const t of TARGETS) all[t] = r.verdicts[t].verdict;
  return {
    line: r.line,
    kind: r.kind,
    command: r.command,
    keys: r.keys,
    slots: r.slots,
    verdict: r.verdicts[target],
    all,
    suggestion: r.suggestion,
    transaction: r.transaction,
    oneShard: oneShard(r.slots, shards),
  };
}

/** The shard that holds every slot of a multi-slot key set, or undefined (also for a single slot). */
function oneShard(slots: number[], shards: ShardMap): string | undefined {
  const distinct = new Set(slots);
  if (distinct.size < 2 || slots.some((s) => s < 0)) return undefined;
  const owners = new Set<number>();
  for (const s of distinct) owners.add(shards.slotShard[s]);
  const [owner] = owners;
  return owners.size === 1 && owner >= 0 ? shards.labels[owner] : undefined;
}

function keyRanges(lines: CommandLine[]): LineRange[] {
  const out: LineRange[] = [];
  for (const cl of lines) {
    if (cl.kind !== 'command' || cl.invalid) continue;
    const found = commandKeys(cl.args);
    if (found.ok) for (const k of found.keys) out.push({ line: cl.line, start: cl.spans[k][0], end: cl.spans[k][1] });
  }
  return out;
}

/**
 * Values sampled per question under custom rules: 400 (the core's default) up to a schema of ten
 * patterns; fewer for a bigger matrix (never under 100), so 60 patterns answer in about 2 s, not 8.
 */
export function reviewSampleCount(docs: PatternDocuments): number {
  const n = Math.min(MAX_MATRIX_PATTERNS, docs.keys.patterns.filter((p) => p.ok).length);
  const pairs = (n * (n - 1)) / 2;
  return pairs <= 45 ? 400 : Math.max(100, Math.round((400 * 45) / pairs));
}

/**
 * The pattern review, or — if the reasoning fails on some input (a bug: it checks itself and throws
 * rather than print a wrong verdict) — the patterns without verdicts and an error on the first one, so
 * every other view still works.
 */
function reviewPatterns(docs: PatternDocuments, main: PolicySide, samples: number | undefined): PatternReport {
  const policy: Policy = main.policy;
  try {
    return analyzePatterns(docs, policy, { ruleSet: main.ruleSet, samples: samples ?? reviewSampleCount(docs) });
  } catch (e) {
    const first = docs.keys.patterns[0]?.line ?? 1;
    const failed = diagnostic(
      'error',
      'pattern-reasoning-failed',
      `the pattern review failed (${failureText(e)}); the patterns still stand for sample keys in the other views`,
      first,
      1,
      2,
    );
    return {
      policy: policy.name,
      mode: 'symbolic',
      patterns: docs.keys.patterns.map((p) => ({ index: p.index, line: p.line, text: p.text, names: p.names, ok: p.ok })),
      pairs: [],
      templates: [],
      keyDiagnostics: [...docs.keyDiagnostics, failed],
      commandDiagnostics: docs.commandDiagnostics,
    };
  }
}

/** Lines of command templates, and every line of a MULTI … EXEC block that holds one. */
function templateLines(docs: PatternDocuments): Set<number> {
  const out = new Set<number>();
  const lines = docs.commands.lines;
  for (const unit of templateUnits(lines)) {
    const block = lines.slice(unit.from, unit.to + 1);
    const isTemplate = (t: (typeof lines)[number]) => t.source.kind === 'command' && (t.patterns.some((p) => p !== null) || !t.ok);
    if (block.some(isTemplate)) for (const t of block) if (t.source.kind === 'command' && !t.source.invalid) out.add(t.source.line);
  }
  return out;
}
