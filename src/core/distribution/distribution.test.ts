import { describe, expect, it } from 'vitest';
import { utf8 } from '../bytes.ts';
import { analyzeCommands } from '../commands/analyze.ts';
import { tokenizeCommands } from '../commands/tokenize.ts';
import { parseKeyList } from '../input/keylist.ts';
import { slotTable } from '../slots/batch.ts';
import { SLOT_COUNT, slotOfBytes } from '../slots/crc16.ts';
import { redisPolicy, standardPolicy } from '../slots/policy.ts';
import { distribution } from './distribution.ts';
import type { ShardMap } from '../topology/types.ts';
import { migrationDiff, verdictChanges } from './migration.ts';

/** Three shards, redis-cli style ranges. */
const THREE: ShardMap = {
  slotShard: Int16Array.from({ length: SLOT_COUNT }, (_, s) => (s <= 5460 ? 0 : s <= 10922 ? 1 : 2)),
  labels: ['a', 'b', 'c'],
};
const slot = (s: string) => slotOfBytes(utf8(s));

describe('distribution', () => {
  const keys = ['bull:{emails}:1', 'bull:{emails}:2', 'bull:{emails}:3', '{user:1}:a', '{user:1}:b', 'solo', '"bad'];
  const list = parseKeyList(utf8(keys.join('\n')));
  const d = distribution(list, slotTable(list, redisPolicy), THREE);

  it('counts keys per slot and shard; unreadable lines are unplaced', () => {
    expect([d.keys, d.unplaced, d.unassigned]).toEqual([6, 1, 0]);
    expect(d.perSlot[slot('emails')]).toBe(3);
    expect(d.usedSlots).toBe(3);
    expect(Array.from(d.perShard).reduce((x, y) => x + y)).toBe(6);
  });
  it('ranks hot tags and finds co-location groups', () => {
    expect(d.hotTags[0]).toMatchObject({ tag: 'emails', keys: 3, slot: slot('emails'), share: 0.5 });
    expect(d.groups.map((g) => [g.slot, g.keys, g.tags.map((t) => t.tag)])).toEqual([
      [slot('emails'), 3, ['emails']],
      [slot('user:1'), 2, ['user:1']],
    ]);
    expect(d.groups[0].tags[0].sample).toEqual(['bull:{emails}:1', 'bull:{emails}:2', 'bull:{emails}:3']);
  });
  it('measures skew and empty shards', () => {
    expect(d.busiestSlot).toEqual({ slot: slot('emails'), keys: 3, share: 0.5 });
    const emptyish = distribution(list, slotTable(list, redisPolicy), { slotShard: new Int16Array(SLOT_COUNT), labels: ['one', 'two'] });
    expect(emptyish.emptyShards).toEqual([1]);
    expect(emptyish.maxShardOverMean).toBe(2);
  });
  it('keys in slots no shard owns are counted as unassigned', () => {
    const holes = distribution(list, slotTable(list, redisPolicy), { slotShard: new Int16Array(SLOT_COUNT).fill(-1), labels: ['x'] });
    expect(holes.unassigned).toBe(6);
  });
});

describe('migration diff', () => {
  const keys = ['a{x}b{y}', 'c{y}', 'foo{}{bar}', 'plain', 'q{z}', 'r{z}'];
  const list = parseKeyList(utf8(keys.join('\n')));
  const a = { table: slotTable(list, redisPolicy), shards: THREE };
  const b = { table: slotTable(list, standardPolicy), shards: THREE };
  const diff = migrationDiff(list, a, b);

  it('counts keys that change slot and shard', () => {
    expect(diff.keys).toBe(6);
    // a{x}b{y}: x → y; foo{}{bar}: whole key → bar. Others keep their slot.
    expect(diff.changedSlot).toBe(2);
    expect(diff.moved.map((m) => m.key)).toEqual(['a{x}b{y}', 'foo{}{bar}']);
    expect(diff.moved[0]).toMatchObject({ from: { tag: 'x', slot: slot('x') }, to: { tag: 'y', slot: slot('y') } });
  });
  it('finds co-location that B creates (a{x}b{y} joins c{y})', () => {
    expect(diff.mergedCount).toBe(1);
    expect(diff.merged[0]).toMatchObject({ slot: slot('y'), keys: 2, slots: 2 });
    expect(diff.splitCount).toBe(0);
    const back = migrationDiff(list, b, a);
    expect(back.splitCount).toBe(1);
  });
  it('lists commands whose verdict changes, in both directions', () => {
    const lines = tokenizeCommands(utf8('MGET a{x}b{y} c{y}\nMGET q{z} r{z}\nMGET a{x}b{y} x')).lines;
    const changes = verdictChanges(analyzeCommands(lines, redisPolicy).reports, analyzeCommands(lines, standardPolicy).reports, 'oss-cluster');
    expect(changes.map((c) => [c.line, c.before, c.after])).toEqual([
      [1, 'crossslot', 'ok'],
      [3, 'ok', 'crossslot'],
    ]);
  });
});
