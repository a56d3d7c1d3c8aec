import { describe, expect, it } from 'vitest';
import { utf8 } from '../bytes.ts';
import { crc16, slotOfBytes } from './crc16.ts';
import { redisPolicy, standardPolicy } from './policy.ts';
import { newSpan } from './span.ts';
import { dependsOnNewlineMode } from './standard.ts';
import { latin1 } from '../bytes.ts';

function locate(policy: typeof redisPolicy, key: Uint8Array | string) {
  const bytes = typeof key === 'string' ? utf8(key) : key;
  const span = newSpan();
  const slot = policy.locate(bytes, 0, bytes.length, span);
  return { slot, tag: latin1(bytes, span.start, span.end), rule: span.rule };
}

describe('crc16', () => {
  it('is CRC16-XMODEM (cluster spec test vector)', () => {
    expect(crc16(utf8('123456789'))).toBe(0x31c3);
    expect(crc16(new Uint8Array())).toBe(0);
  });
  it('hashes a sub-range without copying', () => {
    const bytes = utf8('xx123456789yy');
    expect(crc16(bytes, 2, 11)).toBe(0x31c3);
    expect(slotOfBytes(bytes, 2, 11)).toBe(0x31c3 & 0x3fff);
  });
});

describe('redis policy (cluster spec)', () => {
  it.each([
    ['foo', 12182, 'foo'],
    ['{}foo', 9500, '{}foo'],
    ['foo{}{bar}', 8363, 'foo{}{bar}'],
    ['foo{{bar}}zap', 4015, '{bar'],
    ['foo{bar}{zap}', 5061, 'bar'],
    ['{user1000}.following', 3443, 'user1000'],
    ['{foo}bar}', 12182, 'foo'],
    ['a{b}c{d}e', 3300, 'b'],
    ['no close {brace', 0, 'no close {brace'],
    ['', 0, ''],
  ])('%s → %i (hashes %s)', (key, slot, tag) => {
    const r = locate(redisPolicy, key);
    expect(r.tag).toBe(tag);
    if (key !== 'no close {brace') expect(r.slot).toBe(slot);
    expect(r.rule).toBe(0);
  });
});

describe('standard policy (SEMANTICS.md test vectors)', () => {
  it.each([
    ['foo', 12182, 'foo', 2],
    ['{}foo', 0, '', 1],
    ['{foo}bar}', 7223, 'foo}bar', 1],
    ['a{b}c{d}e', 11298, 'd', 1],
    ['foo{{bar}}zap', 6624, 'bar}', 1],
    ['foo{}{bar}', 5061, 'bar', 1],
    ["a{'1':{'i32':1}}", 12350, "'i32':1}", 1],
  ])('%s → %i', (key, slot, tag, rule) => {
    expect(locate(standardPolicy, key)).toEqual({ slot, tag, rule });
  });

  it("stops at the first LF, as PCRE's . does; CR is an ordinary byte", () => {
    expect(locate(standardPolicy, 'ab\ncd').tag).toBe('ab');
    expect(locate(standardPolicy, 'a{b}\n{c}').tag).toBe('b');
    expect(locate(standardPolicy, 'a{b\n}c').tag).toBe('a{b');
    expect(locate(standardPolicy, 'a{b\r}c').tag).toBe('b\r');
    expect(dependsOnNewlineMode(utf8('a\nb'), 0, 3)).toBe(true);
    expect(dependsOnNewlineMode(utf8('a\rb'), 0, 3)).toBe(false);
  });

  it('works on bytes that are not UTF-8', () => {
    const key = new Uint8Array([0xff, 0x7b, 0x80, 0x00, 0x7d, 0xfe]);
    const span = newSpan();
    standardPolicy.locate(key, 0, key.length, span);
    expect([span.start, span.end]).toEqual([2, 4]);
  });
});
