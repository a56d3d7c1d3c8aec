import type { Diagnostic } from '../diagnostics.ts';
import { diagnostic } from '../diagnostics.ts';
import { parseKeyList } from '../input/keylist.ts';
import { groupDigits, lineTooLongMessage, maxLineBytes } from '../input/limits.ts';
import { INVALID_LINE, slotTable } from '../slots/batch.ts';
import { SLOT_COUNT } from '../slots/crc16.ts';
import type { Policy } from '../slots/policy.ts';
import type { ShardMap } from '../topology/types.ts';

const LF = 0x0a;
const CR = 0x0d;

/** Complete lines are analysed in segments of about this size; a segment is also the unit a key table page re-reads. */
export const SEGMENT_BYTES = 64 * 1024;
/** Diagnostics kept for unreadable lines (a broken file would otherwise produce millions). */
const MAX_DIAGNOSTICS = 100;

/** A policy plus, for Redis and Standard, a batch slotter that reads slots straight from key-list bytes. */
export interface StreamPolicy {
  policy: Policy;
  /** Slots of every key-list entry of `bytes`, equal to parseKeyList + slotTable (e.g. the WASM slotter). */
  slotter?: (bytes: Uint8Array) => Int16Array;
}

export interface KeyStreamOptions {
  main: StreamPolicy;
  compare?: StreamPolicy | null;
  shards: ShardMap;
  /** Size of the whole input, so the sample can be spread over all of it. */
  totalBytes: number;
  /** Keys kept (as bytes) for what needs every key's tag: hot tags, groups, co-location changes. */
  sampleKeys?: number;
  /** A line longer than this is refused without being buffered (default: maxLineBytes, the longest line a key within the size limit can have). */
  maxLineBytes?: number;
  /** Keep every key's slot (for paging, sorting and Explain); off for a one-pass summary in constant memory. */
  keepSlots?: boolean;
}

/** Where one segment of the input starts: the unit re-read for a page of the keys table. */
export interface Segment {
  byteStart: number;
  byteEnd: number;
  firstKey: number;
  firstLine: number;
}

/**
 * Analyses a key list that arrives in chunks of any size (a file read piece by piece, stdin) in
 * constant memory per key: for every key it keeps only its slot (two bytes per policy), counts per slot,
 * and the moves between two policies. Lines are never turned into strings; Redis and Standard go
 * through a batch slotter. A sample of whole lines spread over the input is kept for the views that
 * need tags. Everything else (the key table, Explain, exports) re-reads segments on demand.
 */
export class KeyStream {
  readonly perSlot = new Uint32Array(SLOT_COUNT);
  readonly perSlotB = new Uint32Array(SLOT_COUNT);
  keys = 0;
  /** Keys with no slot under the main / compared policy (no rule matched, too long, unreadable). */
  unplaced = 0;
  unplacedB = 0;
  invalid = 0;
  /** Keys (readable lines) and how many of them change slot / shard between the two policies. */
  comparedKeys = 0;
  changedSlot = 0;
  changedShard = 0;
  startUnmatched = 0;
  stopUnmatched = 0;
  bytesDone = 0;
  lines = 0;
  readonly diagnostics: Diagnostic[] = [];
  readonly segments: Segment[] = [];

  private slotsA: Int16Array;
  private slotsB: Int16Array | null;
  private carry: Uint8Array | null = null;
  /** Bytes of an over-long line being skipped up to its LF. */
  private skipping = false;
  private readonly sample: BottomK;
  private readonly maxLineBytes: ((firstByte: number) => number) | number;
  private readonly keepSlots: boolean;
  /** Unreadable lines beyond the diagnostics kept. */
  private unlisted = 0;

  constructor(private readonly options: KeyStreamOptions) {
    this.keepSlots = options.keepSlots ?? true;
    // Keys average well over 24 bytes in real key lists; the arrays grow if not, and are trimmed at the end.
    const guess = this.keepSlots ? Math.max(1024, Math.ceil(options.totalBytes / 24)) : 0;
    this.slotsA = new Int16Array(guess);
    this.slotsB = options.compare ? new Int16Array(guess) : null;
    this.sample = new BottomK(this.sampleSize);
    // Quoted, every byte of a key can take 4 (\xHH); plus the quotes and a CR.
    this.maxLineBytes = options.maxLineBytes ?? maxLineBytes;
  }

  /** Keys the sample holds at most: a stream with no more keys than this is sampled whole (every view exact). */
  get sampleSize(): number {
    return this.options.sampleKeys ?? 100_000;
  }

  /** Slot of key i under the main policy (negative: no slot). */
  get slots(): Int16Array {
    return this.slotsA.subarray(0, this.keys);
  }

