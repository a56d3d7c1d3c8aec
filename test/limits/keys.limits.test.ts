/**
 * Issue 8, limits on keys: a 4 MB key is handled by every policy and every path; a key above the
 * documented limit (MAX_KEY_BYTES, 16 MiB) is refused with the same message everywhere.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  analyzeCommands,
  createBytecodeEngine,
  createCustomPolicy,
  INVALID_LINE,
  keyAt,
  keyErrorMessage,
  KEY_TOO_LONG,
  latin1,
  MAX_KEY_BYTES,
  newSpan,
  parseKeyList,
  parseRules,
  redisPolicy,
  slotTable,
  standardPolicy,
  tokenizeCommands,
  utf8,
  type Policy,
} from '../../src/core/index.ts';
import { slotsOfFile } from '../../src/core/slots/scan.ts';
import { loadWasmSlotter } from '../../src/engines/scan/wasm-slotter.ts';
import { startRedisCluster, type RedisOracle } from '../oracles/redis-server.ts';
import { concat, rng } from '../support/generate.ts';
import { refCrc16 } from '../support/reference.ts';
import { hashslot } from './cli.ts';

/** The slot from the bit-by-bit reference CRC. */
const referenceSlot = (bytes: Uint8Array) => refCrc16(bytes) & 0x3fff;

function locate(policy: Policy, key: Uint8Array) {
  const span = newSpan();
  const slot = policy.locate(key, 0, key.length, span);
  return { slot, tag: slot >= 0 ? latin1(key, span.start, span.end) : null, rule: span.rule };
}

const customPolicy = (rules: string) => createCustomPolicy(parseRules(rules), createBytecodeEngine());
const lf = utf8('\n');
const file = (...lines: Uint8Array[]) => concat(lines.flatMap((l) => [l, lf]));
/** A record without its key (a 4 MB key is checked by its slot and tag). */
const withoutKey = ({ key: _key, ...rest }: Record<string, unknown>) => rest;
const jsonLines = (stdout: string) =>
  stdout
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l) as Record<string, unknown>);

let dir: string;
let redis: RedisOracle;
beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'limits-keys-'));
  redis = await startRedisCluster();
});
afterAll(async () => {
  await redis?.stop();
  rmSync(dir, { recursive: true, force: true });
});

