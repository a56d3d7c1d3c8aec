import { distribution, slotSummary, type Distribution, type DistributionOptions } from '../distribution/distribution.ts';
import type { ShardMap } from '../topology/types.ts';
import { migrationDiff, type MigrationDiff } from '../distribution/migration.ts';
import { parseKeyList } from '../input/keylist.ts';
import { slotTable } from '../slots/batch.ts';
import type { Policy } from '../slots/policy.ts';
import type { KeyStream } from './key-stream.ts';

export interface StreamSummary {
  /** Counts per slot and shard, skew and the busiest slot exact; hot tags and groups from the sample. */
  distribution: Distribution;
  /** Move counts exact; split and merged groups, and the moved keys listed, from the sample. */
  migration: MigrationDiff | null;
  /** Keys in the sample (all of them when there are no more than the sample size). */
  sampled: number;
}

/**
 * What a streamed key list shows, the same for the worker's key files and the CLI: everything that
 * can be counted per key is exact; what needs every key's tag comes from the stream's uniform sample,
 * with tag counts scaled to the whole input. `shards` may differ from the stream's layout (then the
 * shard moves are recounted from the kept slots).
 */
export function summarizeStream(stream: KeyStream, main: Policy, compare: Policy | null, shards: ShardMap, options: DistributionOptions = {}): StreamSummary {
  const sample = parseKeyList(stream.sampleLines());
  const sampleMain = slotTable(sample, main);
  const placed = stream.keys - stream.unplaced;
  const sampled = scaleSample(distribution(sample, sampleMain, shards, options), stream.perSlot, placed);
  const exact: Distribution = {
    ...slotSummary(stream.perSlot, shards),
    keys: placed,
    unplaced: stream.unplaced,
    hotTags: sampled.hotTags,
    groups: sampled.groups,
  };
  let migration: MigrationDiff | null = null;
  if (compare) {
    const diff = migrationDiff(sample, { table: sampleMain, shards }, { table: slotTable(sample, compare), shards });
    migration = {
      ...diff,
      keys: stream.comparedKeys,
      changedSlot: stream.changedSlot,
      changedShard: stream.layout === shards ? stream.changedShard : stream.changedShardUnder(shards),
      startUnmatched: stream.startUnmatched,
      stopUnmatched: stream.stopUnmatched,
    };
  }
  // No more keys than the sample holds: every readable key is in it, and the tag views are exact.
  return { distribution: exact, migration, sampled: stream.keys <= stream.sampleSize ? stream.keys : sample.count };
}

/**
 * Hot tags and groups found in a sample, stated for the whole input: tag counts scaled by placed keys /
 * sampled keys (estimates; shares are the sample's), a group's size exact from the per-slot counts.
 */
function scaleSample(d: Distribution, perSlot: Uint32Array, placed: number): Distribution {
  if (d.keys >= placed) return d;
  const f = placed / Math.max(1, d.keys);
  const scale = (n: number) => Math.round(n * f);
  return {
    ...d,
    hotTags: d.hotTags.map((t) => ({ ...t, keys: scale(t.keys) })),
    groups: d.groups
      .map((g) => ({ ...g, keys: perSlot[g.slot], tags: g.tags.map((t) => ({ ...t, keys: scale(t.keys) })) }))
      .sort((a, b) => b.keys - a.keys || a.slot - b.slot),
  };
}
