import { concatBytes } from '../../src/core/bytes.ts';
import { rng } from '../../src/core/random.ts';

/** Deterministic generators for differential tests: same seed, same keys, on every machine. */

// The core's generator (mulberry32), so tests and pattern samples draw the same way.
export { rng };

const enc = new TextEncoder();

/** Byte pieces that stress hash tags and PCRE byte mode: braces, newlines, NUL, invalid UTF-8, multibyte. */
const PIECES: Uint8Array[] = [
  '{',
  '}',
  '{}',
  '}{',
  '{{',
  '}}',
  'a',
  'b',
  'x',
  ':',
  'user',
  '1000',
  '42',
  ' ',
  '_',
  '-',
  '.',
  '\n',
  '\r',
  '\r\n',
  '\t',
  '\x0b',
  '\\',
  '"',
  "'",
  'A',
  'Z',
  'é',
  '日本',
  '🔑',
].map((s) => enc.encode(s));
PIECES.push(new Uint8Array([0]), new Uint8Array([0xff]), new Uint8Array([0x80]), new Uint8Array([0xc3]), new Uint8Array([0xa0]), new Uint8Array([0x85]));

/** An adversarial key: a few pieces, sometimes long, sometimes empty. */
export function adversarialKey(rand: () => number, maxPieces = 12): Uint8Array {
  const n = Math.floor(rand() * (maxPieces + 1));
  const parts: Uint8Array[] = [];
  for (let i = 0; i < n; i++) parts.push(PIECES[Math.floor(rand() * PIECES.length)]);
  return concat(parts);
}

/** Random bytes of a given length (every byte value equally likely). */
export function randomBytes(rand: () => number, length: number): Uint8Array {
  const out = new Uint8Array(length);
  for (let i = 0; i < length; i++) out[i] = Math.floor(rand() * 256);
  return out;
}

/** A long key with braces sprinkled in (10 KB by default). */
export function longKey(rand: () => number, length = 10_000): Uint8Array {
  const out = randomBytes(rand, length);
  for (let k = 0; k < 6; k++) out[Math.floor(rand() * length)] = rand() < 0.5 ? 0x7b : 0x7d;
  return out;
}

/** The bytes of several arrays, one after the other. */
export function concat(parts: Uint8Array[]): Uint8Array {
  return concatBytes(parts);
}

/** The standard corpus for one seed: `count` adversarial keys plus random and long ones. */
export function keyCorpus(seed: number, count: number): Uint8Array[] {
  const rand = rng(seed);
  const keys: Uint8Array[] = [];
  for (let i = 0; i < count; i++) {
    const r = rand();
    if (r < 0.8) keys.push(adversarialKey(rand));
    else if (r < 0.98) keys.push(randomBytes(rand, Math.floor(rand() * 40)));
    else keys.push(longKey(rand));
  }
  return keys;
}
