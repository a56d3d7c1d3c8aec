import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { analyzeCommands, commandKeys, latin1, quote, redisPolicy, tokenizeCommands, utf8 } from '../../src/core/index.ts';
import { startRedisCluster, type RedisOracle, type RespValue } from '../oracles/redis-server.ts';
import { rng } from '../support/generate.ts';

let redis: RedisOracle;
let version = '';
beforeAll(async () => {
  redis = await startRedisCluster();
  const info = latin1((await redis.command(['INFO', 'server'])) as Uint8Array);
  version = /redis_version:(\S+)/.exec(info)?.[1] ?? '';
});
afterAll(async () => {
  await redis?.stop();
});

/** Keys that collide on purpose ({u1}…) and keys that almost never share a slot. */
const KEY_POOL = ['{u1}:a', '{u1}:b', '{u1}:c', 'x', 'y', 'user:1000:profile', 'user:1000:cart', '{u2}:z', 'k\xffbin', 'é{u1}'];

/** Command families with placeholders: K = a key from the pool, V = a value. Timeouts are tiny so blocking commands return. */
const FAMILIES = [
  'GET K', 'SET K V', 'INCR K', 'HSET K f V', 'EXPIRE K 100', 'OBJECT ENCODING K', 'MEMORY USAGE K', 'XINFO STREAM K',
  'MGET K K', 'MGET K K K', 'MSET K V K V', 'MSETNX K V K V', 'DEL K K', 'EXISTS K K K', 'UNLINK K K', 'TOUCH K K',
  'RENAME K K', 'RENAMENX K K', 'COPY K K', 'SMOVE K K m', 'LMOVE K K LEFT RIGHT', 'RPOPLPUSH K K', 'SUNIONSTORE K K K',
  'SINTERSTORE K K K', 'SDIFFSTORE K K', 'SUNION K K', 'SINTER K K K', 'SDIFF K K', 'ZUNIONSTORE K 2 K K',
  'ZINTERSTORE K 2 K K WEIGHTS 1 2', 'ZDIFFSTORE K 2 K K', 'ZUNION 2 K K', 'ZINTER 2 K K', 'ZDIFF 2 K K', 'ZINTERCARD 2 K K',
  'SINTERCARD 2 K K', 'SINTERCARD 3 K K K LIMIT 1', 'BITOP AND K K K', 'PFMERGE K K K', 'PFCOUNT K K', 'LMPOP 2 K K LEFT',
  'ZMPOP 2 K K MIN', 'BLMPOP 0.01 2 K K LEFT', 'BZMPOP 0.01 2 K K MIN', 'BLPOP K K 0.01', 'BRPOP K K 0.01', 'BZPOPMIN K K 0.01',
  'BLMOVE K K LEFT RIGHT 0.01', 'BRPOPLPUSH K K 0.01', 'GEORADIUS K 0 0 10 km STORE K', 'GEORADIUSBYMEMBER K m 10 km STOREDIST K',
  'GEOSEARCHSTORE K K FROMLONLAT 0 0 BYRADIUS 10 km', 'LCS K K', 'SORT K', 'SORT K STORE K', 'SORT K LIMIT 0 1 STORE K',
  'SORT_RO K', 'SORT K BY nosort', 'SORT K BY w_* GET #', 'SORT K GET o_*', 'EVAL "return 1" 2 K K', 'EVAL "return 1" 0',
  'EVAL_RO "return 1" 1 K', 'EVAL "return 1" 3 K K K', 'FCALL nosuchfn 2 K K', 'XREAD STREAMS K K 0 0', 'XREAD COUNT 1 STREAMS K 0',
  'XREADGROUP GROUP g c STREAMS K K > >', 'MIGRATE 127.0.0.1 1 "" 0 100 KEYS K K', 'WATCH K K', 'SPUBLISH K hello',
  'ZRANGESTORE K K 0 -1', 'DUMP K', 'XADD K * f V', 'LPUSH K V V', 'SADD K m', 'PING', 'ECHO hi', 'DBSIZE',
  // refused before the slot check
  'NOSUCHCOMMAND K K', 'GET', 'GET K K', 'OBJECT NOSUCH K', 'EVAL "return 1" -1 K', 'EVAL "return 1" 5 K', 'ZUNIONSTORE K 0 K',
  'LMPOP 0 K LEFT', 'XREAD STREAMS K K 0',
];

function instantiate(family: string, rand: () => number): string {
  return family
    .split(' ')
    .map((w) => (w === 'K' ? quote(utf8(KEY_POOL[Math.floor(rand() * KEY_POOL.length)])) : w === 'V' ? String(Math.floor(rand() * 100)) : w))
    .join(' ');
}