describe('a single 4 MB key is handled', () => {
  // `big:` + 4 MB of [a-z0-9] + `:{tag-a}:mid{tag-b}x`: Redis hashes tag-a (first braces), Standard tag-b
  // (last braces), the custom rule below the whole 4 MB run.
  const SIZE = 4 * 1024 * 1024;
  const suffix = utf8(':{tag-a}:mid{tag-b}x');
  const run = new Uint8Array(SIZE - 4 - suffix.length);
  const rand = rng(4);
  const alphabet = utf8('abcdefghijklmnopqrstuvwxyz0123456789');
  for (let i = 0; i < run.length; i++) run[i] = alphabet[Math.floor(rand() * alphabet.length)];
  const key = concat([utf8('big:'), run, suffix]);
  const RULES = 'session:(?<tag>\\w+)\nbig:(?<tag>[a-z0-9]+):.*';

  it('is 4 MiB', () => expect(key.length).toBe(SIZE));

  it('Redis: the slot real redis-server gives (CLUSTER KEYSLOT), on every path', async () => {
    const [oracle] = await redis.keyslots([key]);
    expect(oracle).toBe(referenceSlot(utf8('tag-a')));
    expect(locate(redisPolicy, key)).toEqual({ slot: oracle, tag: 'tag-a', rule: 0 });
    const f = file(utf8('small'), key);
    expect(Array.from(slotTable(parseKeyList(f), redisPolicy).slots)).toEqual([referenceSlot(utf8('small')), oracle]);
    expect(Array.from(slotsOfFile(f, 'redis').slots)).toEqual([referenceSlot(utf8('small')), oracle]);
    expect(Array.from((await loadWasmSlotter())(f, 'redis').slots)).toEqual([referenceSlot(utf8('small')), oracle]);
    const cli = await hashslot(['slots', '--policy', 'redis', '--json'], f);
    expect(cli.code).toBe(0);
    expect(withoutKey(jsonLines(cli.stdout)[1])).toEqual({ line: 2, slot: oracle, tag: 'tag-a' });
  });

  it('Standard: the last {…}, on every path', async () => {
    const slot = referenceSlot(utf8('tag-b'));
    expect(locate(standardPolicy, key)).toEqual({ slot, tag: 'tag-b', rule: 1 });
    expect(Array.from(slotsOfFile(file(key), 'standard').slots)).toEqual([slot]);
    expect(Array.from((await loadWasmSlotter())(file(key), 'standard').slots)).toEqual([slot]);
    const cli = await hashslot(['slots', '--policy', 'standard', '--json'], file(key));
    expect(jsonLines(cli.stdout).map(withoutKey)).toEqual([{ line: 1, slot, tag: 'tag-b', rule: 1 }]);
  });

  it('custom rules: the second rule matches and its 4 MB tag is hashed', async () => {
    const slot = referenceSlot(run); // the tag, found without a regex: the bytes between `big:` and the next `:`
    const r = locate(customPolicy(RULES), key);
    expect({ slot: r.slot, rule: r.rule, tagLength: r.tag?.length }).toEqual({ slot, rule: 2, tagLength: run.length });
    expect(r.tag === latin1(run)).toBe(true);
    const rules = join(dir, 'rules.txt');
    writeFileSync(rules, RULES);
    const cli = await hashslot(['slots', '--policy', 'custom', '--rules', rules, '--json'], file(key));
    const [out] = jsonLines(cli.stdout).map(withoutKey);
    expect({ ...out, tag: (out.tag as string).length }).toEqual({ line: 1, slot, tag: run.length, rule: 2 });
    expect(out.tag === latin1(run)).toBe(true);
  });

  it('custom rules too complex for a key this long: key-too-long, with a message that says it is the rules', async () => {
    // (?:x?){100} has ~200 memo points: the matcher's 64 MiB memo covers keys up to ~2.5 MiB with it.
    const rules = join(dir, 'complex.txt');
    writeFileSync(rules, '(?<tag>(?:x?){100})');
    const message =
      'key is 4,194,304 bytes long, too long for these custom rules: ' +
      "matching them on it would exceed the rule engine's memory budget (shorten the key or simplify the rules)";
    expect(locate(customPolicy('(?<tag>(?:x?){100})'), key).slot).toBe(KEY_TOO_LONG);
    expect(keyErrorMessage(KEY_TOO_LONG, key.length)).toBe(message);
    const cli = await hashslot(['slots', '--policy', 'custom', '--rules', rules, '--json'], file(utf8('xx'), key));
    expect(jsonLines(cli.stdout).map(withoutKey)).toEqual([
      { line: 1, slot: referenceSlot(utf8('xx')), tag: 'xx', rule: 1 },
      { line: 2, error: 'key-too-long', message },
    ]);
  });
});

