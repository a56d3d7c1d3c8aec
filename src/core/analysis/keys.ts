import { diagnostic, type Diagnostic } from '../diagnostics.ts';
import { distribution, type Distribution } from '../distribution/distribution.ts';
import { migrationDiff, type MigrationDiff } from '../distribution/migration.ts';
import { keyAt, parseKeyList, type KeyList } from '../input/keylist.ts';
import { PortabilityCounter, type PortabilityIssue, type PortabilitySummary } from './portability.ts';
import { expandKeyList } from '../patterns/language/expand.ts';
import { slotTable, type SlotTable } from '../slots/batch.ts';
import type { FileSlotter } from '../slots/scan.ts';
import type { KeyStream, KeyStreamOptions, StreamPolicy } from '../stream/key-stream.ts';
import { summarizeStream } from '../stream/summary.ts';
import type { PolicySide } from './policies.ts';
import type { ReadyAnalysis } from './prepare.ts';

/** What the keys give, the same for a key list read whole and for a stream. */
export interface KeysSummary {
  /** Non-empty key-list lines (sample keys for patterns), placed or not. */
  keyCount: number;
  /** Keys without a slot under the main policy: no rule matched, too long, unreadable. */
  unplaced: number;
  distribution: Distribution;
  /** With a second policy that could be built. */
  migration: MigrationDiff | null;
  /** Keys hot tags, groups and group changes were found in: `keyCount` when exact, fewer for a big stream. */
  sampled: number;
  /** Of `keyCount`, the sample keys that key patterns stand for. */
  patternKeys: number;
  /** Keys (not pattern samples) that hash, or may hash, differently under Redis and Standard. */
  portability: PortabilitySummary;
}

/** A key list read whole: per-key results for the keys table, Explain and exports, and the summary. */
export interface KeyText {
  list: KeyList;
  main: SlotTable;
  compare: SlotTable | null;
  /** For each entry: the index of the key pattern it is a sample of, or -1; null without patterns. */
  fromPattern: Int32Array | null;
  /** The key list's problems (quoting, malformed patterns, the pattern review's key findings). */
  diagnostics: Diagnostic[];
  summary: KeysSummary;
}

/** Analyses a key list read whole (see TEXT_KEYS_LIMIT): every key exact, patterns expanded into sample keys. */
export function analyzeKeyText(a: ReadyAnalysis, keyText: Uint8Array): KeyText {
  const patterns = a.commands.patterns;
  // A pattern line stands for deterministic sample keys in every view that needs concrete keys.
  const expanded = patterns?.docs.keys.patterns.length
    ? expandKeyList(patterns.docs.keys, { samples: a.settings.patternSamples, schema: patterns.docs.schema })
    : null;
  const list = expanded ? expanded.list : parseKeyList(keyText);
  const main = slotTable(list, a.main.policy);
  const compare = a.compare ? slotTable(list, a.compare.policy) : null;
  const d = distribution(list, main, a.layout);
  // Portability of the keys as written (a pattern's samples are the pattern's business).
  const counter = new PortabilityCounter(a.main.name);
  const written = (i: number) => !list.invalid[i] && !(expanded && expanded.pattern[i] >= 0);
  const diagnostics = [...(patterns ? patterns.report.keyDiagnostics : list.diagnostics), ...lintPortability(counter, list, written, (i) => list.lines[i])];
  diagnostics.sort((x, y) => x.line - y.line || x.column - y.column);
  return {
    list,
    main,
    compare,
    fromPattern: expanded?.pattern ?? null,
    diagnostics,
    summary: {
      keyCount: list.count,
      unplaced: d.unplaced,
      distribution: d,
      migration: compare ? migrationDiff(list, { table: main, shards: a.layout }, { table: compare, shards: a.layout }) : null,
      sampled: list.count,
      patternKeys: expanded ? expanded.pattern.reduce((n, p) => n + (p >= 0 ? 1 : 0), 0) : 0,
      portability: counter.summary(),
    },
  };
}