const isError = (r: RespValue): r is { error: string } => typeof r === 'object' && r !== null && 'error' in r;
const isCrossSlot = (r: RespValue) => isError(r) && r.error.startsWith('CROSSSLOT');

describe('commands: our keys and oss-cluster verdicts equal a real server', () => {
  it('on a few hundred generated commands of every family', async () => {
    const rand = rng(424242);
    const lines = FAMILIES.flatMap((f) => [0, 1, 2, 3].map(() => instantiate(f, rand)));
    const parsed = tokenizeCommands(utf8(lines.join('\n')));
    expect(parsed.lines).toHaveLength(lines.length);
    const { reports } = analyzeCommands(parsed.lines, redisPolicy);
    const bad: object[] = [];
    for (let i = 0; i < lines.length; i++) {
      const args = parsed.lines[i].args;
      await redis.command(['FLUSHALL']);
      // COMMAND GETKEYS where the server answers with keys: they must equal ours.
      const getkeys = await redis.command(['COMMAND', 'GETKEYS', ...args]);
      const ours = commandKeys(args);
      if (Array.isArray(getkeys) && ours.ok) {
        const theirs = getkeys.map((k) => latin1(k as Uint8Array));
        const mine = ours.keys.map((k) => latin1(args[k]));
        if (JSON.stringify(theirs) !== JSON.stringify(mine)) bad.push({ line: lines[i], getkeys: theirs, ours: mine });
      }
      // The verdict: crossslot exactly when the server answers CROSSSLOT.
      const reply = await redis.command(args);
      const verdict = reports[i].verdicts['oss-cluster'].verdict;
      if (isCrossSlot(reply) !== (verdict === 'crossslot')) bad.push({ line: lines[i], server: reply, verdict });
      if (verdict === 'error' && !isError(reply)) bad.push({ line: lines[i], server: reply, verdict, note: 'we say error, the server accepted it' });
      if ((verdict === 'ok' || verdict === 'no-keys') && isError(reply) && /^ERR (unknown command|wrong number)/.test(reply.error)) {
        bad.push({ line: lines[i], server: reply, verdict });
      }
    }
    expect(bad.slice(0, 10)).toEqual([]);
  });

  it('on MULTI/EXEC blocks: the EXEC verdict covers the block; a refused command aborts it', async () => {
    const rand = rng(777);
    const simple = ['SET K V', 'GET K', 'INCR K', 'MGET K K', 'DEL K', 'SADD K m', 'EVAL "return 1" 1 K', 'NOSUCH K', 'MSET K V K V'];
    const bad: object[] = [];
    for (let b = 0; b < 60; b++) {
      const body = Array.from({ length: 1 + Math.floor(rand() * 3) }, () => instantiate(simple[Math.floor(rand() * simple.length)], rand));
      const lines = ['MULTI', ...body, 'EXEC'];
      const parsed = tokenizeCommands(utf8(lines.join('\n')));
      const { reports } = analyzeCommands(parsed.lines, redisPolicy);
      await redis.command(['FLUSHALL']);
      const replies = await redis.pipeline(parsed.lines.map((l) => l.args));
      for (let i = 0; i < lines.length; i++) {
        const verdict = reports[i].verdicts['oss-cluster'].verdict;
        if (isCrossSlot(replies[i]) !== (verdict === 'crossslot')) bad.push({ block: lines, line: lines[i], server: replies[i], verdict });
      }
      const exec = replies[replies.length - 1];
      const execVerdict = reports[reports.length - 1].verdicts['oss-cluster'].verdict;
      if (isError(exec) && exec.error.startsWith('EXECABORT') !== (execVerdict === 'error')) bad.push({ block: lines, exec, execVerdict });
    }
    expect(bad.slice(0, 6)).toEqual([]);
  });

  it(`SORT BY/GET patterns: refused unless they hash to the key's slot (Redis ≥ 7.2; older servers refuse all)`, async () => {
    const cases = ['SORT {s}:k BY {s}:w_*', 'SORT {s}:k BY w_*', 'SORT {s}:k GET {s}:o_*', 'SORT k GET #', 'SORT k BY nosort'];
    const { reports } = analyzeCommands(tokenizeCommands(utf8(cases.join('\n'))).lines, redisPolicy);
    for (let i = 0; i < cases.length; i++) {
      const reply = await redis.command(tokenizeCommands(utf8(cases[i])).lines[0].args);
      const verdict = reports[i].verdicts['oss-cluster'].verdict;
      const oldServer = Number(version.split('.')[0]) * 100 + Number(version.split('.')[1]) < 702;
      if (oldServer && i < 4) expect(isError(reply)).toBe(true);
      else expect(isError(reply), `${cases[i]} → ${JSON.stringify(reply)}`).toBe(verdict === 'error');
    }
  });
});
