import { parseKeyList } from '../input/keylist.ts';
import { MAX_KEY_BYTES } from '../input/limits.ts';
import { slotOfBytes } from './crc16.ts';
import { redisTag } from './redis.ts';
import { newSpan } from './span.ts';
import { standardTag } from './standard.ts';

const LF = 0x0a;
const CR = 0x0d;
const QUOTE = 0x22;
const OPEN = 0x7b;
const CLOSE = 0x7d;

/** Bytes the scanner must look at: LF, CR, `{`, `}`. Everything else is skipped with one load. */
const SPECIAL = new Uint8Array(256);
SPECIAL[LF] = SPECIAL[CR] = SPECIAL[OPEN] = SPECIAL[CLOSE] = 1;

/** Computes the slots of every key of a key-list file (see {@link slotsOfFile}); engines may provide faster ones. */
export type FileSlotter = (file: Uint8Array, policy: 'redis' | 'standard') => { slots: Int16Array; count: number };

/**
 * Slots of every key of a key-list file, straight from its bytes, for the Redis or Standard policy:
 * one scan per line finds the braces and the line end, one pass hashes the tag. No per-key strings or
 * objects. Lines the fast path does not handle (quoted, or ending in CR) go through the key-list
 * parser, so results always equal `parseKeyList` + `policy.locate`; bad lines, and keys over
 * MAX_KEY_BYTES (the parser refuses them), get -3.
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
    let c: number;
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
    else if (end - start > MAX_KEY_BYTES)
      slots[count++] = -3; // refused by the parser: an unreadable line
    else if (standard) slots[count++] = tagOpen >= 0 ? slotOfBytes(file, tagOpen + 1, tagClose) : slotOfBytes(file, start, end);
    else slots[count++] = firstClose > firstOpen + 1 ? slotOfBytes(file, firstOpen + 1, firstClose) : slotOfBytes(file, start, end);
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
  return slotOfBytes(list.bytes, span.start, span.end);
}
