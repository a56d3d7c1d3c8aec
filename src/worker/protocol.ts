/**
 * The one typed protocol between the page and the analysis worker. What an analysis is (inputs,
 * settings, results) is the core's; this file only says how it travels.
 */
import type {
  Blocker,
  CommandRow,
  Explanation,
  HotTag,
  Inputs,
  KeyRecord,
  LineRange,
  MigrationDiff,
  PatternReport,
  PortabilitySummary,
  SetupProblem,
  ReportMeta,
  Problems,
  Settings,
  ShardRow,
  SlotGroup,
  VerdictChange,
} from '../core/index.ts';

export type WorkerRequest =
  | { id: number; type: 'analyze'; inputs: Inputs; settings: Settings }
  /** Keys from a file (opened, dropped, or a paste too big for the editor): read whole or streamed, by size. */
  | { id: number; type: 'analyze-file'; file: Blob; name: string; inputs: Inputs; settings: Settings }
  /** Rows of the keys table, from the latest analysis. */
  | { id: number; type: 'rows'; offset: number; limit: number; filter: string; sort: KeySort }
  /** Step-by-step explanation of one key (index into the key list). */
  | { id: number; type: 'explain'; index: number }
  /** A few keys of one slot, for the slot map's hover. */
  | { id: number; type: 'slot'; slot: number }
  /** The latest analysis as a report file. */
  | { id: number; type: 'export'; format: ExportFormat; meta?: ReportMeta }
  /** Pasted text as UTF-8 bytes in a Blob: encoding 25 MB takes ~75 ms, which the page should not spend. */
  | { id: number; type: 'blob'; text: string };

export type KeySort = 'line' | 'slot' | 'tag';
export type ExportFormat = 'markdown' | 'csv' | 'json';

/** A keys-table row: the key's record (the same shape as every per-key output) and its index in the key list. */
export type KeyRow = KeyRecord & { index: number };

/** What the result panels show; absent when a blocker leaves nothing to compute. */
export interface ResultView {
  keyCount: number;
  unplaced: number;
  usedSlots: number;
  /** Shard rows, with a last "no owner" row when some slots have no shard. */
  shards: ShardRow[];
  /** Keys per slot (16384), transferred. */
  perSlot: Uint32Array;
  /** Slot → shard index (-1: no owner), transferred. */
  slotShard: Int16Array;
  maxShardOverMean: number;
  busiestSlot: { slot: number; keys: number; share: number };
  hotTags: HotTag[];
  groups: SlotGroup[];
  /** Keys hot tags and groups were found in: `keyCount` when exact, fewer for a streamed file. */
  sampled: number;
  commands: CommandRow[];
  /** Null without a second policy, or when it cannot be built (see the blockers). */
  migration: (Omit<MigrationDiff, 'moved'> & { commands: VerdictChange[] }) | null;
  /** Key patterns and command templates (schema review): null when the inputs have no placeholder. */
  patterns: PatternReport | null;
  /** Keys that hash, or may hash, differently under Redis and Standard. */
  portability: PortabilitySummary;
}

export interface AnalysisResult {
  /** Diagnostics per input: editor markers and the Problems list. */
  problems: Problems;
  /** Inputs the results need that cannot be used: what is not shown, and why. */
  blockers: Blocker[];
  /** Policy and deployment combinations Redis does not offer: the results are for them anyway, marked so. */
  setup: SetupProblem[];
  /** Null when a blocker leaves nothing to compute: the page shows the blockers instead. */
  view: ResultView | null;
  /** Hashed part of the first keys, as editor ranges on their lines (raw lines only). */
  highlights: LineRange[];
  /** The keys of each command, as editor ranges, for the Commands editor. */
  commandKeyRanges: LineRange[];
  /** Keys read from a file (streamed past TEXT_KEYS_LIMIT). */
  file: { name: string; bytes: number; lines: number; streamed: boolean } | null;
  millis: number;
}

export type WorkerResponse =
  /** Reading a key file: bytes and keys so far. Also the worker's heartbeat for the watchdog. */
  | { id: number; type: 'progress'; bytes: number; total: number; keys: number; millis: number }
  | { id: number; type: 'result'; result: AnalysisResult }
  | { id: number; type: 'rows'; rows: KeyRow[]; total: number; offset: number }
  | { id: number; type: 'explain'; explanation: Explanation | null }
  | { id: number; type: 'slot'; keys: string[] }
  /** A Blob for key files (built piece by piece, never one huge string). */
  | { id: number; type: 'export'; data: string | Blob }
  | { id: number; type: 'blob'; blob: Blob }
  | { id: number; type: 'error'; message: string };
