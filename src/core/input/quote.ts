import { decodeUtf8Strict, hexValue, latin1 } from '../bytes.ts';

/** Result of reading one redis-cli double-quoted string. */
export type Unquoted =
  { ok: true; bytes: Uint8Array; end: number } | { ok: false; code: 'bad-escape' | 'unbalanced-quote'; at: number; endAt: number; message: string };

const SIMPLE_ESCAPES: Record<number, number> = {
  0x6e: 0x0a, // \n
  0x72: 0x0d, // \r
  0x74: 0x09, // \t
  0x61: 0x07, // \a
  0x62: 0x08, // \b
  0x22: 0x22, // \"
  0x5c: 0x5c, // \\
};

/**
 * Reads a redis-cli double-quoted string starting at `src[start] === '"'` and ending before `end`.
 * Escapes: `\xHH \n \r \t \a \b \" \\`. redis-cli itself passes other escapes through, but a typo in a
 * key list is far more likely than an intended `\q`, so anything else is an error with its position.
 */
export function unquote(src: Uint8Array, start: number, end: number): Unquoted {
  const out = new Uint8Array(end - start);
  let n = 0;
  let i = start + 1;
  while (i < end) {
    const c = src[i];
    if (c === 0x22) return { ok: true, bytes: out.subarray(0, n), end: i + 1 };
    if (c !== 0x5c) {
      out[n++] = c;
      i++;
      continue;
    }
    if (i + 1 >= end) break;
    const e = src[i + 1];
    if (e === 0x78) {
      const hi = i + 2 < end ? hexValue(src[i + 2]) : -1;
      const lo = i + 3 < end ? hexValue(src[i + 3]) : -1;
      if (hi < 0 || lo < 0) {
        return { ok: false, code: 'bad-escape', at: i, endAt: Math.min(end, i + 4), message: 'bad escape: \\x must be followed by two hex digits' };
      }
      out[n++] = (hi << 4) | lo;
      i += 4;
      continue;
    }
    const simple = SIMPLE_ESCAPES[e];
    if (simple === undefined) {
      return {
        ok: false,
        code: 'bad-escape',
        at: i,
        endAt: i + 2,
        message: `bad escape \\${String.fromCharCode(e)}: use \\xHH, \\n, \\r, \\t, \\a, \\b, \\" or \\\\`,
      };
    }
    out[n++] = simple;
    i += 2;
  }
  return { ok: false, code: 'unbalanced-quote', at: start, endAt: end, message: 'unbalanced quote: no closing " on this line' };
}

/** redis-cli's quoted form (sdscatrepr): printable ASCII as is, the rest escaped. */
export function quote(bytes: Uint8Array, start = 0, end = bytes.length): string {
  let out = '"';
  for (let i = start; i < end; i++) {
    const c = bytes[i];
    switch (c) {
      case 0x5c:
        out += '\\\\';
        break;
      case 0x22:
        out += '\\"';
        break;
      case 0x0a:
        out += '\\n';
        break;
      case 0x0d:
        out += '\\r';
        break;
      case 0x09:
        out += '\\t';
        break;
      case 0x07:
        out += '\\a';
        break;
      case 0x08:
        out += '\\b';
        break;
      default:
        out += c >= 0x20 && c <= 0x7e ? String.fromCharCode(c) : '\\x' + (c < 16 ? '0' : '') + c.toString(16);
    }
  }
  return out + '"';
}

/**
 * How keys and tags are shown everywhere (table, CLI, JSON): the text itself when it is non-empty,
 * printable UTF-8 that a key list would read back unchanged; otherwise redis-cli's quoted form. Either
 * way the result is a valid key-list line for the same bytes.
 */
export function display(bytes: Uint8Array, start = 0, end = bytes.length): string {
  if (end === start || bytes[start] === 0x22) return quote(bytes, start, end);
  const first = bytes[start];
  const last = bytes[end - 1];
  if (first === 0x20 || first === 0x09 || last === 0x20 || last === 0x09) return quote(bytes, start, end);
  let ascii = true;
  for (let i = start; i < end; i++) {
    const c = bytes[i];
    if (c < 0x20 || c === 0x7f) return quote(bytes, start, end);
    if (c >= 0x80) ascii = false;
  }
  const slice = bytes.subarray(start, end);
  if (ascii) return latin1(slice);
  const text = decodeUtf8Strict(slice);
  // C1 controls and invisible format characters would make two different keys look the same.
  if (text === null || /[\u0080-\u009f\u200b-\u200f\u2028-\u202e\u2060-\u2064\ufeff]/.test(text)) {
    return quote(bytes, start, end);
  }
  return text;
}
