import { execFile } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { keyAt, latin1, parseKeyList, quote, slotOfBytes, utf8 } from '../../src/core/index.ts';
import { pcreMatchMany } from '../oracles/pcre2.ts';
import { BIN, cliEnv, FIXTURES } from '../support/cli-env.ts';
import { keyCorpus } from '../support/generate.ts';

const run = promisify(execFile);

const env = cliEnv('cli');

async function hashslot(args: string[], input: string | Uint8Array) {
  const file = join(env.dir, `in-${Math.random().toString(36).slice(2)}.txt`);
  await writeFile(file, input);
  try {
    const { stdout, stderr } = await run('node', [BIN, ...args, '--input', file], { maxBuffer: 1 << 28 });
    return { code: 0, stdout, stderr };
  } catch (e) {
    const err = e as { code: number; stdout: string; stderr: string };
    return { code: err.code, stdout: err.stdout, stderr: err.stderr };
  }
}

/** The CLI prints tags in key-list form; reading them back with the key-list parser gives the bytes. */
function tagBytes(tag: string): Uint8Array {
  const list = parseKeyList(utf8(tag));
  return list.count === 0 ? new Uint8Array() : keyAt(list, 0).slice();
}

/** Keys the unit tests never saw (own seed), written as redis-cli quoted lines. */
const keys = keyCorpus(99_001, 3000);
const input = keys.map((k) => quote(k)).join('\n') + '\n';

describe('hashslot slots --json agrees with the real engines', () => {
  it('--policy redis equals CLUSTER KEYSLOT', async () => {
    const { code, stdout } = await hashslot(['slots', '--policy', 'redis', '--json'], input);
    expect(code).toBe(0);
    const lines = stdout
      .trimEnd()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(lines).toHaveLength(keys.length);
    expect(lines.map((l) => l.slot)).toEqual(await env.redis.keyslots(keys));
    for (const l of lines) expect(l.slot).toBe(slotOfBytes(tagBytes(l.tag)));
  });

  it('--policy standard and --policy custom equal pcre2test', async () => {
    const rulesFile = join(FIXTURES, 'rules-typical.txt');
    const ruleTexts = ['(?<tag>user:\\d+):.*', 'bull:\\{(?<tag>[^}]+)\\}:.*', '.*\\{(?<tag>.*)\\}.*'];
    for (const [args, rules] of [
      [
        ['--policy', 'standard'],
        ['.*\\{(?<tag>.*)\\}.*', '(?<tag>.*)'],
      ],
      [['--policy', 'custom', '--rules', rulesFile], ruleTexts],
    ] as const) {
      const { code, stdout } = await hashslot(['slots', ...args, '--json'], input);
      expect(code).toBe(0);
      const lines = stdout
        .trimEnd()
        .split('\n')
        .map((l) => JSON.parse(l));
      const pcre = await pcreMatchMany(rules.map((pattern) => ({ pattern, subjects: keys })));
      const bad: object[] = [];
      keys.forEach((key, k) => {
        const r = pcre.findIndex((res) => res[k].matched);
        const expected =
          r < 0
            ? { error: 'no-rule-matched' }
            : { slot: slotOfBytes(pcre[r][k].groups.tag ?? new Uint8Array()), rule: r + 1, tag: latin1(pcre[r][k].groups.tag ?? new Uint8Array()) };
        const got = lines[k].error ? { error: lines[k].error } : { slot: lines[k].slot, rule: lines[k].rule, tag: latin1(tagBytes(lines[k].tag)) };
        if (JSON.stringify(got) !== JSON.stringify(expected) && bad.length < 5) bad.push({ key: latin1(key), got, expected });
      });
      expect(bad).toEqual([]);
    }
  });
});

describe('hashslot slots --engine re2 (an independent second engine)', () => {
  it('gives the same results as the default engine on the typical rules', async () => {
    const rules = join(FIXTURES, 'rules-typical.txt');
    const sample =
      keys
        .slice(0, 1000)
        .map((k) => quote(k))
        .join('\n') + '\n';
    const ours = await hashslot(['slots', '--policy', 'custom', '--rules', rules, '--json'], sample);
    const re2 = await hashslot(['slots', '--policy', 'custom', '--rules', rules, '--json', '--engine', 're2'], sample);
    expect(re2.code).toBe(0);
    expect(re2.stdout).toBe(ours.stdout);
  });
});

describe('hashslot slots contract', () => {
  it('one JSON object per non-empty input line, in order; CRLF works; bad lines are results', async () => {
    const { code, stdout } = await hashslot(['slots', '--policy', 'standard', '--json'], 'foo\r\n\r\n{}foo\n"bad\n""\n');
    expect(code).toBe(0);
    expect(
      stdout
        .trimEnd()
        .split('\n')
        .map((l) => JSON.parse(l)),
    ).toEqual([
      { line: 1, key: 'foo', slot: 12182, tag: 'foo', rule: 2 },
      { line: 3, key: '{}foo', slot: 0, tag: '""', rule: 1 },
      { line: 4, key: null, error: 'unbalanced-quote', column: 1, message: 'unbalanced quote: no closing " on this line' },
      { line: 5, key: '""', slot: 0, tag: '""', rule: 2 },
    ]);
  });

  it('no rule matched is a per-key error; --implicit-shard-key hashes the whole key', async () => {
    const rules = join(FIXTURES, 'rules-typical.txt');
    const plain = await hashslot(['slots', '--policy', 'custom', '--rules', rules, '--json'], 'test\nuser:7:x\n');
    expect(plain.code).toBe(0);
    expect(plain.stdout).toBe(
      '{"line":1,"key":"test","error":"no-rule-matched","message":"no custom rule matches this key: the server would refuse it"}\n' +
        `{"line":2,"key":"user:7:x","slot":${slotOfBytes(utf8('user:7'))},"tag":"user:7","rule":1}\n`,
    );
    const implicit = await hashslot(['slots', '--policy', 'custom', '--rules', rules, '--implicit-shard-key', '--json'], 'test\n');
    expect(implicit.stdout).toBe('{"line":1,"key":"test","slot":6918,"tag":"test","rule":0}\n');
  });

  it('a bad rules file names line, column and reason on stderr, exit 2', async () => {
    const { code, stdout, stderr } = await hashslot(['slots', '--policy', 'custom', '--rules', join(FIXTURES, 'rules-bad.txt')], 'foo\n');
    expect(code).toBe(2);
    expect(stdout).toBe('');
    expect(stderr).toMatch(/rules-bad\.txt:3:8: unsupported-lookahead: a lookahead assertion/);
  });

  it('bad usage exits 2 with a message', async () => {
    expect((await hashslot(['slots', '--policy', 'nope'], '')).stderr).toMatch(/unknown policy "nope"/);
    expect((await hashslot(['slots', '--policy', 'custom'], '')).code).toBe(2);
    expect((await hashslot(['slots', '--bogus'], '')).code).toBe(2);
  });

  it('prints an aligned table without --json', async () => {
    const { stdout } = await hashslot(['slots', '--policy', 'standard'], 'foo\n{}foo\n"a\\xff"\n');
    const lines = stdout.trimEnd().split('\n');
    expect(lines[0]).toMatch(/^line\s+key\s+slot\s+tag\s+rule$/);
    expect(lines).toHaveLength(4);
    const slotColumnEnd = lines[0].indexOf('slot') + 4;
    for (const l of lines.slice(1)) expect(l[slotColumnEnd - 1]).toMatch(/\d/);
    expect(stdout).toContain('"a\\xff"');
  });
});
