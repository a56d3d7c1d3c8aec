import { describe, expect, it } from 'vitest';
import { latin1, utf8 } from '../bytes.ts';
import { keyAt, parseKeyList } from './keylist.ts';
import { display, quote, unquote } from './quote.ts';

const keys = (text: string | Uint8Array) => {
  const list = parseKeyList(typeof text === 'string' ? utf8(text) : text);
  return Array.from({ length: list.count }, (_, i) => latin1(keyAt(list, i)));
};

describe('key list format', () => {
  it('splits on LF only, keeps blanks, drops one trailing CR, skips empty lines', () => {
    expect(keys('a\n b \n\nc\r\n\r\nd\r\r\n')).toEqual(['a', ' b ', 'c', 'd\r']);
  });
  it('reads redis-cli quoted lines byte-exactly', () => {
    expect(keys('"a\\x00b\\xffc"\n"\\n\\r\\t\\a\\b\\"\\\\"\n""')).toEqual(['a\x00b\xffc', '\n\r\t\x07\x08"\\', '']);
  });
  it('keeps raw UTF-8 bytes of unquoted lines', () => {
    expect(keys('clé')).toEqual([latin1(utf8('clé'))]);
  });
  it('remembers line numbers and keeps one entry per non-empty line', () => {
    const list = parseKeyList(utf8('a\n\n"bad\nc'));
    expect(Array.from(list.lines)).toEqual([1, 3, 4]);
    expect(Array.from(list.invalid)).toEqual([0, 1, 0]);
  });
  it.each([
    ['"abc', 'unbalanced-quote', 1],
    ['"a\\qb"', 'bad-escape', 3],
    ['"a\\x4"', 'bad-escape', 3],
    ['"ab" cd', 'trailing-text', 5],
    ['é"\\z"', null, 0],
  ])('reports %s as a diagnostic with its column', (line, code, column) => {
    const list = parseKeyList(utf8(`ok\n${line}`));
    if (code === null) return expect(list.diagnostics).toEqual([]);
    expect(list.diagnostics).toHaveLength(1);
    expect(list.diagnostics[0]).toMatchObject({ code, line: 2, column, severity: 'error' });
  });
  it('columns count UTF-16 units of the decoded line', () => {
    const list = parseKeyList(utf8('"é\\q"'));
    expect(list.diagnostics[0].column).toBe(3);
  });
});

describe('display', () => {
  it('shows printable UTF-8 as it is and quotes the rest like redis-cli', () => {
    expect(display(utf8('user:1000'))).toBe('user:1000');
    expect(display(utf8('clé'))).toBe('clé');
    expect(display(new Uint8Array())).toBe('""');
    expect(display(utf8('a\nb'))).toBe('"a\\nb"');
    expect(display(new Uint8Array([0x61, 0xff]))).toBe('"a\\xff"');
    expect(display(utf8('"quoted"'))).toBe('"\\"quoted\\""');
    expect(display(utf8(' padded'))).toBe('" padded"');
    expect(display(utf8('zero\u200bwidth'))).toBe('"zero\\xe2\\x80\\x8bwidth"');
  });
  it('round-trips through the key-list reader for every byte', () => {
    for (let b = 0; b < 256; b++) {
      const key = new Uint8Array([0x61, b, 0x7b, b, 0x7d]);
      const shown = display(key);
      const back = parseKeyList(utf8(shown));
      expect(back.count).toBe(1);
      expect(Array.from(keyAt(back, 0))).toEqual(Array.from(key));
    }
  });
  it('quote and unquote are inverse', () => {
    const key = Uint8Array.from({ length: 256 }, (_, i) => i);
    const q = utf8(quote(key));
    const u = unquote(q, 0, q.length);
    expect(u.ok && Array.from(u.bytes)).toEqual(Array.from(key));
  });
});

describe('display of unusual keys (found in review)', () => {
  it('keeps a leading BOM visible and round-trips it', () => {
    const key = new Uint8Array([0xef, 0xbb, 0xbf, 0x61]);
    const shown = display(key);
    expect(shown).toBe('"\\xef\\xbb\\xbfa"');
    expect(Array.from(keyAt(parseKeyList(utf8(shown)), 0))).toEqual(Array.from(key));
  });
  it('shows a 4 MB key without overflowing the stack', () => {
    const key = new Uint8Array(4 << 20).fill(0x61);
    expect(display(key)).toHaveLength(4 << 20);
  });
});
