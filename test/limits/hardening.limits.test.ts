/**
 * Issue 15 on the CLI: every path bounded, nothing reaches a terminal raw, no stack trace. Each test
 * asserts what the user sees.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { utf8 } from '../../src/core/index.ts';
import { BIN, FIXTURES } from '../support/cli-env.ts';
import { hashslot } from './cli.ts';

const dir = mkdtempSync(join(tmpdir(), 'hashslot-hardening-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** 200 MB of NUL bytes and no line end, then one more line: what `head -c 200M /dev/zero` gives. */
function* zeros(): Generator<Uint8Array> {
  const block = new Uint8Array(1 << 20);
  for (let i = 0; i < 200; i++) yield block;
  yield utf8('\nafter\n');
}

const MIB = 1024 * 1024;
const TOO_LONG =
  "line is over 16,777,217 bytes, longer than any key within this tool's key size limit of 16 MiB (16,777,216 bytes) can be written: it is skipped";

describe('a line that never ends is skipped unread: bounded memory, a key-too-long message on its line', () => {
  it('slots, dist and diff: the line is a key-too-long record, the next line is read, under 100 MB RSS', { timeout: 120_000 }, async () => {
    for (const args of [
      ['slots', '--json'],
      ['dist', '--json'],
      ['diff', '--from', 'redis', '--to', 'standard', '--json'],
    ]) {
      const run = await hashslot(args, zeros());
      expect(run.code, args[0]).toBe(0);
      const lines = run.stdout
        .trim()
        .split('\n')
        .map((l) => JSON.parse(l));
      expect(lines[0], args[0]).toEqual({ line: 1, key: null, error: 'key-too-long', column: 1, message: TOO_LONG });
      expect(lines[1], args[0]).toMatchObject({ line: 2, key: 'after' });
      expect(run.maxRss, `${args[0]}: max RSS ${(run.maxRss / MIB).toFixed(0)} MB`).toBeLessThan(100 * MIB);
    }
  });

  it('check, report and patterns (which read their input whole): the line is an error, memory stays bounded', { timeout: 120_000 }, async () => {
    const check = await hashslot(['check', '--json'], zeros());
    expect(check.code).toBe(0);
    expect(JSON.parse(check.stdout.trim().split('\n')[0])).toEqual({ line: 1, command: '', keys: [], slots: [], verdict: 'error', reason: TOO_LONG });
    expect(check.maxRss).toBeLessThan(100 * MIB);
    const patterns = await hashslot(['patterns', '--json'], zeros());
    expect(JSON.parse(patterns.stdout.trim().split('\n')[0])).toMatchObject({ kind: 'diagnostic', line: 1, code: 'key-too-long', message: TOO_LONG });
    expect(patterns.maxRss).toBeLessThan(100 * MIB);
    const report = await hashslot(['report'], zeros());
    expect(report.stdout).toContain('no slot (no rule matched, too long or unreadable)');
    expect(report.maxRss).toBeLessThan(100 * MIB);
  });
});

describe('wide inputs: no stack overflow (no spread over user-sized arrays anywhere)', () => {
  const many = (n: number, f: (i: number) => string) => Array.from({ length: n }, (_, i) => f(i)).join(' ');
  it('MULTI, MGET of 200,000 keys, EXEC; 200,000 unknown commands; a topology line with 200,000 slots', { timeout: 120_000 }, async () => {
    // One slot: the transaction gathers all 200,000 keys (the path that once spread them into a push).
    const tx = await hashslot(['check', '--json'], utf8(`MULTI\nMGET ${many(200_000, (i) => `k:{1}:${i}`)}\nEXEC\n`));
    expect(tx.code).toBe(0);
    expect(tx.stderr).toBe('');
    const exec = JSON.parse(tx.stdout.trim().split('\n')[2]);
    expect(exec).toMatchObject({ line: 3, command: 'EXEC', verdict: 'ok' });
    expect(exec.keys).toHaveLength(200_000);
    const unknown = await hashslot(
      ['report', '--commands', writeTo('unknown.txt', Array.from({ length: 200_000 }, (_, i) => `NOSUCH${i} x`).join('\n'))],
      utf8(''),
    );
    expect(unknown.code).toBe(0);
    expect(unknown.stdout).toContain('### Errors (200000)');
    const slots = Array.from({ length: 200_000 }, (_, i) => String(i % 16384)).join(' ');
    const topology = writeTo('wide.txt', `07c37dfeb235213a872192d90877d0cd55635b91 127.0.0.1:30001@31001 myself,master - 0 0 1 connected ${slots}\n`);
    const dist = await hashslot(['dist', '--topology', topology], utf8('k\n'));
    expect(dist.code).toBe(0);
    expect(dist.stdout).toMatch(/^1 keys in 1 slots on 1 shards/);
  });

  it('hashslot slots prints a table of 200,000 keys (widths from the first rows; it streams)', { timeout: 60_000 }, async () => {
    const run = await hashslot(['slots'], utf8(Array.from({ length: 200_000 }, (_, i) => `user:${i}`).join('\n')));
    expect(run.code).toBe(0);
    const lines = run.stdout.trimEnd().split('\n');
    expect(lines).toHaveLength(200_001);
    expect(lines[0]).toMatch(/^line\s+key\s+slot\s+tag$/);
    expect(lines.at(-1)).toMatch(/^200000 {2}user:199999 +\d+ {2}user:199999$/);
  });
});

