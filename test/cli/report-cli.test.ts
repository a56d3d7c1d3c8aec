import { spawn } from 'node:child_process';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { keyAt, mdCode, parseKeyList, TARGETS } from '../../src/core/index.ts';
import { BIN, cliEnv, FIXTURES } from '../support/cli-env.ts';

const KEYS = `${FIXTURES}keys-ecommerce.txt`;
const COMMANDS = `${FIXTURES}commands-ecommerce.txt`;

/** Runs the real binary; stdin gets `stdin` and is closed (the report reads keys from a pipe). */
function hashslot(args: string[], stdin = ''): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn('node', [BIN, ...args], { stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (s: string) => (stdout += s));
    child.stderr.setEncoding('utf8').on('data', (s: string) => (stderr += s));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code: code ?? -1, stdout, stderr }));
    child.stdin.end(stdin);
  });
}

const report = (extra: string[] = []) => hashslot(['report', '--commands', COMMANDS, '--input', KEYS, ...extra]);
const checkJson = async (target: string) =>
  (await hashslot(['check', '--json', '--target', target, '--input', COMMANDS])).stdout
    .trimEnd()
    .split('\n')
    .map((l) => JSON.parse(l) as { verdict: string; suggestion?: string[] });

const env = cliEnv('report');

describe('hashslot report on the e-commerce fixtures', () => {
  it('has every section, and the whole report is kept as an example', async () => {
    const { code, stdout, stderr } = await report(['--compare', 'standard']);
    expect(stderr).toBe('');
    expect(code).toBe(0);
    for (const heading of [
      '# Hash-slot review',
      '## Policy and topology',
      '## Distribution',
      '## Hot tags',
      '## Co-location groups',
      '## Failing commands',
      '## Migration: Redis → Standard',
    ]) {
      expect(stdout.split('\n')).toContain(heading);
    }
    expect(stdout.split('\n').length).toBeLessThan(150); // reads in a minute
    await expect(stdout).toMatchFileSnapshot('../../fixtures/report/ecommerce.md');
  });

  it.each(TARGETS)('the CROSSSLOT count and the fixes are those of hashslot check --json (%s)', async (target) => {
    const rows = await checkJson(target);
    const crossslot = rows.filter((r) => r.verdict === 'crossslot');
    const { stdout } = await report(['--target', target]);
    if (crossslot.length > 0) {
      expect(stdout).toContain(`${crossslot.length} ${crossslot.length === 1 ? 'command fails' : 'commands fail'} with CROSSSLOT on`);
      expect(stdout.match(/^ {2}- Fix: /gm)).toHaveLength(crossslot.length);
    } else {
      expect(stdout).toContain('✅ no CROSSSLOT on');
    }
    for (const r of crossslot) expect(stdout).toContain(`- Fix: ${r.suggestion!.map((k) => mdCode(k)).join(', ')}\n`);
  });

  it('shard key counts equal those from a real redis-server', async () => {
    const list = parseKeyList(new Uint8Array(await readFile(KEYS)));
    const slots = await env.redis.keyslots(Array.from({ length: list.count }, (_, i) => keyAt(list, i).slice()));
    const perShard = [0, 0, 0];
    for (const s of slots) perShard[s <= 5460 ? 0 : s <= 10922 ? 1 : 2]++;
    const { stdout } = await report(['--masters', '3']);
    expect(stdout).toContain('3 masters (redis-cli --cluster create split)');
    for (const [i, n] of perShard.entries()) expect(stdout).toMatch(new RegExp(`^\\| Master\\\\\\[${i}\\\\\\] \\| ${n} \\|`, 'm'));
  });

  it('--compare standard adds the Migration section with the flush warning', async () => {
    const without = (await report()).stdout;
    expect(without).not.toContain('## Migration');
    const { stdout } = await report(['--compare', 'standard']);
    expect(stdout).toContain('> ⚠️ On Redis Cloud / Software, changing the hashing policy or the order of custom rules flushes the database');
    expect(stdout).toMatch(/\| 9 \| `MGET` \| ok → \*\*crossslot\*\* \|/);
    expect(stdout).toMatch(/\| 10 \| `DEL` \| crossslot → \*\*ok\*\* \|/);
  });
});

describe('hashslot report exit status', () => {
  it('--fail-on crossslot: 1 when a command fails, 0 when none does; the report is printed either way', async () => {
    const failing = await report(['--fail-on', 'crossslot']);
    expect(failing.code).toBe(1);
    expect(failing.stdout).toContain('## Failing commands');
    const clean = join(env.dir, 'clean.txt');
    await writeFile(clean, 'GET k\nMGET {a}x {a}y\n');
    const ok = await hashslot(['report', '--commands', clean, '--fail-on', 'crossslot']);
    expect(ok.code).toBe(0);
    expect(ok.stdout).toContain('✅ no CROSSSLOT on Redis / Valkey cluster');
    // Without keys, only the commands: no distribution sections.
    expect(ok.stdout).toContain('No keys given');
    expect(ok.stdout).not.toContain('## Hot tags');
    // Without --fail-on findings never fail the run.
    expect((await report()).code).toBe(0);
  });

  it('--fail-on error also counts commands the server refuses otherwise', async () => {
    const file = join(env.dir, 'errors.txt');
    await writeFile(file, 'GET k\nNOSUCHCOMMAND x\n');
    expect((await hashslot(['report', '--commands', file, '--fail-on', 'crossslot'])).code).toBe(0);
    const r = await hashslot(['report', '--commands', file, '--fail-on', 'error']);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('### Errors (1)');
  });

  it('usage and rules errors exit 2', async () => {
    const bad = await hashslot(['report', '--policy', 'custom', '--rules', `${FIXTURES}rules-bad.txt`, '--commands', COMMANDS]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/rules-bad\.txt:3:\d+: unsupported-lookahead/);
    expect(bad.stdout).toBe('');
    expect((await hashslot(['report', '--compare', 'custom', '--compare-rules', `${FIXTURES}rules-bad.txt`])).code).toBe(2);
    expect((await hashslot(['report', '--compare', 'custom'])).code).toBe(2);
    expect((await hashslot(['report', '--fail-on', 'warnings'])).code).toBe(2);
    expect((await hashslot(['report', '--target', 'nope'])).code).toBe(2);
    expect((await hashslot(['report', '--commands', join(env.dir, 'missing.txt')])).code).toBe(2);
    expect((await hashslot(['report', '--json'])).code).toBe(2);
  });

  it('custom rules are listed in the report', async () => {
    const { code, stdout } = await hashslot(['report', '--policy', 'custom', '--rules', `${FIXTURES}rules-typical.txt`, '--input', KEYS]);
    expect(code).toBe(0);
    const rules = (await readFile(`${FIXTURES}rules-typical.txt`, 'utf8')).split('\n').filter((l) => l !== '');
    rules.forEach((rule, i) => expect(stdout).toContain(`   ${i + 1}. ${mdCode(rule)}\n`));
  });
});