describe(`a key above the limit (${MAX_KEY_BYTES} bytes) is refused politely, the same way on every path`, () => {
  const TOO_LONG = MAX_KEY_BYTES + 1;
  const MESSAGE = "key is 16,777,217 bytes long, over this tool's key size limit of 16 MiB (16,777,216 bytes): it is skipped";
  const big = new Uint8Array(TOO_LONG).fill(0x61);
  big[100] = 0x7b; // braces, so the fast scanners would find a tag if they did not check the length
  big[105] = 0x7d;
  const atLimit = big.subarray(0, MAX_KEY_BYTES);
  const cr = utf8('\r');

  it('the limit is 16 MiB', () => expect(MAX_KEY_BYTES).toBe(16 * 1024 * 1024));

  it("key-list parser: an error on the key's line, the key invalid, its neighbours read", () => {
    const list = parseKeyList(file(utf8('before'), big, utf8('after')));
    expect(list.diagnostics).toEqual([{ severity: 'error', code: 'key-too-long', message: MESSAGE, line: 2, column: 1, endLine: 2, endColumn: TOO_LONG + 1 }]);
    expect(Array.from(list.invalid)).toEqual([0, 1, 0]);
    expect([latin1(keyAt(list, 0)), keyAt(list, 1).length, latin1(keyAt(list, 2))]).toEqual(['before', 0, 'after']);
    expect(Array.from(slotTable(list, redisPolicy).slots)).toEqual([referenceSlot(utf8('before')), INVALID_LINE, referenceSlot(utf8('after'))]);
  });

  it('key-list parser: the limit counts key bytes (a quoted line decodes first; one trailing CR is not part of the key)', () => {
    const quotedBig = concat([utf8('"'), big, utf8('"')]);
    // 4 bytes of line per key byte: a line far longer than the limit holding a short key.
    const escapes = utf8('"' + '\\x41'.repeat(MAX_KEY_BYTES / 4 + 1) + '"');
    const list = parseKeyList(file(quotedBig, concat([atLimit, cr]), concat([big, cr]), escapes, atLimit));
    expect(list.diagnostics.map((d) => [d.line, d.code, d.message])).toEqual([
      [1, 'key-too-long', MESSAGE],
      [3, 'key-too-long', MESSAGE],
    ]);
    expect(Array.from(list.invalid)).toEqual([1, 0, 1, 0, 0]);
    expect([1, 3, 4].map((i) => keyAt(list, i).length)).toEqual([MAX_KEY_BYTES, MAX_KEY_BYTES / 4 + 1, MAX_KEY_BYTES]);
  });

  it('every policy answers KEY_TOO_LONG for it, and the message names the limit', () => {
    for (const policy of [redisPolicy, standardPolicy, customPolicy('(?<tag>.*)')]) {
      expect(locate(policy, big), policy.name).toEqual({ slot: KEY_TOO_LONG, tag: null, rule: 0 });
      expect(locate(policy, atLimit).slot, policy.name).toBeGreaterThanOrEqual(0);
    }
    expect(keyErrorMessage(KEY_TOO_LONG, TOO_LONG)).toBe(MESSAGE);
  });

  it("slotsOfFile and the WebAssembly slotter give the parser's result: an unreadable line (-3)", async () => {
    const f = file(utf8('a'), big, concat([big, cr]), concat([atLimit, cr]), concat([utf8('"'), big, utf8('"')]), atLimit, utf8('b'));
    const reference = Array.from(slotTable(parseKeyList(f), redisPolicy).slots);
    const atLimitSlot = referenceSlot(atLimit.subarray(101, 105));
    expect(reference).toEqual([referenceSlot(utf8('a')), -3, -3, atLimitSlot, -3, atLimitSlot, referenceSlot(utf8('b'))]);
    const wasm = await loadWasmSlotter();
    for (const policy of ['redis', 'standard'] as const) {
      const expected = Array.from(slotTable(parseKeyList(f), policy === 'redis' ? redisPolicy : standardPolicy).slots);
      expect(Array.from(slotsOfFile(f, policy).slots), policy).toEqual(expected);
      expect(Array.from(wasm(f, policy).slots), policy).toEqual(expected);
    }
  });

  it("hashslot slots: the key's line gets the message (JSON and table), the other keys their slots, exit 0", async () => {
    const input = file(utf8('before'), big, utf8('after'));
    const json = await hashslot(['slots', '--policy', 'redis', '--json'], input);
    expect(json.code).toBe(0);
    // One record shape everywhere: an unreadable line has key null, the parser's code, column and message.
    expect(jsonLines(json.stdout)).toEqual([
      { line: 1, key: 'before', slot: referenceSlot(utf8('before')), tag: 'before' },
      { line: 2, key: null, error: 'key-too-long', column: 1, message: MESSAGE },
      { line: 3, key: 'after', slot: referenceSlot(utf8('after')), tag: 'after' },
    ]);
    const table = await hashslot(['slots', '--policy', 'standard'], input);
    expect(table.code).toBe(0);
    const lines = table.stdout.trimEnd().split('\n');
    expect(lines[2]).toMatch(/^ *2 +error +key-too-long$/);
    expect(lines.at(-1)).toBe(`line 2, column 1: key-too-long: ${MESSAGE}`);
  });

  it("hashslot dist: the key's line gets the message, the distribution counts the others", async () => {
    const cli = await hashslot(['dist', '--policy', 'redis', '--json'], file(utf8('before'), big));
    const out = jsonLines(cli.stdout);
    expect(out[1]).toEqual({ line: 2, key: null, error: 'key-too-long', column: 1, message: MESSAGE });
    expect(out[2]).toMatchObject({ summary: { keys: 1, unplaced: 1 } });
  });

  it('a command naming such a key is an error that says so (not "matches no rule")', () => {
    const text = concat([utf8('GET '), big]);
    const [report] = analyzeCommands(tokenizeCommands(text).lines, redisPolicy).reports;
    expect(report.verdicts['oss-cluster']).toEqual({
      verdict: 'error',
      reason: 'key aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa… is too long to place: over 16 MiB (16,777,216 bytes), or beyond what the custom rules can match',
    });
  });
});
