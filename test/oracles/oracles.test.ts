/**
 * Proves the oracles themselves against known facts before other tests trust
 * them as ground truth.
 */
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { startRedisCluster, type RedisOracle } from './redis-server.ts';
import { pcreCompileError, pcreMatchAll, pcreMatchMany, type PcreResult } from './pcre2.ts';

const bytes = (text: string): Uint8Array => new Uint8Array(Buffer.from(text, 'latin1'));
const text = (value: unknown): string => Buffer.from(value as Uint8Array).toString('latin1');

/** Independent CRC16/XMODEM + hash-tag rule, to cross-check what the server returns byte for byte. */
function crc16(data: Uint8Array): number {
  let crc = 0;
  for (const byte of data) {
    crc ^= byte << 8;
    for (let i = 0; i < 8; i++) crc = crc & 0x8000 ? ((crc << 1) ^ 0x1021) & 0xffff : (crc << 1) & 0xffff;
  }
  return crc;
}
function referenceSlot(key: Uint8Array): number {
  const open = key.indexOf(0x7b);
  if (open >= 0) {
    const close = key.indexOf(0x7d, open + 1);
    if (close > open + 1) return crc16(key.subarray(open + 1, close)) % 16384;
  }
  return crc16(key) % 16384;
}

/** Deterministic PRNG so a failing case can be reproduced. */
function prng(seed: number): () => number {
  return () => {
    seed = (seed * 1103515245 + 12345) >>> 0;
    return seed >>> 8;
  };
}

describe('redis-server oracle', () => {
  let redis: RedisOracle;
  beforeAll(async () => {
    redis = await startRedisCluster();
  });
  afterAll(async () => {
    await redis?.stop();
  });

  it('answers CLUSTER KEYSLOT for the documented examples', async () => {
    const keys = ['123456789', 'foo', 'foo{}{bar}', 'foo{{bar}}zap', '{}foo'].map(bytes);
    expect(await redis.keyslots(keys)).toEqual([12739, 12182, 8363, 4015, 9500]);
  });

  it('passes binary keys through byte-exactly', async () => {
    const awkward = [
      new Uint8Array([0x00, 0x0d, 0x0a, 0xff]),
      new Uint8Array([]),
      bytes('\r\n*1\r\n$4\r\nPING\r\n'), // RESP framing inside a key must stay data
      new Uint8Array(10 * 1024).map((_, i) => (i * 31 + 7) & 0xff),
      bytes(`{${'x'.repeat(10_000)}}tail`),
    ];
    const slots = await redis.keyslots(awkward);
    expect(slots).toEqual(awkward.map(referenceSlot));
    expect(slots[0]).toBe(referenceSlot(new Uint8Array([0x00, 0x0d, 0x0a, 0xff])));
  });

  it('pipelines 20,000 keys', async () => {
    const next = prng(42);
    const keys = Array.from({ length: 20_000 }, () => new Uint8Array(1 + (next() % 40)).map(() => next() & 0xff));
    const slots = await redis.keyslots(keys);
    expect(slots).toEqual(keys.map(referenceSlot));
  });

  it('returns errors as values and keeps replies in order', async () => {
    const replies = await redis.pipeline([
      ['SET', bytes('k\x00\xff'), new Uint8Array([0, 13, 10, 255])],
      ['GET', bytes('k\x00\xff')],
      ['GET', 'missing'],
      ['MSET', 'a', '1', 'b', '2'],
      ['MSET', '{t}a', '1', '{t}b', '2'],
      ['CLUSTER', 'KEYSLOT'],
      ['DEL', '{t}a', '{t}b'],
      ['DEL', bytes('k\x00\xff'), '{t}a'],
    ]);
    expect(text(replies[0])).toBe('OK');
    expect(replies[1]).toEqual(new Uint8Array([0, 13, 10, 255]));
    expect(replies[2]).toBeNull();
    expect(replies[3]).toEqual({ error: expect.stringMatching(/^CROSSSLOT/) });
    expect(text(replies[4])).toBe('OK');
    expect(replies[5]).toEqual({ error: expect.stringMatching(/^ERR wrong number of arguments/) });
    expect(replies[6]).toBe(2);
    expect(replies[7]).toEqual({ error: expect.stringMatching(/^CROSSSLOT/) });
    expect(await redis.command(['NOSUCHCOMMAND'])).toEqual({ error: expect.stringMatching(/^ERR unknown command/) });
  });
});