  get slotsCompare(): Int16Array | null {
    return this.slotsB ? this.slotsB.subarray(0, this.keys) : null;
  }

  /** The layout the shard moves were counted under. */
  get layout(): ShardMap {
    return this.options.shards;
  }

  /** Keys that change shard between the two policies under another layout, from the kept slots (no re-read). */
  changedShardUnder(shards: ShardMap): number {
    const a = this.slots;
    const b = this.slotsCompare;
    if (!b) return 0;
    const owner = shards.slotShard;
    let n = 0;
    for (let i = 0; i < a.length; i++) {
      const sa = a[i];
      const sb = b[i];
      if (sa === INVALID_LINE) continue;
      if ((sa >= 0 ? owner[sa] : -1) !== (sb >= 0 ? owner[sb] : -1) || sa < 0 !== sb < 0) n++;
    }
    return n;
  }

  /**
   * The sampled lines in input order, as one key-list buffer: a uniform sample of keys (each key's chance
   * is the same wherever it is and however long it is), the same for the same input.
   */
  sampleLines(): Uint8Array {
    return this.sample.lines();
  }

  /** The input line number of each sampled line, in the order of sampleLines(). */
  sampleLineNumbers(): number[] {
    return this.sample.lineNumbers();
  }

  /** Feeds the next bytes of the input. The chunk may be reused by the caller afterwards. */
  push(chunk: Uint8Array): void {
    let data = chunk;
    if (this.skipping) {
      const lf = data.indexOf(LF);
      this.bytesDone += lf < 0 ? data.length : lf + 1;
      if (lf < 0) return;
      this.lines++;
      this.skipping = false;
      data = data.subarray(lf + 1);
    }
    if (this.carry) {
      const joined = new Uint8Array(this.carry.length + data.length);
      joined.set(this.carry);
      joined.set(data, this.carry.length);
      data = joined;
      this.carry = null;
    }
    const lastLf = data.lastIndexOf(LF);
    const complete = lastLf < 0 ? 0 : lastLf + 1;
    this.process(data, 0, complete);
    const rest = data.subarray(complete);
    const limit = rest.length ? this.limitFor(rest[0]) : 0;
    if (rest.length > limit) this.refuseLongLine(rest.length, limit);
    else if (rest.length) this.carry = rest.slice();
  }

  /** The input is complete: its last line needs no LF. */
  end(): void {
    if (this.carry) {
      const last = this.carry;
      this.carry = null;
      this.process(last, 0, last.length);
    }
    if (this.skipping) this.lines++; // the refused line was the last, with no LF
    this.skipping = false;
    if (this.unlisted > 0) {
      this.diagnostics.push(
        diagnostic('info', 'more-unreadable-lines', `${groupDigits(this.unlisted)} more unreadable lines are not listed`, this.lines, 1, 1),
      );
    }
    // Give back what the size guess over-reserved.
    if (this.slotsA.length > this.keys) {
      this.slotsA = this.slotsA.slice(0, this.keys);
      if (this.slotsB) this.slotsB = this.slotsB.slice(0, this.keys);
    }
  }

  private limitFor(firstByte: number): number {
    return typeof this.maxLineBytes === 'number' ? this.maxLineBytes : this.maxLineBytes(firstByte);
  }

  /**
   * A line the reader refused itself (longer than maxLineBytes: it skipped it up to its LF without
   * holding it): counted as an unreadable line of `seen` bytes, as if it had been pushed.
   */
  refuseLine(seen: number, firstByte: number): void {
    this.refuseLongLine(seen, this.limitFor(firstByte));
    this.lines++;
    this.skipping = false;
  }

  private refuseLongLine(seen: number, limit: number): void {
    this.segments.push({ byteStart: this.bytesDone, byteEnd: this.bytesDone, firstKey: this.keys, firstLine: this.lines + 1 });
    this.append(INVALID_LINE, INVALID_LINE);
    this.invalid++;
    this.unplaced++;
    if (this.options.compare) this.unplacedB++;
    if (this.diagnostics.length >= MAX_DIAGNOSTICS) this.unlisted++;
    else {
      this.diagnostics.push(diagnostic('error', 'key-too-long', lineTooLongMessage(limit), this.lines + 1, 1, 2));
    }
    this.bytesDone += seen;
    this.skipping = true;
  }

