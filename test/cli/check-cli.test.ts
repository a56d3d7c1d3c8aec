import { execFile } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { tokenizeCommands, utf8 } from '../../src/core/index.ts';
import type { RespValue } from '../oracles/redis-server.ts';
import { BIN, cliEnv } from '../support/cli-env.ts';
import { FAMILIES, instantiate } from '../support/command-families.ts';
import { rng } from '../support/generate.ts';

const run = promisify(execFile);

const env = cliEnv('check');

async function check(args: string[], input: string) {
  const file = join(env.dir, `in-${Math.random().toString(36).slice(2)}.txt`);
  await writeFile(file, input);
  try {
    const { stdout, stderr } = await run('node', [BIN, 'check', ...args, '--input', file]);
    return { code: 0, stdout, stderr };
  } catch (e) {
    const err = e as { code: number; stdout: string; stderr: string };
    return { code: err.code, stdout: err.stdout, stderr: err.stderr };
  }
}
const json = (stdout: string) =>
  stdout
    .trimEnd()
    .split('\n')
    .map((l) => JSON.parse(l));
const isCrossSlot = (r: RespValue) => typeof r === 'object' && r !== null && 'error' in r && r.error.startsWith('CROSSSLOT');

describe('hashslot check --policy redis --json agrees with a real server', () => {
  it('on commands it has never seen (own seed), with comments and a transaction', async () => {
    const rand = rng(31337);
    const lines = ['# generated', ...FAMILIES.map((f) => instantiate(f, rand)), 'MULTI', instantiate('SET K V', rand), instantiate('INCR K', rand), 'EXEC'];
    const { code, stdout } = await check(['--policy', 'redis', '--json'], lines.join('\n') + '\n');
    expect(code).toBe(0);
    const rows = json(stdout);
    expect(rows).toHaveLength(lines.length);
    expect(rows[0]).toEqual({ line: 1, command: '', keys: [], slots: [], verdict: 'comment', reason: 'comment' });
    const parsed = tokenizeCommands(utf8(lines.join('\n')));
    await env.redis.command(['FLUSHALL']);
    const bad: object[] = [];
    for (let i = 1; i < lines.length; i++) {
      if (lines[i] === 'MULTI') break;
      const reply = await env.redis.command(parsed.lines[i].args);
      if (isCrossSlot(reply) !== (rows[i].verdict === 'crossslot')) bad.push({ line: lines[i], reply, ours: rows[i] });
      expect(rows[i].line).toBe(i + 1);
    }
    const tx = parsed.lines.slice(-4).map((l) => l.args);
    const replies = await env.redis.pipeline(tx);
    expect(isCrossSlot(replies[3])).toBe(rows[rows.length - 1].verdict === 'crossslot');
    expect(rows[rows.length - 1].transaction).toEqual({ from: lines.length - 3, to: lines.length });
    expect(bad.slice(0, 5)).toEqual([]);
  });
});

describe('hashslot check contract', () => {
  const input = 'MSET user:1000:profile a user:1000:settings b\nMGET {u}:a {u}:b\n\n# note\nFOO bar\n';
  it('one JSON object per non-empty line, with keys, slots, verdict, reason and a fix', async () => {
    const rows = json((await check(['--policy', 'redis', '--json'], input)).stdout);
    expect(rows.map((r) => [r.line, r.command, r.verdict])).toEqual([
      [1, 'MSET', 'crossslot'],
      [2, 'MGET', 'ok'],
      [4, '', 'comment'],
      [5, 'FOO', 'error'],
    ]);
    expect(rows[0]).toMatchObject({
      keys: ['user:1000:profile', 'user:1000:settings'],
      slots: [8918, 15083],
      suggestion: ['{user:1000}:profile', '{user:1000}:settings'],
    });
    expect(rows[2]).toEqual({ line: 4, command: '', keys: [], slots: [], verdict: 'comment', reason: 'comment' });
  });
  it('--target changes the verdict', async () => {
    const rows = json((await check(['--json', '--target', 'enterprise-proxy'], input)).stdout);
    expect(rows[0].verdict).toBe('ok');
    expect((await check(['--target', 'nope'], input)).code).toBe(2);
  });
  it('--policy standard and custom', async () => {
    const rules = join(env.dir, 'rules.txt');
    await writeFile(rules, '(?<tag>[^:]+:[^:]+):.*\n');
    const custom = json((await check(['--policy', 'custom', '--rules', rules, '--json'], input)).stdout);
    expect(custom[0].verdict).toBe('ok');
    const standard = json((await check(['--policy', 'standard', '--json'], 'MGET a{x}b{y} c{y}\n')).stdout);
    expect(standard[0].verdict).toBe('ok');
  });
  it('prints a readable report without --json', async () => {
    const { stdout } = await check([], input);
    expect(stdout).toMatch(/1 {2}CROSSSLOT {2}MSET: keys span 2 slots/);
    expect(stdout).toMatch(/fix: {2}\{user:1000\}:profile, \{user:1000\}:settings/);
    expect(stdout).toMatch(/1 ok, 1 CROSSSLOT, 1 errors on oss-cluster/);
  });
});