describe('pcre2 oracle', () => {
  const tagPattern = '.*\\{(?<tag>.*)\\}.*';
  const tagOf = (result: PcreResult) => (result.groups.tag === null ? null : text(result.groups.tag));

  it('extracts the hash tag with the greedy tag pattern', async () => {
    const results = await pcreMatchAll(tagPattern, ['foo{{bar}}zap', 'a{b}c{d}e', '{}foo', 'no braces'].map(bytes));
    expect(results.map(tagOf)).toEqual(['bar}', 'd', '', null]);
    expect(results[2].groups.tag).toEqual(new Uint8Array(0)); // empty, not unset
    expect(text(results[0].match)).toBe('foo{{bar}}zap');
    expect(results[3]).toEqual({ matched: false, groups: { tag: null }, match: null });
  });

  it('stops . at LF and anchors at the start only', async () => {
    const [lf] = await pcreMatchAll('(?<tag>.*)', [bytes('ab\ncd')]);
    expect(tagOf(lf)).toBe('ab');
    expect(text(lf.match)).toBe('ab');
    const [anchored] = await pcreMatchAll('(?<tag>abc)', [bytes('xabc')]);
    expect(anchored.matched).toBe(false);
    const [notEndAnchored] = await pcreMatchAll('(?<tag>abc)', [bytes('abcx')]);
    expect(tagOf(notEndAnchored)).toBe('abc');
  });

  it('distinguishes an unset group from an empty one and from the text "<unset>"', async () => {
    const [unset] = await pcreMatchAll('(?<tag>x)?y', [bytes('y')]);
    expect(unset.matched).toBe(true);
    expect(unset.groups.tag).toBeNull();
    const [literal] = await pcreMatchAll(tagPattern, [bytes('{<unset>}')]);
    expect(tagOf(literal)).toBe('<unset>');
  });

  it('returns literal backslash text byte-exactly', async () => {
    const subject = bytes('pre\\x41{\\x41\\xff\\n\\}\\');
    const [result] = await pcreMatchAll(tagPattern, [subject]);
    expect(tagOf(result)).toBe('\\x41\\xff\\n\\');
    expect(result.match).toEqual(subject);
  });

  it('handles high bytes in subject and pattern, NUL, CR, VT and trailing blanks', async () => {
    const high = new Uint8Array(128).map((_, i) => 0x80 + i);
    const [all] = await pcreMatchAll(tagPattern, [new Uint8Array([0x7b, ...high, 0x7d])]);
    expect(all.groups.tag).toEqual(high);

    const [e9] = await pcreMatchAll('(?<tag>\u00e9+)', [new Uint8Array([0xe9, 0xe9, 0xc9])]);
    expect(e9.groups.tag).toEqual(new Uint8Array([0xe9, 0xe9]));
    const [caseless] = await pcreMatchAll('(?<tag>A\u00e9)', [new Uint8Array([0x61, 0xe9])], { caseless: true });
    expect(caseless.groups.tag).toEqual(new Uint8Array([0x61, 0xe9]));

    const [vt] = await pcreMatchAll('(?<tag>\\s)', [new Uint8Array([0x0b])]);
    expect(vt.groups.tag).toEqual(new Uint8Array([0x0b]));

    const [nul] = await pcreMatchAll('a\u0000(?<tag>[\u0000\r ]*)', [bytes('a\u0000\u0000\r  ')]);
    expect(nul.groups.tag).toEqual(bytes('\u0000\r  '));

    const [slash] = await pcreMatchAll('(?<tag>/+)\n?', [bytes('//')]);
    expect(tagOf(slash)).toBe('//');
  });

  it('matches the empty subject', async () => {
    const [empty, none] = await pcreMatchAll('(?<tag>)', [new Uint8Array(0), bytes('x')]);
    expect(empty.matched).toBe(true);
    expect(empty.groups.tag).toEqual(new Uint8Array(0));
    expect(none.match).toEqual(new Uint8Array(0));
    expect((await pcreMatchAll('(?<tag>x)', [new Uint8Array(0)]))[0].matched).toBe(false);
  });

  it('supports every named-group syntax, and groups beyond the default ovector size', async () => {
    const many = '(.)'.repeat(20);
    const [result] = await pcreMatchAll(`(?<a>.)(?P<b>.)(?'c'.)${many}(?<last>.)`, [bytes('abcdefghijklmnopqrstuvwxyz')]);
    expect(Object.fromEntries(Object.entries(result.groups).map(([k, v]) => [k, text(v)]))).toEqual({ a: 'a', b: 'b', c: 'c', last: 'x' });
  });

  it('recovers groups byte-exactly on random escape-heavy subjects', async () => {
    const next = prng(7);
    const alphabet = bytes('\\x41{}<unset> \t\r\n\u0000\u007f\u0080\u00ff0123456789abcdefX+:');
    const subjects = Array.from({ length: 2000 }, () =>
      new Uint8Array(next() % 60).map(() => (next() % 4 === 0 ? next() & 0xff : alphabet[next() % alphabet.length])),
    );
    const results = await pcreMatchAll('(?s)(?<a>.{0,5})(?<b>[^{]*)\\{?(?<c>.*)', subjects);
    const reference = /^(?<a>[\s\S]{0,5})(?<b>[^{]*)\{?(?<c>[\s\S]*)/;
    subjects.forEach((subject, i) => {
      const expected = reference.exec(text(subject))!.groups!;
      expect(Object.fromEntries(Object.entries(results[i].groups).map(([k, v]) => [k, text(v)]))).toEqual(expected);
      expect(results[i].match).toEqual(subject);
    });
  });

  it('runs several patterns in one process', async () => {
    const results = await pcreMatchMany([
      { pattern: tagPattern, subjects: [bytes('x{y}z')] },
      { pattern: '(?<n>\\d+)', subjects: [bytes('123abc'), bytes('abc')] },
      { pattern: '(?<bad>', subjects: [bytes('x')] },
      { pattern: '(?<z>z)', subjects: [] },
    ]);
    expect(results.map((job) => job.map((r) => r.matched))).toEqual([[true], [true, false], [false], []]);
    expect(tagOf(results[0][0])).toBe('y');
    expect(text(results[1][0].groups.n)).toBe('123');
    expect(results[2][0].error).toMatch(/^compile error: error 114 at offset 7: missing closing parenthesis/);
  });

  it('reports match-limit errors distinctly from no match', async () => {
    const [limited, plain] = await pcreMatchAll('(*LIMIT_MATCH=1000)(?<tag>a+)+$', [bytes(`${'a'.repeat(30)}b`), bytes('b')]);
    expect(limited).toMatchObject({ matched: false, match: null, error: 'error -47: match limit exceeded' });
    expect(plain.error).toBeUndefined();
    expect(plain.matched).toBe(false);
  });

  it('checks compilation only', async () => {
    expect(await pcreCompileError(tagPattern)).toBeNull();
    expect(await pcreCompileError('a/b\u0000\n\u00ff')).toBeNull();
    expect(await pcreCompileError('(?<tag>abc')).toBe('error 114 at offset 10: missing closing parenthesis');
    expect(await pcreCompileError('abc\\')).toBe('error 101 at offset 4: \\ at end of pattern');
  });

  it('handles thousands of 10 KB subjects in one run', async () => {
    const next = prng(3);
    const subjects = Array.from({ length: 1000 }, () => new Uint8Array(10 * 1024).map(() => next() & 0xff));
    subjects[0].set(bytes('{tag}'), 100);
    const results = await pcreMatchAll('(?s).*\\{(?<tag>[^}]*)\\}', subjects);
    expect(results).toHaveLength(1000);
    const reference = /^[\s\S]*\{(?<tag>[^}]*)\}/;
    subjects.forEach((subject, i) => {
      const expected = reference.exec(text(subject))?.groups?.tag ?? null;
      expect(results[i].groups.tag === null ? null : text(results[i].groups.tag)).toBe(expected);
    });
  });
});
