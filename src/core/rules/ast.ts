/**
 * Syntax tree of one rule, in PCRE's non-UTF byte semantics: every set is a set of bytes, every
 * option (case folding, dot-all, the newline convention …) is already applied, so engines need no flags.
 */
export type Node =
  | { t: 'empty' }
  | SetNode
  | { t: 'seq'; items: Node[] }
  | { t: 'alt'; alts: Node[] }
  /**
   * `number`: the capture number, 0 for a group that does not capture. `tag`: that number is the one
   * named `tag` (in a branch reset `(?|…)` groups of several alternatives share numbers, named or not).
   */
  | { t: 'group'; name: string | null; number: number; tag: boolean; body: Node }
  | RepeatNode
  | { t: 'assert'; kind: AssertKind; nl: NewlineKind }
  /** \R: CRLF as one unit, or one of LF VT FF CR NEL (only CR LF with (*BSR_ANYCRLF)); atomic. */
  | { t: 'newline'; anycrlf: boolean }
  /** \X: an extended grapheme cluster; over Latin-1 code points that is CRLF or any one byte (atomic). */
  | { t: 'cluster' };

/**
 * One byte of a class. `crlf`: under the (*CRLF) convention `.` and `\N` match any byte except a CR
 * that starts a CRLF, which no byte set can say. `item` is what PCRE compiles it to: auto-possessification
 * (see possess.ts) judges pairs of these opcodes, not byte sets, and is part of what the server runs.
 */
export interface SetNode {
  t: 'set';
  set: ByteSet;
  crlf?: boolean;
  item: Item;
}

/**
 * PCRE's single-character opcodes. `char`/`not`: OP_CHAR(I) / OP_NOT(I) with the byte and, caseless,
 * its other case; `type`: \d \D \s \S \w \W \h \H \v \V, `any` (`.`, `\N`: OP_ANY), `allany` (`.` with
 * (?s), `\C`); `class`: OP_CLASS / OP_NCLASS (the set); `prop`: a Unicode property or a class holding
 * one (`Any` and `Xuc` PCRE never compares; the others by their sets).
 */
export type Item =
  { k: 'char' | 'not'; chars: number[] } | { k: 'type'; type: TypeName } | { k: 'class' } | { k: 'prop'; comparable: boolean; inClass: boolean };

export type TypeName = 'D' | 'd' | 'S' | 's' | 'W' | 'w' | 'any' | 'allany' | 'H' | 'h' | 'V' | 'v';

/**
 * `possessive`: the repeat never gives back what it took, either written so (`a*+`) or because PCRE's
 * auto-possessification made it so (filled in by possess.ts, per copy when a group repeat is
 * replicated: `copies[i]` for the i-th time the compiler emits this node).
 */
export interface RepeatNode {
  t: 'repeat';
  min: number;
  max: number;
  greedy: boolean;
  /** Written possessive (`*+`, `++`, `?+`, `{n,m}+`). */
  possessive: boolean;
  body: Node;
  /** PCRE's auto-possessification of each emitted copy; absent or shorter: not possessive. */
  auto?: boolean[];
}

/**
 * Zero-width assertions. `bos` \A and ^ (no m); `mbol` ^ with (?m); `eos` \z; `eosnl` $ and \Z
 * (end, or before a final newline); `meol` $ with (?m); `word`/`nonword` \b and \B; `wordstart` /
 * `wordend` [[:<:]] and [[:>:]] (PCRE's \b(?=\w) and \b(?<=\w)). `nl` is the newline convention
 * the line assertions use.
 */
export type AssertKind = 'bos' | 'mbol' | 'eos' | 'eosnl' | 'meol' | 'word' | 'nonword' | 'wordstart' | 'wordend';

/** PCRE's newline conventions: (*LF) is the default; (*CR), (*CRLF), (*ANYCRLF), (*ANY), (*NUL). */
export type NewlineKind = 'lf' | 'cr' | 'crlf' | 'anycrlf' | 'any' | 'nul';

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
