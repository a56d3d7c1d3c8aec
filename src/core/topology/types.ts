import type { Diagnostic } from '../diagnostics.ts';

/** One node of a shard, as far as the source tells. */
export interface ShardNode {
  /** Cluster node id (40 hex chars) when the source gives it. */
  id?: string;
  /** `host:port` (hostname when the node announces one, else its IP; IPv6 in brackets). */
  addr?: string;
  role: 'master' | 'replica';
}

/** A master and its replicas. */
export interface Shard {
  /** Stable, readable, unique within the topology: the master address `host:port`, else a node id. */
  id: string;
  /** What the UI shows; the master address or name. */
  label: string;
  /** The master first (when known), then its replicas. */
  nodes: ShardNode[];
}

export interface Topology {
  /** Shards with slots first, ordered by their lowest slot; shards without slots last, by label. */
  shards: Shard[];
  /** slot → shard index, -1 when unassigned. Int16Array(16384). */
  slotShard: Int16Array;
  /** Slots being migrated or imported (CLUSTER NODES `[N->-id]` / `[N-<-id]`), with the node ids at both ends when known. */
  migrating: { slot: number; from?: string; to?: string }[];
  source: 'redis-cli-create' | 'even' | 'cluster-nodes' | 'cluster-slots' | 'cluster-shards';
}

/** Slot → shard, as any layout or pasted topology gives it (-1: no shard owns the slot). */
export interface ShardMap {
  slotShard: Int16Array;
  labels: string[];
}

export interface TopologyResult {
  /** null when nothing usable was found (empty input, garbage, an invalid count). */
  topology: Topology | null;
  diagnostics: Diagnostic[];
}

/** Stable diagnostic codes of this module (messages may be reworded; codes may not). */
export const TOPOLOGY_CODES = [
  'bad-shard-count', // a layout count outside 1..16384 or not an integer
  'too-few-masters', // info: redis-cli --cluster create refuses fewer than 3 masters
  'slot-overrun', // warning: float32 drift makes redis-cli compute slots past 16383 for this N
  'empty-topology', // info: nothing pasted
  'unrecognized-topology', // the paste is none of the supported forms
  'redis-error', // the paste is a Redis error reply, e.g. cluster support disabled
  'empty-reply', // an empty array reply: no slots/shards at all
  'bad-json',
  'bad-reply', // redis-cli reply printing that does not nest or number correctly
  'bad-nodes-line', // a CLUSTER NODES line that does not have the expected fields
  'bad-slots-entry', // a CLUSTER SLOTS entry or CLUSTER SHARDS shard/node of the wrong shape
  'bad-slot', // a slot or range outside 0..16383 or reversed
  'node-failed', // a node flagged fail / fail? / health failed
  'unassigned-slots', // warning: slots no shard owns
  'double-assignment', // error: a slot owned by two shards
  'too-many-shards', // more masters than slots: not a real cluster
  'too-many-problems', // further problems suppressed
] as const;
export type TopologyCode = (typeof TOPOLOGY_CODES)[number];
