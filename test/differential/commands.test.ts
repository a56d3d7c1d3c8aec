import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { analyzeCommands, commandKeys, latin1, redisPolicy, tokenizeCommands, utf8 } from '../../src/core/index.ts';
import { startRedisCluster, type RedisOracle, type RespValue } from '../oracles/redis-server.ts';
import { rng } from '../support/generate.ts';
import { FAMILIES, instantiate } from '../support/command-families.ts';

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

  it("a numkeys the server cannot use: no keys (COMMAND GETKEYS refuses too) and the server's own message", async () => {
    const cases = ['ZUNIONSTORE k 0 k', 'ZUNIONSTORE k -1 k', 'ZUNIONSTORE k 3 k', 'ZINTERSTORE k x k', 'ZINTER 0 k', 'ZINTERCARD 0 k'];
    cases.push('ZINTERCARD 5 k', 'SINTERCARD 0 k', 'SINTERCARD 5 k', 'SINTERCARD x k', 'LMPOP 0 a LEFT', 'ZMPOP x a MIN', 'BLMPOP 0 0 a LEFT');
    cases.push('LMPOP 5 a LEFT', 'EVAL x -1', 'EVAL x 3 a', 'EVAL x y', 'ZUNION 5 k');
    const bad: object[] = [];
    for (const line of cases) {
      const args = tokenizeCommands(utf8(line)).lines[0].args;
      const ours = commandKeys(args);
      const reply = await redis.command(args);
      const getkeys = await redis.command(['COMMAND', 'GETKEYS', ...args]);
      const mine = ours.ok ? { keys: ours.keys, message: ours.problem?.message } : { refused: ours.message };
      const theirs = { keys: Array.isArray(getkeys) ? getkeys.length : 0, message: isError(reply) ? reply.error.replace(/^ERR /, '') : reply };
      if (JSON.stringify({ keys: mine.keys?.length, message: mine.message }) !== JSON.stringify(theirs)) bad.push({ line, ours: mine, server: theirs });
    }
    expect(bad).toEqual([]);
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
