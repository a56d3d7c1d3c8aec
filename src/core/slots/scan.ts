import { parseKeyList } from '../input/keylist.ts';
import { redisTag } from './redis.ts';
import { newSpan } from './span.ts';
import { standardTag } from './standard.ts';

/**
 * CRC16 eight bytes per step (slicing-by-8). CRC is linear over GF(2): the register after 8 bytes is
 * the XOR of each byte's effect shifted through the bytes after it, so table G[k] holds the CRC of a
 * byte followed by k zero bytes. Same result as the byte-wise table; about 1.5× faster here.
 */
const G0 = new Uint16Array(256);
for (let i = 0; i < 256; i++) {
  let c = i << 8;
  for (let b = 0; b < 8; b++) c = c & 0x8000 ? (c << 1) ^ 0x1021 : c << 1;
  G0[i] = c & 0xffff;
}
const G: Uint16Array[] = [G0];
for (let k = 1; k < 8; k++) {
  const prev = G[k - 1];
  const next = new Uint16Array(256);
  for (let b = 0; b < 256; b++) next[b] = ((prev[b] << 8) & 0xffff) ^ G0[prev[b] >> 8];
  G.push(next);
}
const [, G1, G2, G3, G4, G5, G6, G7] = G;

/** Hash slot of `bytes[start, end)`; equal to slotOfBytes, faster on keys longer than a few bytes. */
export function fastSlot(bytes: Uint8Array, start: number, end: number): number {
  let crc = 0;
  let i = start;
  for (const last = end - 7; i < last; i += 8) {
    crc =
      G7[(crc >> 8) ^ bytes[i]] ^ G6[(crc & 0xff) ^ bytes[i + 1]] ^ G5[bytes[i + 2]] ^ G4[bytes[i + 3]] ^
      G3[bytes[i + 4]] ^ G2[bytes[i + 5]] ^ G1[bytes[i + 6]] ^ G0[bytes[i + 7]];
  }
  for (; i < end; i++) crc = ((crc << 8) & 0xffff) ^ G0[(crc >> 8) ^ bytes[i]];
  return crc & 0x3fff;
}

const LF = 0x0a;
const CR = 0x0d;
const QUOTE = 0x22;
const OPEN = 0x7b;
const CLOSE = 0x7d;

/** Bytes the scanner must look at: LF, CR, `{`, `}`. Everything else is skipped with one load. */
const SPECIAL = new Uint8Array(256);
SPECIAL[LF] = SPECIAL[CR] = SPECIAL[OPEN] = SPECIAL[CLOSE] = 1;

/**
 * Slots of every key of a key-list file, straight from its bytes, for the Redis or Standard policy:
 * one scan per line finds the braces and the line end, one pass hashes the tag. No per-key strings or
 * objects. Lines the fast path does not handle (quoted, or ending in CR) go through the key-list
 * parser, so results always equal `parseKeyList` + `policy.locate`; bad lines get -3.
 */
export function slotsOfFile(file: Uint8Array, policy: 'redis' | 'standard', out?: Int16Array): { slots: Int16Array; count: number } {
  // Keys average far more than 16 bytes; grow if not.
  let slots = out ?? new Int16Array((file.length >> 4) + 16);
  const standard = policy === 'standard';
  const n = file.length;
  let count = 0;
  let i = 0;
  while (i < n) {
    const start = i;
    if (file[i] === QUOTE) {
      while (i < n && file[i] !== LF) i++;
      if (count === slots.length) slots = grow(slots);
      slots[count++] = slowSlot(file, start, i, standard);
      i++;
      continue;
    }
    if (file[i] === CR && (i + 1 === n || file[i + 1] === LF)) {
      i += 2; // a blank CRLF line
      continue;
    }
    // Redis: first `{` and the first `}` after it. Standard: the last `}` and the last `{` before it.
    let firstOpen = -1;
    let firstClose = -1;
    let lastOpen = -1;
    let tagOpen = -1;
    let tagClose = -1;
    let c = 0;
    for (; i < n; i++) {
      c = file[i];
      if (SPECIAL[c] === 0) continue;
      if (c === LF) break;
      if (c === OPEN) {
        if (firstOpen < 0) firstOpen = i;
        lastOpen = i;
      } else if (c === CLOSE) {
        if (firstOpen >= 0 && firstClose < 0) firstClose = i;
        tagOpen = lastOpen;
        tagClose = i;
      }
    }
    const end = i;
    i++;
    if (end === start) continue; // empty line
    if (count === slots.length) slots = grow(slots);
    if (file[end - 1] === CR) slots[count++] = slowSlot(file, start, end, standard);
    else if (standard) slots[count++] = tagOpen >= 0 ? fastSlot(file, tagOpen + 1, tagClose) : fastSlot(file, start, end);
    else slots[count++] = firstClose > firstOpen + 1 ? fastSlot(file, firstOpen + 1, firstClose) : fastSlot(file, start, end);
  }
  return { slots: slots.subarray(0, count), count };
}

function grow(a: Int16Array): Int16Array {
  const b = new Int16Array(a.length * 2);
  b.set(a);
  return b;
}

/** A quoted line or one ending in CR: read it like the key-list parser does (-3 when malformed). */
function slowSlot(file: Uint8Array, start: number, end: number, standard: boolean): number {
  const list = parseKeyList(file.subarray(start, end));
  if (list.invalid[0]) return -3;
  const span = newSpan();
  const [from, to] = [list.offsets[0], list.offsets[1]];
  if (standard) standardTag(list.bytes, from, to, span);
  else redisTag(list.bytes, from, to, span);
  return fastSlot(list.bytes, span.start, span.end);
}