  /** Splits `data[from, to)` (whole lines) into segments of about SEGMENT_BYTES and analyses each. */
  private process(data: Uint8Array, from: number, to: number): void {
    let start = from;
    while (start < to) {
      let end = Math.min(start + SEGMENT_BYTES, to);
      if (end < to) {
        const lf = data.lastIndexOf(LF, end - 1);
        end =
          lf >= start
            ? lf + 1
            : (() => {
                const next = data.indexOf(LF, end);
                return next < 0 || next >= to ? to : next + 1;
              })();
      }
      this.segment(data.subarray(start, end));
      start = end;
    }
  }

  private segment(bytes: Uint8Array): void {
    const { main, compare, shards } = this.options;
    const seg: Segment = { byteStart: this.bytesDone, byteEnd: this.bytesDone + bytes.length, firstKey: this.keys, firstLine: this.lines + 1 };
    // Lines and keys (a line that is empty once one CR is dropped is no key), offering each key to the sample.
    let lineCount = 0;
    let key = this.keys;
    const sample = this.sample;
    for (let p = 0; p < bytes.length;) {
      const lf = bytes.indexOf(LF, p);
      const next = lf < 0 ? bytes.length : lf;
      lineCount++;
      if (next > p && !(next === p + 1 && bytes[p] === CR)) {
        if (sample.wants(key)) sample.add(key, bytes.subarray(p, next), seg.firstLine + lineCount - 1);
        key++;
      }
      p = next + 1;
    }

    const list = !main.slotter || (compare && !compare.slotter) ? parseKeyList(bytes, seg.firstLine) : null;
    const a = main.slotter ? main.slotter(bytes) : slotTable(list!, main.policy).slots;
    const b = compare ? (compare.slotter ? compare.slotter(bytes) : slotTable(list!, compare.policy).slots) : null;

    const { perSlot, perSlotB } = this;
    const owner = shards.slotShard;
    let brokenLines = false;
    for (let i = 0; i < a.length; i++) {
      const sa = a[i];
      if (sa >= 0) perSlot[sa]++;
      else {
        this.unplaced++;
        if (sa === INVALID_LINE) {
          this.invalid++;
          brokenLines = true;
        }
      }
      if (b) {
        const sb = b[i];
        if (sb >= 0) perSlotB[sb]++;
        else this.unplacedB++;
        if (sa === INVALID_LINE) continue;
        this.comparedKeys++;
        // Counted as migrationDiff counts them, so a file and the same keys pasted agree.
        if (sa >= 0 && sb < 0) this.startUnmatched++;
        else if (sa < 0 && sb >= 0) this.stopUnmatched++;
        if (sa !== sb) this.changedSlot++;
        if ((sa >= 0 ? owner[sa] : -1) !== (sb >= 0 ? owner[sb] : -1) || sa < 0 !== sb < 0) this.changedShard++;
      }
    }
    if (brokenLines) {
      const parsed = list ?? parseKeyList(bytes, seg.firstLine);
      for (const d of parsed.diagnostics) {
        if (d.severity !== 'error') continue;
        if (this.diagnostics.length < MAX_DIAGNOSTICS) this.diagnostics.push(d);
        else this.unlisted++;
      }
    }
    this.append(a, b);
    this.segments.push(seg);
    this.bytesDone = seg.byteEnd;
    this.lines += lineCount;
  }

  private append(a: Int16Array | number, b: Int16Array | number | null): void {
    const n = typeof a === 'number' ? 1 : a.length;
    if (!this.keepSlots) {
      this.keys += n;
      return;
    }
    if (this.keys + n > this.slotsA.length) {
      const size = Math.max(this.slotsA.length * 2, this.keys + n);
      this.slotsA = grow(this.slotsA, size);
      if (this.slotsB) this.slotsB = grow(this.slotsB, size);
    }
    if (typeof a === 'number') this.slotsA[this.keys] = a;
    else this.slotsA.set(a, this.keys);
    if (this.slotsB && b !== null) {
      if (typeof b === 'number') this.slotsB[this.keys] = b;
      else this.slotsB.set(b, this.keys);
    }
    this.keys += n;
  }
}

function grow(a: Int16Array, size: number): Int16Array {
  const b = new Int16Array(size);
  b.set(a);
  return b;
}

/**
 * A uniform sample of k keys by bottom-k: each key gets a pseudo-random priority from its index, and the k
 * lowest are kept. Unlike a share per byte read, it does not favour long keys or the regions they are in,
 * and only about k·ln(n/k) lines are ever copied — into one byte pool (compacted when half of it is
 * replaced lines), not one small buffer per line.
 */
class BottomK {
  // A max-heap on priority: the root is the key to drop when a lower one comes.
  private readonly prio: Uint32Array;
  private readonly index: Float64Array;
  private readonly lineNo: Float64Array;
  private readonly start: Uint32Array;
  private readonly length: Uint32Array;
  private size = 0;
  private pool = new Uint8Array(1 << 16);
  private used = 0;
  private live = 0;

