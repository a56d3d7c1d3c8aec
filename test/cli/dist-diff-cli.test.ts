import { execFile } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { keyAt, parseKeyList, slotOfBytes, STANDARD_RULES } from '../../src/core/index.ts';
import { pcreMatchMany } from '../oracles/pcre2.ts';
import { startRedisCluster, type RedisOracle } from '../oracles/redis-server.ts';
import { BIN, FIXTURES } from '../support/cli-env.ts';

const run = promisify(execFile);
const KEYS = `${FIXTURES}keys-ecommerce.txt`;

let redis: RedisOracle;
let keys: Uint8Array[];
let redisSlots: number[];
let standardSlots: number[];
beforeAll(async () => {
  redis = await startRedisCluster();
  const list = parseKeyList(new Uint8Array(await readFile(KEYS)));
  keys = Array.from({ length: list.count }, (_, i) => keyAt(list, i).slice());
  redisSlots = await redis.keyslots(keys);
  // Standard from real PCRE: the first of its two rules that matches gives the tag.
  const [r1, r2] = await pcreMatchMany(STANDARD_RULES.map((pattern) => ({ pattern, subjects: keys })));
  standardSlots = keys.map((_, i) => slotOfBytes((r1[i].matched ? r1[i] : r2[i]).groups.tag!));
});
afterAll(async () => {
  await redis?.stop();
});

const hashslot = async (args: string[]) => (await run('node', [BIN, ...args])).stdout.trimEnd().split('\n');

describe('hashslot diff on a realistic keyspace, checked against the real engines', () => {
  it('per-key slots and the totals equal redis-server (from) and pcre2test (to)', async () => {
    const lines = (await hashslot(['diff', '--from', 'redis', '--to', 'standard', '--masters', '3', '--json', '--input', KEYS])).map((l) => JSON.parse(l));
    const perKey = lines.slice(0, -1);
    const { summary } = lines[lines.length - 1];
    expect(perKey).toHaveLength(keys.length);
    // One record shape for every per-key output: the main policy's placement, and under `to` the compared one.
    expect(perKey.map((r) => r.slot)).toEqual(redisSlots);
    expect(perKey.map((r) => r.to.slot)).toEqual(standardSlots);
    const changed = redisSlots.filter((s, i) => s !== standardSlots[i]).length;
    expect(summary.changedSlot).toBe(changed);
    expect(perKey.filter((r) => r.moved)).toHaveLength(changed);
    const shardOf = (slot: number) => (slot <= 5460 ? 0 : slot <= 10922 ? 1 : 2);
    expect(summary.changedShard).toBe(redisSlots.filter((s, i) => shardOf(s) !== shardOf(standardSlots[i])).length);
    expect(summary.note).toMatch(/flushes the database/);
  });

  it('reports co-location that splits and merges, and commands whose verdict changes', async () => {
    const out = await hashslot(['diff', '--from', 'redis', '--to', 'standard', '--commands', `${FIXTURES}commands-ecommerce.txt`, '--input', KEYS]);
    const text = out.join('\n');
    expect(text).toMatch(/keys that change slot: +\d+/);
    expect(text).toMatch(/split: slot \d+, 3 keys → 2 slots \(order:\{2024\}\{eu\}:7781/);
    expect(text).toMatch(/merged: slot 0, 2 keys from 2 slots \(inventory:sku:\{\}:A-113, inventory:sku:\{\}:B-7\)/);
    expect(text).toMatch(/line 9 MGET: ok → crossslot/);
    expect(text).toMatch(/line 10 DEL: crossslot → ok/);
    expect(text).toMatch(/flushes the database/);
    expect(out.length).toBeLessThan(40); // a reviewer reads it in a minute
  });

  it('custom → custom reports keys that start or stop matching no rule', async () => {
    const { writeFile, mkdtemp, rm } = await import('node:fs/promises');
    const { join } = await import('node:path');
    const { tmpdir } = await import('node:os');
    const dir = await mkdtemp(join(tmpdir(), 'hashslot-diff-'));
    await writeFile(join(dir, 'v1.txt'), '(?<tag>user:\\d+):.*\n.*\\{(?<tag>.*)\\}.*\n');
    await writeFile(join(dir, 'v2.txt'), '(?<tag>user:\\d+):.*\n(?<tag>bull:\\{[^}]*\\}):.*\n(?<tag>session):.*\n');
    const lines = (
      await hashslot([
        'diff',
        '--from',
        'custom',
        '--from-rules',
        join(dir, 'v1.txt'),
        '--to',
        'custom',
        '--to-rules',
        join(dir, 'v2.txt'),
        '--json',
        '--input',
        KEYS,
      ])
    ).map((l) => JSON.parse(l));
    const { summary } = lines[lines.length - 1];
    const perKey = lines.slice(0, -1);
    expect(summary.startUnmatched).toBe(perKey.filter((r) => !r.error && r.to.error === 'no-rule-matched').length);
    expect(summary.stopUnmatched).toBe(perKey.filter((r) => r.error === 'no-rule-matched' && !r.to.error).length);
    expect(summary.startUnmatched).toBeGreaterThan(0);
    expect(summary.stopUnmatched).toBeGreaterThan(0);
    await rm(dir, { recursive: true, force: true });
  });
});

describe('hashslot dist', () => {
  it('one object per key with the real slot, then a summary', async () => {
    const lines = (await hashslot(['dist', '--policy', 'redis', '--shards', '2', '--json', '--input', KEYS])).map((l) => JSON.parse(l));
    const perKey = lines.slice(0, -1);
    expect(perKey.map((r) => r.slot)).toEqual(redisSlots);
    expect(perKey.every((r) => r.shard === (r.slot <= 8191 ? 'Shard 1' : 'Shard 2'))).toBe(true);
    const { summary } = lines[lines.length - 1];
    expect(summary.keys).toBe(keys.length);
    expect(summary.shards.map((s: { keys: number }) => s.keys).reduce((a: number, b: number) => a + b)).toBe(keys.length);
    expect(summary.hotTags[0].keys).toBe(8); // each job queue has 8 keys under one tag
  });
  it('a readable summary', async () => {
    const text = (await hashslot(['dist', '--input', KEYS])).join('\n');
    expect(text).toMatch(/^84 keys in \d+ slots on 3 shards \(redis policy, 3 shards \(Redis Cloud even split\)\)/);
    expect(text).toMatch(/hot tags:/);
  });
});
