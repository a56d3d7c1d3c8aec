import type { ShardMap } from '../distribution/distribution.ts';
import { shardRuns } from '../topology/ranges.ts';
import type { Topology } from '../topology/types.ts';

/** One row of a report's shard table. */
export interface ShardRow {
  label: string;
  keys: number;
  /** The slots the shard owns, as `0-5460, 16000`. */
  ranges: string;
}

/** Shard rows for a report: label, keys (from `Distribution.perShard`) and slot ranges. */
export function shardRows(shards: ShardMap, perShard: ArrayLike<number>): ShardRow[] {
  const runs = shardRuns({ shards: shards.labels, slotShard: shards.slotShard });
  return shards.labels.map((label, i) => ({
    label,
    keys: perShard[i] ?? 0,
    ranges: runs[i].map(([a, b]) => (a === b ? `${a}` : `${a}-${b}`)).join(', '),
  }));
}

const PASTED: Record<string, string> = {
  'cluster-nodes': 'CLUSTER NODES',
  'cluster-slots': 'CLUSTER SLOTS',
  'cluster-shards': 'CLUSTER SHARDS',
};

/** How a layout is named in reports: "3 shards (Redis Cloud even split)", "pasted CLUSTER NODES, 6 shards". */
export function describeLayout(source: Topology['source'], shards: number): string {
  const n = (word: string) => `${shards} ${word}${shards === 1 ? '' : 's'}`;
  if (source === 'even') return `${n('shard')} (Redis Cloud even split)`;
  if (source === 'redis-cli-create') return `${n('master')} (redis-cli --cluster create split)`;
  return `pasted ${PASTED[source] ?? source}, ${n('shard')}`;
}
