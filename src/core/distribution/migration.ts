import { display } from '../input/quote.ts';
import type { KeyList } from '../input/keylist.ts';
import type { SlotTable } from '../slots/batch.ts';
import type { CommandReport } from '../commands/analyze.ts';
import type { Target } from '../commands/verdict.ts';
import type { ShardMap } from '../topology/types.ts';

/** One side of a migration: a policy's results over the key list, and a slot → shard layout. */
export interface Side {
  table: SlotTable;
  shards: ShardMap;
}

export interface MovedKey {
  key: string;
  from: { tag: string; slot: number; shard: number };
  to: { tag: string; slot: number; shard: number };
}

/** Keys that shared a slot under A and no longer do under B (or the reverse, for `merged`). */
export interface GroupChange {
  /** The slot under A (split) or under B (merged). */
  slot: number;
  keys: number;
  /** How many slots those keys land in on the other side. */
  slots: number;
  sample: string[];
}

export interface MigrationDiff {
  keys: number;
  changedSlot: number;
  changedShard: number;
  /** Custom rules: keys that match no rule under B but did under A, and the reverse. */
  startUnmatched: number;
  stopUnmatched: number;
  /** Co-location under A that B breaks, and co-location that B creates. */
  split: GroupChange[];
  merged: GroupChange[];
  splitCount: number;
  mergedCount: number;
  /** A sample of keys whose slot changes (the full table is per key, on demand). */
  moved: MovedKey[];
}

export interface MigrationOptions {
  sample?: number;
  groups?: number;
}

/**
 * What changes when the same keys go from policy/layout A to B. On Redis Cloud / Software a policy
 * change flushes the database, so "moving" means where keys land after they are imported again.
 */
export function migrationDiff(list: KeyList, a: Side, b: Side, options: MigrationOptions = {}): MigrationDiff {
  const { sample = 200, groups = 50 } = options;
  let keys = 0;
  let changedSlot = 0;
  let changedShard = 0;
  let startUnmatched = 0;
  let stopUnmatched = 0;
  const moved: MovedKey[] = [];
  const tagOf = (t: SlotTable, i: number) => display(list.bytes, t.tagStart[i], t.tagEnd[i]);
  const shardOf = (side: Side, slot: number) => (slot >= 0 ? side.shards.slotShard[slot] : -1);
  // Keys per slot on each side, with the set of slots they land in on the other side.
  const aGroups = new Map<number, { keys: number[]; other: Set<number> }>();
  const bGroups = new Map<number, { keys: number[]; other: Set<number> }>();
  const note = (groupsOf: typeof aGroups, slot: number, i: number, other: number) => {
    let g = groupsOf.get(slot);
    if (!g) groupsOf.set(slot, (g = { keys: [], other: new Set() }));
    g.keys.push(i);
    g.other.add(other);
  };
  for (let i = 0; i < list.count; i++) {
    if (list.invalid[i]) continue;
    keys++;
    const sa = a.table.slots[i];
    const sb = b.table.slots[i];
    if (sa >= 0 && sb < 0) startUnmatched++;
    if (sa < 0 && sb >= 0) stopUnmatched++;
    if (sa !== sb) changedSlot++;
    if (shardOf(a, sa) !== shardOf(b, sb) || sa < 0 !== sb < 0) changedShard++;
    if (sa >= 0) note(aGroups, sa, i, sb);
    if (sb >= 0) note(bGroups, sb, i, sa);
    if (sa !== sb && moved.length < sample) {
      moved.push({
        key: display(list.bytes, list.offsets[i], list.offsets[i + 1]),
        from: { tag: sa >= 0 ? tagOf(a.table, i) : '', slot: sa, shard: shardOf(a, sa) },
        to: { tag: sb >= 0 ? tagOf(b.table, i) : '', slot: sb, shard: shardOf(b, sb) },
      });
    }
  }
  const changes = (groupsOf: typeof aGroups) => {
    const all = [...groupsOf.entries()].filter(([, g]) => g.keys.length >= 2 && g.other.size > 1);
    all.sort((x, y) => y[1].keys.length - x[1].keys.length || x[0] - y[0]);
    return {
      count: all.length,
      top: all.slice(0, groups).map(([slot, g]) => ({
        slot,
        keys: g.keys.length,
        slots: g.other.size,
        sample: g.keys.slice(0, 4).map((i) => display(list.bytes, list.offsets[i], list.offsets[i + 1])),
      })),
    };
  };
  const split = changes(aGroups);
  const merged = changes(bGroups);
  return {
    keys,
    changedSlot,
    changedShard,
    startUnmatched,
    stopUnmatched,
    split: split.top,
    merged: merged.top,
    splitCount: split.count,
    mergedCount: merged.count,
    moved,
  };
}

/** A command whose verdict differs between A and B, in either direction. */
export interface VerdictChange {
  line: number;
  command: string;
  before: string;
  after: string;
  reason: string;
}

/** Commands (same lines analysed under A and under B) whose verdict for a target changes. */
export function verdictChanges(a: CommandReport[], b: CommandReport[], target: Target): VerdictChange[] {
  const changes: VerdictChange[] = [];
  for (let i = 0; i < Math.min(a.length, b.length); i++) {
    if (a[i].kind === 'comment') continue;
    const before = a[i].verdicts[target];
    const after = b[i].verdicts[target];
    if (before.verdict !== after.verdict) {
      changes.push({ line: a[i].line, command: a[i].command, before: before.verdict, after: after.verdict, reason: after.reason });
    }
  }
  return changes;
}
