import { latin1 } from '../bytes.ts';
import { display } from '../input/quote.ts';
import type { KeyList } from '../input/keylist.ts';
import type { SlotTable } from '../slots/batch.ts';
import { SLOT_COUNT } from '../slots/crc16.ts';
import type { ShardMap } from '../topology/types.ts';

export interface HotTag {
  tag: string;
  keys: number;
  slot: number;
  shard: number;
  /** Share of all placed keys. */
  share: number;
}

/** Keys that live together: one slot, its keys grouped by the tag they hash. */
export interface SlotGroup {
  slot: number;
  shard: number;
  keys: number;
  tags: { tag: string; keys: number; sample: string[] }[];
}

export interface Distribution {
  /** Keys with a slot; keys without one (no rule matched, unreadable line) are `unplaced`. */
  keys: number;
  unplaced: number;
  perSlot: Uint32Array;
  perShard: Uint32Array;
  /** Keys in slots no shard owns (a pasted topology with holes). */
  unassigned: number;
  usedSlots: number;
  emptyShards: number[];
  /** Busiest shard's keys over the mean (1 = perfectly even). */
  maxShardOverMean: number;
  busiestSlot: { slot: number; keys: number; share: number };
  hotTags: HotTag[];
  /** Slots holding at least two keys, biggest first (the first `groups` of them, see DistributionOptions). */
  groups: SlotGroup[];
  /** Every slot that holds at least two keys, and the keys in them: exact, however many groups are listed. */
  groupCount: number;
  groupedKeys: number;
}

export interface DistributionOptions {
  hotTags?: number;
  groups?: number;
  samplePerTag?: number;
}

/**
 * How a key list spreads over slots and shards under one policy: per-slot and per-shard counts, skew,
 * hot tags ("one queue on one node") and co-location groups. Tags are counted by their exact bytes.
 */
export function distribution(list: KeyList, table: SlotTable, shards: ShardMap, options: DistributionOptions = {}): Distribution {
  const { hotTags: topTags = 20, groups: topGroups = 50, samplePerTag = 3 } = options;
  const perSlot = new Uint32Array(SLOT_COUNT);
  let keys = 0;
  let unplaced = 0;
  // Tags interned by their bytes (latin1 string), with the slot they hash to.
  const tagIndex = new Map<string, number>();
  const tagKeys: number[] = [];
  const tagSlot: number[] = [];
  const tagSamples: string[][] = [];
  const tagText: string[] = [];
  for (let i = 0; i < list.count; i++) {
    const slot = table.slots[i];
    if (slot < 0) {
      unplaced++;
      continue;
    }
    keys++;
    perSlot[slot]++;
    const start = table.tagStart[i];
    const end = table.tagEnd[i];
    let id = tagIndex.get(latin1(list.bytes, start, end));
    if (id === undefined) {
      id = tagKeys.length;
      tagIndex.set(latin1(list.bytes, start, end), id);
      tagKeys.push(0);
      tagSlot.push(slot);
      tagSamples.push([]);
      tagText.push(display(list.bytes, start, end));
    }
    tagKeys[id]++;
    if (tagSamples[id].length < samplePerTag) tagSamples[id].push(display(list.bytes, list.offsets[i], list.offsets[i + 1]));
  }

  const summary = slotSummary(perSlot, shards);

  const order = tagKeys.map((_, i) => i).sort((a, b) => tagKeys[b] - tagKeys[a] || tagSlot[a] - tagSlot[b]);
  const hotTags = order.slice(0, topTags).map((id) => ({
    tag: tagText[id],
    keys: tagKeys[id],
    slot: tagSlot[id],
    shard: shards.slotShard[tagSlot[id]],
    share: keys > 0 ? tagKeys[id] / keys : 0,
  }));

  const bySlot = new Map<number, number[]>();
  for (const id of order) {
    const ids = bySlot.get(tagSlot[id]);
    if (ids) ids.push(id);
    else bySlot.set(tagSlot[id], [id]);
  }
  const groups = [...bySlot.entries()]
    .filter(([slot]) => perSlot[slot] >= 2)
    .sort((a, b) => perSlot[b[0]] - perSlot[a[0]] || a[0] - b[0])
    .slice(0, topGroups)
    .map(([slot, ids]) => ({
      slot,
      shard: shards.slotShard[slot],
      keys: perSlot[slot],
      tags: ids.slice(0, 10).map((id) => ({ tag: tagText[id], keys: tagKeys[id], sample: tagSamples[id] })),
    }));

  return { keys, unplaced, ...summary, hotTags, groups };
}

export type SlotSummary = Pick<
  Distribution,
  'perSlot' | 'perShard' | 'unassigned' | 'usedSlots' | 'emptyShards' | 'maxShardOverMean' | 'busiestSlot' | 'groupCount' | 'groupedKeys'
>;

/** Per-shard counts, skew and the busiest slot from keys per slot (exact for any number of keys). */
export function slotSummary(perSlot: Uint32Array, shards: ShardMap): SlotSummary {
  const perShard = new Uint32Array(shards.labels.length);
  let keys = 0;
  let unassigned = 0;
  let usedSlots = 0;
  let busiest = 0;
  let groupCount = 0;
  let groupedKeys = 0;
  for (let s = 0; s < SLOT_COUNT; s++) {
    const n = perSlot[s];
    if (n === 0) continue;
    keys += n;
    usedSlots++;
    if (n >= 2) {
      groupCount++;
      groupedKeys += n;
    }
    if (n > perSlot[busiest]) busiest = s;
    const shard = shards.slotShard[s];
    if (shard >= 0) perShard[shard] += n;
    else unassigned += n;
  }
  const emptyShards: number[] = [];
  let maxShard = 0;
  perShard.forEach((n, i) => {
    if (n === 0) emptyShards.push(i);
    maxShard = Math.max(maxShard, n);
  });
  const mean = perShard.length > 0 ? (keys - unassigned) / perShard.length : 0;
  return {
    perSlot,
    perShard,
    unassigned,
    usedSlots,
    emptyShards,
    maxShardOverMean: mean > 0 ? maxShard / mean : 0,
    busiestSlot: { slot: busiest, keys: perSlot[busiest], share: keys > 0 ? perSlot[busiest] / keys : 0 },
    groupCount,
    groupedKeys,
  };
}
