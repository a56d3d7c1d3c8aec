import fc from 'fast-check';
import { concatBytes } from '../../src/core/bytes.ts';

/**
 * Shared set-up for the property tests (issue 8, hostile input).
 *
 * Deterministic by default: every run uses seed 1121 and the run counts written next to each
 * property, so CI sees the same cases every time. To search longer or elsewhere:
 *
 *   FC_RUNS=20000 npx vitest run test/property        # every property runs 20000 cases
 *   FC_SEED=42 npx vitest run test/property           # another seed
 *
 * A failure prints the seed and the shrunk counterexample; replay it with FC_SEED (and fast-check's
 * `path`, printed with it, via `fc.assert(..., { seed, path })`).
 */
export const SEED = process.env.FC_SEED ? Number(process.env.FC_SEED) : 1121;
const RUNS_OVERRIDE = process.env.FC_RUNS ? Number(process.env.FC_RUNS) : undefined;

fc.configureGlobal({ seed: SEED, numRuns: RUNS_OVERRIDE ?? 300, endOnFailure: false });

/**
 * Run count for one property: `n` by default, `FC_RUNS` when set. Expensive properties (huge inputs)
 * pass `max`, the most cases they run even under a large `FC_RUNS`.
 */
export function runs(n: number, max = Infinity): number {
  return Math.min(RUNS_OVERRIDE ?? n, Math.max(n, max));
}

/** Options for one `fc.assert`: the fixed seed and `runs(n, max)` cases. */
export function opts(n: number, max?: number): { numRuns: number; seed: number } {
  return { numRuns: runs(n, max), seed: SEED };
}

const enc = new TextEncoder();

/** Concatenates byte arrays. */
export const concat = concatBytes;

/** Byte-equality, with a readable failure message (fast-check prints the thrown error). */
export function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

export function hex(b: Uint8Array): string {
  return Array.from(b, (x) => x.toString(16).padStart(2, '0')).join(' ');
}

/**
 * One byte, weighted toward what breaks line-based parsers: LF, CR, quotes, backslashes, `x` and
 * hex digits (for `\xHH`), braces, blanks, NUL, and high bytes; uniform bytes a fifth of the time.
 */
export const hostileByte: fc.Arbitrary<number> = fc.oneof(
  { arbitrary: fc.constantFrom(0x0a, 0x0d, 0x22, 0x5c, 0x27), weight: 6 },
  { arbitrary: fc.constantFrom(0x78, 0x30, 0x66, 0x46, 0x61, 0x6e, 0x72, 0x74, 0x62), weight: 3 },
  { arbitrary: fc.constantFrom(0x7b, 0x7d, 0x20, 0x09, 0x0b, 0x0c, 0x00, 0x23), weight: 3 },
  { arbitrary: fc.constantFrom(0x80, 0xc3, 0xa9, 0xef, 0xbb, 0xbf, 0xff, 0xfe, 0xe2, 0x85), weight: 2 },
  { arbitrary: fc.integer({ min: 0, max: 255 }), weight: 4 },
);

/** Multi-byte pieces: escapes, CRLF, UTF-8 (valid, truncated, BOM, C1, line separators), emoji. */
const PIECES: Uint8Array[] = [
  '\\x',
  '\\xff',
  '\\x00',
  '\\x4',
  '\\xZZ',
  '\\n',
  '\\r',
  '\\"',
  '\\\\',
  '\\q',
  '""',
  '"a"',
  '\r\n',
  '\n\n',
  '{}',
  '}{',
  '{a}',
  'é',
  '日本',
  '🔑',
  '\u0085',
  '\u2028',
  '\u200b',
  '\ufeff',
  ' ',
  '\t',
].map((s) => enc.encode(s));
PIECES.push(Uint8Array.of(0xf0, 0x9f, 0x98), Uint8Array.of(0xc3), Uint8Array.of(0xed, 0xa0, 0x80), Uint8Array.of(0xef, 0xbb, 0xbf));

/** Bytes built from hostile single bytes and pieces. */
export function hostileBytes(maxParts = 40): fc.Arbitrary<Uint8Array> {
  return fc
    .array(fc.oneof({ arbitrary: hostileByte.map((b) => Uint8Array.of(b)), weight: 3 }, { arbitrary: fc.constantFrom(...PIECES), weight: 1 }), {
      maxLength: maxParts,
    })
    .map(concat);
}

/** Any bytes: uniform, or hostile. */
export function anyBytes(maxParts = 40): fc.Arbitrary<Uint8Array> {
  return fc.oneof(fc.uint8Array({ maxLength: maxParts }), hostileBytes(maxParts));
}

/** A key: short hostile bytes, often with braces, sometimes empty. */
export const keyBytes: fc.Arbitrary<Uint8Array> = hostileBytes(16);

/** Well-formed Unicode text (JSON and UTF-8 cannot carry lone surrogates), with awkward characters mixed in. */
export function wellFormedText(maxLength = 40): fc.Arbitrary<string> {
  return fc
    .array(
      fc.oneof(
        { arbitrary: fc.string({ unit: 'grapheme', maxLength: 4 }), weight: 4 },
        { arbitrary: fc.string({ unit: 'binary', maxLength: 4 }), weight: 2 },
        { arbitrary: fc.constantFrom('\n', '\r\n', '"', '\\', '{', '}', '\u0000', '\ufeff', '\u2028', '🔑', '%', '#', '&', '?', '=', '+', '/'), weight: 3 },
      ),
      { maxLength },
    )
    .map((xs) => xs.join(''));
}

/** The UTF-16 length of a line's bytes decoded as UTF-8, a BOM counted as a character (what an editor shows). */
export function editorLength(bytes: Uint8Array): number {
  return new TextDecoder('utf-8', { ignoreBOM: true }).decode(bytes).length;
}

/** Splits bytes on LF; each line with one trailing CR dropped (the key-list and commands convention). */
export function splitLinesLF(bytes: Uint8Array): Uint8Array[] {
  const out: Uint8Array[] = [];
  let start = 0;
  for (;;) {
    let end = bytes.indexOf(0x0a, start);
    const last = end < 0;
    if (last) end = bytes.length;
    let stop = end;
    if (stop > start && bytes[stop - 1] === 0x0d) stop--;
    out.push(bytes.subarray(start, stop));
    if (last) return out;
    start = end + 1;
  }
}