function writeTo(name: string, text: string): string {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
}

describe('bytes from the user never reach a terminal raw', () => {
  const ESC = '\x1b]0;PWNED\x07';
  /** Control characters a terminal acts on (C0 but LF and tab, DEL, C1). */
  // eslint-disable-next-line no-control-regex -- the control characters are what this test looks for
  const CONTROL = new RegExp('[\\x00-\\x08\\x0b-\\x1f\\x7f-\\x9f]');
  it('check, patterns and report print control characters as \\u escapes, on stdout and stderr', async () => {
    const check = await hashslot(['check'], utf8(`${ESC} a\n`));
    expect(check.stdout).toContain("unknown command '\\u001b]0;PWNED\\u0007'");
    const patterns = await hashslot(['patterns'], utf8(`user:{<uid>}:${ESC}\nuser:<x:nope${ESC}>\n`));
    for (const out of [check.stdout, check.stderr, patterns.stdout, patterns.stderr]) expect(out).not.toMatch(CONTROL);
    const report = await hashslot(['report', '--commands', writeTo('esc.txt', `${ESC} k\n`), '--title', `T${ESC}`], utf8(''));
    expect(report.stdout).not.toMatch(CONTROL);
    expect(report.stdout).toContain('\\u001b');
  });
});

describe('every command, given a missing file, a directory or a closed pipe: one line, no stack trace', () => {
  const commands: string[][] = [['slots'], ['check'], ['dist'], ['diff', '--from', 'redis', '--to', 'standard'], ['report'], ['patterns']];
  it('a missing --input and a directory as --input: exit 2 with the reason', () => {
    for (const c of commands) {
      for (const [input, reason] of [
        [join(dir, 'missing.txt'), 'no such file'],
        [dir, 'it is a directory'],
      ]) {
        const r = spawnSync(process.execPath, [BIN, ...c, '--input', input], { encoding: 'utf8' });
        expect(r.status, `${c[0]} ${input}`).toBe(2);
        expect(r.stderr, `${c[0]} ${input}`).toBe(`hashslot ${c[0]}: cannot read ${input}: ${reason}\n`);
        expect(r.stdout).toBe('');
      }
    }
  });

  it('a closed pipe (| head -1) ends quietly with status 0', () => {
    // Enough output to fill the pipe after head has gone: 170,000 keys (as commands: unknown ones).
    const keys = writeTo('many.txt', `${readFileSync(join(FIXTURES, 'keys-ecommerce.txt'), 'utf8')}\n`.repeat(2000));
    for (const c of commands) {
      const script = `node "${BIN}" ${c.join(' ')} --input "${keys}" | head -1 >/dev/null; echo "status \${PIPESTATUS[0]}"`;
      const r = spawnSync('bash', ['-c', script], { encoding: 'utf8' });
      expect(r.stdout, c[0]).toBe('status 0\n');
      expect(r.stderr, c[0]).toBe('');
    }
  });
});

describe('scripts/serve-dist.js (the test server) serves dist/ and nothing else', () => {
  it('refuses a sibling folder reached with an encoded .., and bad percent-encoding, without dying', async () => {
    // @ts-expect-error a plain JavaScript script of the repo (no types)
    const { resolveRequest } = (await import('../../scripts/serve-dist.js')) as {
      resolveRequest: (root: string, base: string, path: string) => { status: number };
    };
    const root = fileURLToPath(new URL('../../dist', import.meta.url)).replace(/\/$/, '');
    expect(resolveRequest(root, '/y/', '/y/..%2fdist-sibling%2fsecret').status).toBe(403);
    expect(resolveRequest(root, '/y/', '/y/%2e%2e%2f%2e%2e%2fetc%2fpasswd').status).toBe(403);
    expect(resolveRequest(root, '/y/', '/y/%E0%A4%A').status).toBe(400);
    expect(resolveRequest(root, '/y/', '/elsewhere').status).toBe(404);
  });
});