/** The stream options of an analysis: its policies (Redis and Standard through `slotter` when given) and layout. */
export function streamOptions(a: ReadyAnalysis, slotter: FileSlotter | null): Pick<KeyStreamOptions, 'main' | 'compare' | 'shards'> {
  const stream = (side: PolicySide): StreamPolicy => {
    const { policy, name } = side;
    if (!slotter || name === 'custom') return { policy };
    return { policy, slotter: (bytes) => slotter(bytes, name).slots };
  };
  return { main: stream(a.main), compare: a.compare ? stream(a.compare) : null, shards: a.layout };
}

/** What a finished stream shows, and the key file's problems (unreadable lines, keys that are not portable). */
export interface KeyStreamResult {
  summary: KeysSummary;
  diagnostics: Diagnostic[];
}

/** What a finished stream shows: counts exact over every key, tags and groups from its uniform sample. */
export function summarizeKeyStream(a: ReadyAnalysis, stream: KeyStream): KeyStreamResult {
  const { distribution: d, migration, sampled } = summarizeStream(stream, a.main.policy, a.compare?.policy ?? null, a.layout);
  // Portability from the same uniform sample as hot tags: counts scaled to the file (estimates) when
  // sampled, the warnings on the sampled keys' own lines.
  const counter = new PortabilityCounter(a.main.name);
  const sample = parseKeyList(stream.sampleLines());
  const lineNumbers = stream.sampleLineNumbers();
  const portable = lintPortability(
    counter,
    sample,
    (i) => !sample.invalid[i],
    (i) => lineNumbers[sample.lines[i] - 1],
  );
  const diagnostics = [...stream.diagnostics, ...portable].sort((x, y) => x.line - y.line || x.column - y.column);
  const readable = stream.keys - stream.invalid;
  const scale = sampled < stream.keys && sample.count > 0 ? readable / sample.count : 1;
  return {
    summary: { keyCount: stream.keys, unplaced: stream.unplaced, distribution: d, migration, sampled, patternKeys: 0, portability: counter.summary(scale) },
    diagnostics,
  };
}

/**
 * Counts the keys of `list` that `counts(i)` admits and are not portable; a warning for each of the first
 * MAX_PORTABILITY_MARKERS (on its input line), then one line for the rest.
 */
function lintPortability(counter: PortabilityCounter, list: KeyList, counts: (i: number) => boolean, lineOf: (i: number) => number): Diagnostic[] {
  const out: Diagnostic[] = [];
  let unlisted = 0;
  let last = 1;
  for (let i = 0; i < list.count; i++) {
    if (!counts(i)) continue;
    const line = lineOf(i);
    const issue = counter.add(keyAt(list, i), line);
    if (!issue) continue;
    last = line;
    if (counter.count > MAX_PORTABILITY_MARKERS) unlisted++;
    else out.push(portabilityDiagnostic(issue, line));
  }
  if (unlisted) out.push(diagnostic('info', 'not-portable', `${unlisted} more keys are not portable between Redis and Standard`, last, 1));
  return out;
}

/** Markers for the first this-many keys that are not portable (more would drown the editor). */
const MAX_PORTABILITY_MARKERS = 100;

/** The warning on a key's line: what it uses, what each policy does with it, and the fix. */
export function portabilityDiagnostic(issue: PortabilityIssue, line: number): Diagnostic {
  const uses = issue.kind === 'empty-tag' ? 'an empty hash tag {}' : 'several braces';
  const slots =
    issue.redisSlot === issue.standardSlot
      ? `same slot under both today (${issue.redisSlot})`
      : `Redis slot ${issue.redisSlot}, Standard slot ${issue.standardSlot}`;
  const fix = issue.fix ? ` — a portable name that keeps its slot: ${issue.fix}` : '';
  return diagnostic(
    'warning',
    'not-portable',
    `uses ${uses}: hashes differently under Redis and Standard (${slots}); Redis Cloud advises against it${fix}`,
    line,
    1,
  );
}
