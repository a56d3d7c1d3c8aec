/**
 * Syntax tree of one rule, in PCRE's non-UTF byte semantics: every set is a set of bytes, every
 * option (case folding, dot-all …) is already applied, so engines need no flags.
 */
export type Node =
  | { t: 'empty' }
  | { t: 'set'; set: ByteSet }
  | { t: 'seq'; items: Node[] }
  | { t: 'alt'; alts: Node[] }
  | { t: 'group'; name: string | null; body: Node }
  | { t: 'repeat'; min: number; max: number; greedy: boolean; body: Node }
  | { t: 'assert'; kind: AssertKind }
  | { t: 'newline' };

/**
 * Zero-width assertions. `bos` \A and ^ (no m); `mbol` ^ with (?m); `eos` \z; `eosnl` $ and \Z
 * (end, or before a final LF); `meol` $ with (?m); `word`/`nonword` \b and \B.
 */
export type AssertKind = 'bos' | 'mbol' | 'eos' | 'eosnl' | 'meol' | 'word' | 'nonword';

/** 256-bit byte set. */
export type ByteSet = Uint8Array;

export function emptySet(): ByteSet {
  return new Uint8Array(32);
}

export function setOf(...bytes: number[]): ByteSet {
  const s = emptySet();
  for (const b of bytes) addByte(s, b);
  return s;
}

export function addByte(s: ByteSet, b: number): void {
  s[b >> 3] |= 1 << (b & 7);
}

export function hasByte(s: ByteSet, b: number): boolean {
  return (s[b >> 3] & (1 << (b & 7))) !== 0;
}

export function addRange(s: ByteSet, lo: number, hi: number): void {
  for (let b = lo; b <= hi; b++) addByte(s, b);
}

export function addSet(s: ByteSet, other: ByteSet): void {
  for (let i = 0; i < 32; i++) s[i] |= other[i];
}

export function invert(s: ByteSet): ByteSet {
  const r = emptySet();
  for (let i = 0; i < 32; i++) r[i] = ~s[i] & 0xff;
  return r;
}

/** Adds the other ASCII case of every letter in the set (PCRE's default tables fold ASCII only). */
export function foldCase(s: ByteSet): ByteSet {
  const r = s.slice();
  for (let b = 0x41; b <= 0x5a; b++) {
    if (hasByte(s, b)) addByte(r, b + 32);
    if (hasByte(s, b + 32)) addByte(r, b);
  }
  return r;
}

/** The character types of PCRE2's default "C" tables, in non-UTF, non-UCP mode. */
export const CLASS_SETS = {
  d: () => rangeSet(0x30, 0x39),
  // PCRE2 (like Perl ≥ 5.18) counts VT as white space.
  s: () => setOf(0x09, 0x0a, 0x0b, 0x0c, 0x0d, 0x20),
  w: () => {
    const s = rangeSet(0x30, 0x39);
    addRange(s, 0x41, 0x5a);
    addRange(s, 0x61, 0x7a);
    addByte(s, 0x5f);
    return s;
  },
  // Horizontal and vertical space include the Latin-1 code points in 8-bit mode.
  h: () => setOf(0x09, 0x20, 0xa0),
  v: () => setOf(0x0a, 0x0b, 0x0c, 0x0d, 0x85),
} as const;

function rangeSet(lo: number, hi: number): ByteSet {
  const s = emptySet();
  addRange(s, lo, hi);
  return s;
}

/** POSIX classes inside brackets, ASCII only as in PCRE2's default tables. */
export function posixClass(name: string): ByteSet | null {
  const s = emptySet();
  const add = (test: (b: number) => boolean) => {
    for (let b = 0; b < 128; b++) if (test(b)) addByte(s, b);
  };
  const alpha = (b: number) => (b >= 0x41 && b <= 0x5a) || (b >= 0x61 && b <= 0x7a);
  const digit = (b: number) => b >= 0x30 && b <= 0x39;
  switch (name) {
    case 'alpha':
      add(alpha);
      break;
    case 'digit':
      add(digit);
      break;
    case 'alnum':
      add((b) => alpha(b) || digit(b));
      break;
    case 'word':
      add((b) => alpha(b) || digit(b) || b === 0x5f);
      break;
    case 'lower':
      add((b) => b >= 0x61 && b <= 0x7a);
      break;
    case 'upper':
      add((b) => b >= 0x41 && b <= 0x5a);
      break;
    case 'space':
      add((b) => (b >= 0x09 && b <= 0x0d) || b === 0x20);
      break;
    case 'blank':
      add((b) => b === 0x09 || b === 0x20);
      break;
    case 'cntrl':
      add((b) => b < 0x20 || b === 0x7f);
      break;
    case 'print':
      add((b) => b >= 0x20 && b <= 0x7e);
      break;
    case 'graph':
      add((b) => b > 0x20 && b <= 0x7e);
      break;
    case 'punct':
      add((b) => b > 0x20 && b <= 0x7e && !alpha(b) && !digit(b));
      break;
    case 'xdigit':
      add((b) => digit(b) || (b >= 0x41 && b <= 0x46) || (b >= 0x61 && b <= 0x66));
      break;
    case 'ascii':
      add(() => true);
      break;
    default:
      return null;
  }
  return s;
}