  constructor(private readonly k: number) {
    this.prio = new Uint32Array(k);
    this.index = new Float64Array(k);
    this.lineNo = new Float64Array(k);
    this.start = new Uint32Array(k);
    this.length = new Uint32Array(k);
  }

  wants(i: number): boolean {
    return this.k > 0 && (this.size < this.k || priority(i) < this.prio[0]);
  }

  add(i: number, line: Uint8Array, lineNo: number): void {
    const p = priority(i);
    let at: number;
    if (this.size < this.k) {
      at = this.size++;
      while (at > 0) {
        const up = (at - 1) >> 1;
        if (this.prio[up] >= p) break;
        this.move(up, at);
        at = up;
      }
    } else {
      this.live -= this.length[0];
      // Replace the root and sift down.
      at = 0;
      for (;;) {
        const l = 2 * at + 1;
        if (l >= this.size) break;
        const c = l + 1 < this.size && this.prio[l + 1] > this.prio[l] ? l + 1 : l;
        if (this.prio[c] <= p) break;
        this.move(c, at);
        at = c;
      }
    }
    this.prio[at] = p;
    this.index[at] = i;
    this.lineNo[at] = lineNo;
    this.store(at, line);
  }

  private move(from: number, to: number): void {
    this.prio[to] = this.prio[from];
    this.index[to] = this.index[from];
    this.lineNo[to] = this.lineNo[from];
    this.start[to] = this.start[from];
    this.length[to] = this.length[from];
  }

  private store(at: number, line: Uint8Array): void {
    // The slot's old bytes (a moved or dropped line's) are not kept by a compaction.
    this.length[at] = 0;
    if (this.used + line.length > this.pool.length) this.compact(line.length);
    this.pool.set(line, this.used);
    this.start[at] = this.used;
    this.length[at] = line.length;
    this.used += line.length;
    this.live += line.length;
  }

  /** Copies the live lines to a fresh pool with room for `extra` more (dropped lines are not copied). */
  private compact(extra: number): void {
    const next = new Uint8Array(Math.max(1 << 16, 2 * (this.live + extra)));
    let used = 0;
    for (let j = 0; j < this.size; j++) {
      const len = this.length[j];
      next.set(this.pool.subarray(this.start[j], this.start[j] + len), used);
      this.start[j] = used;
      used += len;
    }
    this.pool = next;
    this.used = used;
  }

  /** The kept lines in input order, each ended by LF. */
  lines(): Uint8Array {
    const order = this.order();
    const out = new Uint8Array(order.reduce((n, j) => n + this.length[j] + 1, 0));
    let at = 0;
    for (const j of order) {
      out.set(this.pool.subarray(this.start[j], this.start[j] + this.length[j]), at);
      at += this.length[j];
      out[at++] = LF;
    }
    return out;
  }

  /** The kept lines' line numbers, in input order. */
  lineNumbers(): number[] {
    return this.order().map((j) => this.lineNo[j]);
  }

  private order(): number[] {
    return Array.from({ length: this.size }, (_, j) => j).sort((x, y) => this.index[x] - this.index[y]);
  }
}

/** A 32-bit mix of a key's index (murmur3's finaliser): its sampling priority. */
function priority(i: number): number {
  let x = (i ^ Math.floor(i / 4294967296)) | 0;
  x = Math.imul(x ^ (x >>> 16), 0x85ebca6b);
  x = Math.imul(x ^ (x >>> 13), 0xc2b2ae35);
  return (x ^ (x >>> 16)) >>> 0;
}

/** The segment holding key `index` (binary search), or -1. */
export function segmentOf(segments: readonly Segment[], keys: number, index: number): number {
  if (index < 0 || index >= keys) return -1;
  let lo = 0;
  let hi = segments.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (segments[mid].firstKey <= index) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}

/** Key indexes ordered by slot (then input order), by counting sort: linear in the number of keys. */
export function orderBySlot(slots: Int16Array): Uint32Array {
  const starts = new Uint32Array(SLOT_COUNT + 4);
  // Negative slots (errors, -1..-3) sort after every real slot.
  const bucket = (s: number) => (s >= 0 ? s : SLOT_COUNT - 1 - s);
  for (let i = 0; i < slots.length; i++) starts[bucket(slots[i]) + 1]++;
  for (let k = 1; k < starts.length; k++) starts[k] += starts[k - 1];
  const out = new Uint32Array(slots.length);
  for (let i = 0; i < slots.length; i++) out[starts[bucket(slots[i])]++] = i;
  return out;
}
