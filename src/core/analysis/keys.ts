import type { Diagnostic } from '../diagnostics.ts';
import { distribution, type Distribution } from '../distribution/distribution.ts';
import { migrationDiff, type MigrationDiff } from '../distribution/migration.ts';
import { parseKeyList, type KeyList } from '../input/keylist.ts';
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
  return {
    list,
    main,
    compare,
    fromPattern: expanded?.pattern ?? null,
    diagnostics: patterns ? patterns.report.keyDiagnostics : list.diagnostics,
    summary: {
      keyCount: list.count,
      unplaced: d.unplaced,
      distribution: d,
      migration: compare ? migrationDiff(list, { table: main, shards: a.layout }, { table: compare, shards: a.layout }) : null,
      sampled: list.count,
      patternKeys: expanded ? expanded.pattern.reduce((n, p) => n + (p >= 0 ? 1 : 0), 0) : 0,
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

/** What a finished stream shows: counts exact over every key, tags and groups from its uniform sample. */
export function summarizeKeyStream(a: ReadyAnalysis, stream: KeyStream): KeysSummary {
  const { distribution: d, migration, sampled } = summarizeStream(stream, a.main.policy, a.compare?.policy ?? null, a.layout);
  return { keyCount: stream.keys, unplaced: stream.unplaced, distribution: d, migration, sampled, patternKeys: 0 };
}
