import { latin1, utf8 } from '../../bytes.ts';

/**
 * The value types of key-pattern placeholders (`<uid:int>`, `<sid:hex32>`, `<region:eu|us|ap>`).
 * Reasoning only needs a few facts about a type — which of the bytes that steer hashing (`{`, `}`, LF)
 * its values may contain, whether a value may be empty, its lengths and whether it has few values —
 * so those facts live here, next to the exact membership test the samplers are checked against.
 */
export type PlaceholderType =
  | { kind: 'int' }
  | { kind: 'word' }
  | { kind: 'str' }
  | { kind: 'uuid' }
  | { kind: 'date' }
  | { kind: 'hex'; length: number }
  | { kind: 'enum'; values: Uint8Array[] };

/**
 * An untyped `<uid>` is a `word`: ids and names in real schemas do not contain braces or colons, and
 * `str` would put a "may contain braces" warning on every placeholder. Declare `<x:str>` for free text.
 */
export const DEFAULT_TYPE: PlaceholderType = { kind: 'word' };
export const MAX_HEX_LENGTH = 256;

/** Bits for the bytes that decide what Redis and Standard hash. */
export const SP_OPEN = 1;
export const SP_CLOSE = 2;
export const SP_LF = 4;
export const SP_ALL = SP_OPEN | SP_CLOSE | SP_LF;

/** The special bit of one byte (0 for ordinary bytes). */
export function specialOf(byte: number): number {
  return byte === 0x7b ? SP_OPEN : byte === 0x7d ? SP_CLOSE : byte === 0x0a ? SP_LF : 0;
}

/** Specials that occur in some bytes. */
export function specialsIn(bytes: Uint8Array): number {
  let s = 0;
  for (const b of bytes) s |= specialOf(b);
  return s;
}

/** Which of `{`, `}`, LF a value of the type may contain. */
export function typeSpecials(t: PlaceholderType): number {
  if (t.kind === 'str') return SP_ALL;
  if (t.kind === 'enum') return t.values.reduce((s, v) => s | specialsIn(v), 0);
  return 0;
}

export function typeMayBeEmpty(t: PlaceholderType): boolean {
  return t.kind === 'str' || (t.kind === 'enum' && t.values.some((v) => v.length === 0));
}

/** The length every value has, or null when lengths vary. */
export function typeFixedLength(t: PlaceholderType): number | null {
  switch (t.kind) {
    case 'hex':
      return t.length;
    case 'uuid':
      return 36;
    case 'date':
      return 10;
    case 'enum':
      return t.values.every((v) => v.length === t.values[0].length) ? t.values[0].length : null;
    default:
      return null;
  }
}

/** Every length a value can have, when there are few; null for "min and anything above". */
export function typeLengths(t: PlaceholderType): number[] | null {
  const fixed = typeFixedLength(t);
  if (fixed !== null) return [fixed];
  if (t.kind === 'enum') return [...new Set(t.values.map((v) => v.length))].sort((a, b) => a - b);
  return null;
}

export function typeMinLength(t: PlaceholderType): number {
  const lengths = typeLengths(t);
  if (lengths) return lengths[0];
  return t.kind === 'str' ? 0 : 1;
}

/** How many values finiteValues lists (0: not a small domain), without listing them. */
export function finiteCount(t: PlaceholderType): number {
  if (t.kind === 'enum') return t.values.length;
  return t.kind === 'hex' && t.length <= 2 ? 16 ** t.length : 0;
}

/** Small domains are enumerated instead of reasoned about: every value of an enum, hex1 and hex2. */
export function finiteValues(t: PlaceholderType): Uint8Array[] | null {
  if (t.kind === 'enum') return t.values;
  if (t.kind === 'hex' && t.length <= 2) {
    return Array.from({ length: 16 ** t.length }, (_, i) => utf8(i.toString(16).padStart(t.length, '0')));
  }
  return null;
}

export function typeName(t: PlaceholderType): string {
  if (t.kind === 'hex') return `hex${t.length}`;
  if (t.kind === 'enum') return t.values.map((v) => latin1(v).replace(/[\\|>]/g, (c) => '\\' + c)).join('|');
  return t.kind;
}

