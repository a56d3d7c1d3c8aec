import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BIN, FIXTURES } from '../support/cli-env.ts';

const run = promisify(execFile);

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'hashslot-patterns-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** Runs the CLI with the given texts as files; without keys, an empty key file (stdin would wait). */
async function patterns(args: string[], files: { keys?: string; commands?: string; rules?: string } = {}) {
  const extra: string[] = [];
  if (files.keys === undefined && !args.includes('--input')) files = { keys: '', ...files };
  for (const [name, text] of Object.entries(files)) {
    const file = join(dir, `${name}-${Math.random().toString(36).slice(2)}.txt`);
    await writeFile(file, text);
    extra.push(name === 'keys' ? '--input' : `--${name}`, file);
  }
  try {
    const { stdout, stderr } = await run('node', [BIN, 'patterns', ...args, ...extra]);
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
const fixtureArgs = ['--input', FIXTURES + 'patterns-schema.txt', '--commands', FIXTURES + 'pattern-commands.txt'];

describe('hashslot patterns on the e-commerce fixture', () => {
  it('prints what each pattern hashes, the matrix, the pairs that share a slot and the template verdicts', async () => {
    const { code, stdout } = await patterns(fixtureArgs);
    expect(code).toBe(0);
    expect(stdout).toMatch(/^Patterns under the Redis policy \(decided exactly\)/);
    expect(stdout).toMatch(/ 4 {5}4 {2}user:<uid>:settings +the whole key\n/);
    expect(stdout).toMatch(/! when <q> is empty, it hashes the whole key instead of <q> \(e\.g\. search:\{\}:results\)/);
    // Issue 20: placeholders that can hold equal values (<uid> and <q>: "7"; <q> and a whole key) depend.
    expect(stdout).toContain('    9    D  D  D  D  D  D  D  D  -  D\n');
    expect(stdout).toMatch(/ {4}1 ~ 2 {4}always {3}all hash <uid>/);
    expect(stdout).toMatch(/ {4}8 {2}NEVER {4}MGET user:\{<uid>\}:profile user:<uid>:settings: CROSSSLOT for every value/);
    expect(stdout).toMatch(/fix: {6}user:\{<uid>\}:profile, user:\{<uid>\}:settings/);
    expect(stdout).toMatch(/ {3}12 {2}DEPENDS {2}MSET/);
    expect(stdout).toMatch(/\n5 always, 2 never, 1 depends, 0 error on oss-cluster\n$/);
  });
  it('--json: one object per line — patterns, pairs (45), templates, then a summary', async () => {
    const rows = json((await patterns([...fixtureArgs, '--json'])).stdout);
    const kinds = rows.map((r) => r.kind);
    expect(kinds.filter((k) => k === 'pattern')).toHaveLength(10);
    expect(kinds.filter((k) => k === 'pair')).toHaveLength(45);
    expect(rows[0]).toEqual({
      kind: 'pattern',
      index: 0,
      line: 1,
      pattern: 'user:{<uid:int>}:profile',
      names: ['uid'],
      ok: true,
      hashing: { expr: '<uid>', kind: 'tag' },
      warnings: [],
      sampled: false,
    });
    const search = rows.find((r) => r.kind === 'pair' && r.a === 8 && r.b === 9);
    expect(search).toMatchObject({
      verdict: 'depends',
      shared: ['q'],
      exact: true,
      sampled: false,
      different: { keys: ['search:{}:results', 'search:{}:count'] },
    });
    const mget = rows.find((r) => r.kind === 'template' && r.line === 8);
    expect(mget).toMatchObject({
      command: 'MGET',
      keys: ['user:{<uid>}:profile', 'user:<uid>:settings'],
      verdict: 'never',
      template: true,
      fix: ['user:{<uid>}:profile', 'user:{<uid>}:settings'],
      targets: { 'oss-cluster': 'never', 'enterprise-proxy': 'always', 'enterprise-oss-api': 'never', 'active-active': 'always' },
    });
    expect(rows.find((r) => r.kind === 'template' && r.line === 1)).toEqual({
      kind: 'template',
      line: 1,
      command: '',
      keys: [],
      template: false,
      verdict: 'comment',
      reason: 'comment',
    });
    expect(rows[rows.length - 1]).toEqual({
      kind: 'summary',
      policy: 'redis',
      mode: 'symbolic',
      target: 'oss-cluster',
      patterns: 10,
      pairs: { always: 4, never: 19, depends: 22 },
      templates: { always: 5, never: 2, depends: 1, 'no-keys': 1 },
    });
  });
  it('--fail-on fails CI when a template is not always single-slot on the target', async () => {
    expect((await patterns([...fixtureArgs, '--fail-on', 'never'])).code).toBe(1);
    expect((await patterns([...fixtureArgs, '--fail-on', 'depends', '--target', 'enterprise-proxy'])).code).toBe(0);
    expect((await patterns([...fixtureArgs, '--fail-on', 'never', '--policy', 'standard', '--target', 'active-active'])).code).toBe(1);
    expect((await patterns(['--fail-on', 'depends'], { commands: 'MSET {<s:str>}:a 1 {<s:str>}:b 2\n' })).code).toBe(1);
    expect((await patterns(['--fail-on', 'never'], { commands: 'MSET {<s:str>}:a 1 {<s:str>}:b 2\n' })).code).toBe(0);
    expect((await patterns(['--fail-on', 'error'], { commands: 'NOSUCH <x>\n' })).code).toBe(1);
  });
  it('--policy standard decides the search cache differently', async () => {
    const rows = json((await patterns([...fixtureArgs, '--json', '--policy', 'standard'])).stdout);
    expect(rows.find((r) => r.kind === 'pair' && r.a === 8 && r.b === 9).verdict).toBe('always');
    expect(rows.find((r) => r.kind === 'pattern').hashing).toEqual({ expr: '<uid>', kind: 'tag', rule: 1 });
  });
  it('--policy custom samples through the rules and says so; --samples sets how many', async () => {
    const rows = json((await patterns([...fixtureArgs, '--json', '--policy', 'custom', '--rules', FIXTURES + 'rules-typical.txt', '--samples', '50'])).stdout);
    expect(rows[rows.length - 1]).toMatchObject({ policy: 'custom', mode: 'sampled' });
    expect(rows.find((r) => r.kind === 'pair' && r.a === 0 && r.b === 1)).toMatchObject({
      verdict: 'always',
      sampled: true,
      reason: 'one slot for 50 of 50 sampled values',
    });
    expect(rows.find((r) => r.kind === 'pattern' && r.index === 4).warnings[0]).toMatchObject({ code: 'no-rule-matched' });
  });
});

describe('hashslot patterns input handling', () => {
  it('malformed patterns are diagnostics on stderr with file, line and column; the rest is analyzed', async () => {
    const { code, stdout, stderr } = await patterns([], { keys: 'a:{<x>}\nb:<y:nope>\nc:{<x>}\n' });
    expect(code).toBe(0);
    expect(stderr).toMatch(/keys-\w+\.txt:2:6: error unknown-placeholder-type: unknown placeholder type 'nope'/);
    expect(stdout).toMatch(/ {4}1 ~ 3 {4}always/);
  });
  it('--json reports diagnostics as objects', async () => {
    const rows = json((await patterns(['--json'], { commands: 'GET <x\n' })).stdout);
    expect(rows[0]).toMatchObject({ kind: 'diagnostic', line: 1, column: 5, severity: 'error', code: 'unterminated-placeholder' });
  });
  it('bad usage exits 2', async () => {
    expect((await patterns(['--fail-on', 'sometimes'], { keys: 'a:<x>' })).code).toBe(2);
    expect((await patterns(['--target', 'nope'], { keys: 'a:<x>' })).code).toBe(2);
    expect((await patterns(['--samples', '0'], { keys: 'a:<x>' })).code).toBe(2);
    expect((await patterns(['--policy', 'custom'], { keys: 'a:<x>' })).code).toBe(2);
    const missing = await patterns(['--commands', join(dir, 'missing.txt')], { keys: 'a:<x>' });
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/cannot read commands file/);
  });
  it('is listed in hashslot --help', async () => {
    const { stdout } = await run('node', [BIN, '--help']);
    expect(stdout).toMatch(/patterns +key patterns/);
  });
});
