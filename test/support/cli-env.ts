import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll } from 'vitest';
import { startRedisCluster, type RedisOracle } from '../oracles/redis-server.ts';

export const BIN = new URL('../../bin/hashslot.js', import.meta.url).pathname;
export const FIXTURES = new URL('../../fixtures/', import.meta.url).pathname;

/** A scratch folder and a real redis-server node for one CLI test file: made before its tests, removed after. */
export function cliEnv(name: string): { readonly dir: string; readonly redis: RedisOracle } {
  const env = {} as { dir: string; redis: RedisOracle };
  beforeAll(async () => {
    env.dir = await mkdtemp(join(tmpdir(), `hashslot-${name}-`));
    env.redis = await startRedisCluster();
  });
  afterAll(async () => {
    await env.redis?.stop();
    if (env.dir) await rm(env.dir, { recursive: true, force: true });
  });
  return env;
}