export function sameType(a: PlaceholderType, b: PlaceholderType): boolean {
  if (a.kind !== b.kind) return false;
  if (a.kind === 'hex' && b.kind === 'hex') return a.length === b.length;
  if (a.kind === 'enum' && b.kind === 'enum') return typeName(a) === typeName(b);
  return true;
}

const isDigit = (b: number) => b >= 0x30 && b <= 0x39;
const isHex = (b: number) => isDigit(b) || (b >= 0x61 && b <= 0x66);

/** Bytes a `word` never contains: braces, colon, space and ASCII controls (so never LF either). */
export function isWordByte(b: number): boolean {
  return b > 0x20 && b !== 0x7f && b !== 0x7b && b !== 0x7d && b !== 0x3a;
}

/** Exact membership: the samplers' values must pass this (tested), and it documents each type. */
export function acceptsValue(t: PlaceholderType, v: Uint8Array): boolean {
  switch (t.kind) {
    case 'str':
      return true;
    case 'int': // non-negative decimal without leading zeros: ids, counters, timestamps
      return v.length > 0 && v.every(isDigit) && (v.length === 1 || v[0] !== 0x30);
    case 'word':
      return v.length > 0 && v.every(isWordByte);
    case 'hex': // lowercase, as ids are usually printed
      return v.length === t.length && v.every(isHex);
    case 'uuid':
      return v.length === 36 && v.every((b, i) => (i === 8 || i === 13 || i === 18 || i === 23 ? b === 0x2d : isHex(b)));
    case 'date':
      return isDate(latin1(v));
    case 'enum':
      return t.values.some((x) => x.length === v.length && x.every((b, i) => b === v[i]));
  }
}

/** YYYY-MM-DD, a real calendar day. */
function isDate(s: string): boolean {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(s);
  if (!m) return false;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  return mo >= 1 && mo <= 12 && d >= 1 && d <= daysInMonth(y, mo);
}

export function daysInMonth(year: number, month: number): number {
  if (month === 2) return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0 ? 29 : 28;
  return [4, 6, 9, 11].includes(month) ? 30 : 31;
}

export const TYPE_NAMES = 'int, word, str, uuid, date, hex<N> (e.g. hex32) or an enumeration a|b|c';

/** Reads the type after the colon of `<name:…>` (not an enumeration). */
export function parseTypeName(name: string): PlaceholderType | { error: string } {
  if (name === 'int' || name === 'word' || name === 'str' || name === 'uuid' || name === 'date') return { kind: name };
  const hex = /^hex(\d*)$/.exec(name);
  if (hex) {
    const n = hex[1] === '' ? NaN : Number(hex[1]);
    if (!(n >= 1 && n <= MAX_HEX_LENGTH)) return { error: `hex needs a length from 1 to ${MAX_HEX_LENGTH}, e.g. hex32` };
    return { kind: 'hex', length: n };
  }
  return { error: `unknown placeholder type '${name}': use ${TYPE_NAMES}` };
}

/**
 * Values both types accept, as a type to draw them from, or null when they share none (`int` and
 * `date`, hex of two lengths). One type inside the other gives the smaller; `int` and `hex<n>` share
 * the n-digit numbers, given as one of them. `null` stands for any bytes (free text, a piece of one).
 */
export function commonType(a: PlaceholderType | null, b: PlaceholderType | null): PlaceholderType | null | 'any' {
  if (!a && !b) return 'any';
  if (!a) return b;
  if (!b) return a;
  if (sameType(a, b)) return a;
  if (a.kind === 'enum' || b.kind === 'enum') {
    const [e, other] = a.kind === 'enum' ? [a, b] : [b, a as PlaceholderType];
    const values = (e as { values: Uint8Array[] }).values.filter((v) => acceptsValue(other, v));
    return values.length ? { kind: 'enum', values } : null;
  }
  if (a.kind === 'str') return b;
  if (b.kind === 'str') return a;
  // Every int, hex, uuid and date value is a word.
  if (a.kind === 'word') return b;
  if (b.kind === 'word') return a;
  const [x, y] = a.kind === 'int' ? [a, b] : [b, a];
  if (x.kind === 'int' && y.kind === 'hex') return { kind: 'enum', values: [utf8('1' + '0'.repeat(y.length - 1))] };
  return null;
}
