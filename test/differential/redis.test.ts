import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startRedisCluster, type RedisOracle } from '../oracles/redis-server.ts';
import { keyCorpus } from '../support/generate.ts';
import { redisPolicy, runPolicy } from '../support/run-core.ts';

let redis: RedisOracle;
beforeAll(async () => {
  redis = await startRedisCluster();
});
afterAll(async () => {
  await redis?.stop();
});

describe('Redis policy equals a real redis-server (CLUSTER KEYSLOT)', () => {
  it('on 20,000 adversarial keys: brace soup, {}, NUL/CR/LF, invalid UTF-8, multibyte, 10 KB keys', async () => {
    const keys = keyCorpus(20261121, 20_000);
    const expected = await redis.keyslots(keys);
    const ours = runPolicy(redisPolicy, keys).map((r) => r.slot);
    const mismatches = keys.flatMap((k, i) => (ours[i] === expected[i] ? [] : [{ key: Buffer.from(k).toString('hex'), ours: ours[i], redis: expected[i] }]));
    expect(mismatches.slice(0, 10)).toEqual([]);
  });

  it('on every single byte and every two-byte key around braces', async () => {
    const keys: Uint8Array[] = [];
    for (let a = 0; a < 256; a++) {
      keys.push(new Uint8Array([a]));
      keys.push(new Uint8Array([0x7b, a, 0x7d]), new Uint8Array([a, 0x7b, 0x7d, a]));
    }
    expect(runPolicy(redisPolicy, keys).map((r) => r.slot)).toEqual(await redis.keyslots(keys));
  });
});
