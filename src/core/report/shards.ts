import type { ShardMap } from '../topology/types.ts';
import { shardRuns, slotRuns } from '../topology/ranges.ts';
import type { Topology } from '../topology/types.ts';

/** What the row of keys on slots no shard owns is called (a pasted topology with holes). */
export const NO_OWNER = 'no owner';

/** One row of a shard table: a shard, or (last, `owner: false`) the slots no shard owns. */
export interface ShardRow {
  label: string;
  keys: number;
  /** The slots the shard owns (or no shard owns), as `0-5460, 16000`. */
  ranges: string;
  /** False for the row of slots no shard owns. */
  owner: boolean;
}

const runText = (runs: readonly [number, number][]) => runs.map(([a, b]) => (a === b ? `${a}` : `${a}-${b}`)).join(', ');

/**
 * Shard rows: label, keys (from `Distribution.perShard`) and slot ranges; when some slots have no owner, a
 * last row for them with the keys that fall there (`unassigned`), so those keys never drop out of a view.
 */
export function shardRows(shards: ShardMap, perShard: ArrayLike<number>, unassigned = 0): ShardRow[] {
  const runs = shardRuns({ shards: shards.labels, slotShard: shards.slotShard });
  const rows: ShardRow[] = shards.labels.map((label, i) => ({ label, keys: perShard[i] ?? 0, ranges: runText(runs[i]), owner: true }));
  const orphans = slotRuns((s) => shards.slotShard[s] < 0);
  if (orphans.length > 0) rows.push({ label: NO_OWNER, keys: unassigned, ranges: runText(orphans), owner: false });
  return rows;
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
