import type { PatternReport } from '../core/index.ts';
import type { Diagnostic, HotTag, MigrationDiff, PolicyName, SlotGroup, Target, TargetVerdict, VerdictChange } from '../core/index.ts';

/** The four inputs a user types or pastes. */
export interface Inputs {
  keys: string;
  rules: string;
  /** Second rule set, for Custom → Custom comparisons. */
  rulesB: string;
  commands: string;
  topology: string;
}

/** Where slots live: an even split, the redis-cli create split, or a pasted topology. */
export type LayoutChoice = { kind: 'even' | 'masters'; count: number } | { kind: 'paste' };

export interface Settings {
  policy: PolicyName;
  /** Second policy: turns the migration view on. */
  compare: PolicyName | null;
  target: Target;
  implicitShardKey: boolean;
  layout: LayoutChoice;
  /** Concrete keys each key pattern stands for in the distribution, slot map and migration views. */
  patternSamples: number;
}

export type WorkerRequest =
  | { id: number; type: 'analyze'; inputs: Inputs; settings: Settings }
  /** Keys from a file (opened, dropped, or a paste too big for the editor), streamed in chunks. */
  | { id: number; type: 'analyze-file'; file: Blob; name: string; inputs: Inputs; settings: Settings }
  /** Rows of the keys table, from the latest analysis. */
  | { id: number; type: 'rows'; offset: number; limit: number; filter: string; sort: KeySort }
  /** Step-by-step explanation of one key (index into the key list). */
  | { id: number; type: 'explain'; index: number }
  /** A few keys of one slot, for the slot map's hover. */
  | { id: number; type: 'slot'; slot: number }
  /** The latest analysis as a report file. */
  | { id: number; type: 'export'; format: 'markdown' | 'csv' | 'json' }
  /** Pasted text as UTF-8 bytes in a Blob: encoding 25 MB takes ~75 ms, which the page should not spend. */
  | { id: number; type: 'blob'; text: string };

export type KeySort = 'line' | 'slot' | 'tag';

export interface KeyRow {
  index: number;
  line: number;
  key: string;
  /** Hashed part under the main policy, or the key error code. */
  tag: string;
  slot: number;
  shard: string;
  rule: number;
  /** Why the key has no slot, in words (the tag column holds the code). */
  error?: string;
  /** Under the compared policy, when there is one. */
  to?: { tag: string; slot: number; shard: string };
}

export interface CommandRow {
  line: number;
  kind: 'command' | 'comment';
  command: string;
  keys: string[];
  slots: number[];
  verdict: TargetVerdict;
  /** Verdict on every target, for the per-target columns. */
  all: Record<Target, TargetVerdict['verdict']>;
  suggestion?: string[];
  transaction?: { from: number; to: number };
  /** When the keys span slots: the one shard holding all of them, if there is one (same node ≠ same slot). */
  oneShard?: string;
}

export interface Problems {
  keys: Diagnostic[];
  rules: Diagnostic[];
  rulesB: Diagnostic[];
  commands: Diagnostic[];
  topology: Diagnostic[];
}

export interface AnalysisResult {
  keyCount: number;
  unplaced: number;
  usedSlots: number;
  shards: { label: string; keys: number; ranges: string }[];
  /** Keys per slot (16384), transferred. */
  perSlot: Uint32Array;
  /** Slot → shard index, transferred. */
  slotShard: Int16Array;
  maxShardOverMean: number;
  busiestSlot: { slot: number; keys: number; share: number };
  hotTags: HotTag[];
  groups: SlotGroup[];
  commands: CommandRow[];
  migration: (Omit<MigrationDiff, 'moved'> & { commands: VerdictChange[] }) | null;
  problems: Problems;
  /** Hashed part of the first keys, as editor ranges on their lines (raw lines only). */
  highlights: { line: number; start: number; end: number }[];
  /** The keys of each command, as editor ranges, for the Commands editor. */
  commandKeyRanges: { line: number; start: number; end: number }[];
  /** Policies that could run (Custom needs error-free rules). */
  policyReady: Record<PolicyName, boolean>;
  /** Key patterns and command templates (schema review): null when the inputs have no placeholder. */
  patterns: PatternReport | null;
  /** Keys read from a file (streamed): hot tags, groups and co-location changes come from `sampled` keys. */
  file: { name: string; bytes: number; lines: number; sampled: number } | null;
  millis: number;
}

export interface ExplainStep {
  title: string;
  detail: string;
}

export interface Explanation {
  key: string;
  /** The key's bytes as hex pairs and display chars, with the hashed range marked. */
  bytes: { hex: string; char: string; hashed: boolean }[];
  steps: ExplainStep[];
  crc: number;
  slot: number;
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
