import type { Diagnostic } from '../diagnostics.ts';
import { diagnostic } from '../diagnostics.ts';
import { parseKeyList } from '../input/keylist.ts';
import { groupDigits, MAX_KEY_BYTES, MAX_KEY_LABEL } from '../input/limits.ts';
import { INVALID_LINE, slotTable } from '../slots/batch.ts';
import { SLOT_COUNT } from '../slots/crc16.ts';
import type { Policy } from '../slots/policy.ts';
import type { ShardMap } from '../distribution/distribution.ts';

const LF = 0x0a;

/** Complete lines are analysed in segments of about this size; a segment is also the unit a key table page re-reads. */
export const SEGMENT_BYTES = 256 * 1024;
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
  /** A line longer than this is refused without being buffered (default: the longest line a key within the size limit can have). */
  maxLineBytes?: number;
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
  private sampleParts: Uint8Array[] = [];
  private sampleTaken = 0;
  private readonly sampleKeys: number;
  private readonly maxLineBytes: number;

  constructor(private readonly options: KeyStreamOptions) {
    // Keys average well over 16 bytes in real key lists; the arrays grow if not.
    const guess = Math.max(1024, Math.ceil(options.totalBytes / 16));
    this.slotsA = new Int16Array(guess);
    this.slotsB = options.compare ? new Int16Array(guess) : null;
    this.sampleKeys = options.sampleKeys ?? 100_000;
    // Quoted, every byte of a key can take 4 (\xHH); plus the quotes and a CR.
    this.maxLineBytes = options.maxLineBytes ?? 4 * MAX_KEY_BYTES + 3;
  }

  /** Slot of key i under the main policy (negative: no slot). */
  get slots(): Int16Array {
    return this.slotsA.subarray(0, this.keys);
  }

  get slotsCompare(): Int16Array | null {
    return this.slotsB ? this.slotsB.subarray(0, this.keys) : null;
  }

  /** The sampled lines, as one key-list buffer. */
  sample(): Uint8Array {
    const total = this.sampleParts.reduce((n, p) => n + p.length, 0);
    const out = new Uint8Array(total);
    let at = 0;
    for (const p of this.sampleParts) {
      out.set(p, at);
      at += p.length;
    }
    return out;
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
    if (rest.length > this.maxLineBytes) this.refuseLongLine(rest.length);
    else if (rest.length) this.carry = rest.slice();
  }

  /** The input is complete: its last line needs no LF. */
  end(): void {
    if (this.carry) {
      const last = this.carry;
      this.carry = null;
      this.process(last, 0, last.length);
    }
    this.skipping = false;
  }

  private refuseLongLine(seen: number): void {
    this.segments.push({ byteStart: this.bytesDone, byteEnd: this.bytesDone, firstKey: this.keys, firstLine: this.lines + 1 });
    this.append(INVALID_LINE, INVALID_LINE);
    this.invalid++;
    this.unplaced++;
    if (this.options.compare) this.unplacedB++;
    if (this.diagnostics.length < MAX_DIAGNOSTICS) {
      this.diagnostics.push(
        diagnostic(
          'error',
          'key-too-long',
          `line is over ${groupDigits(this.maxLineBytes)} bytes, longer than any key within this tool's key size limit of ${MAX_KEY_LABEL} can be written: it is skipped`,
          this.lines + 1,
          1,
          2,
        ),
      );
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
        end = lf >= start ? lf + 1 : (() => {
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
    let lineCount = 0;
    for (let p = bytes.indexOf(LF); p >= 0; p = bytes.indexOf(LF, p + 1)) lineCount++;
    if (bytes.length && bytes[bytes.length - 1] !== LF) lineCount++;

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
        if ((sa >= 0 ? owner[sa] : -1) !== (sb >= 0 ? owner[sb] : -1) || (sa < 0) !== (sb < 0)) this.changedShard++;
      }
    }
    if (brokenLines && this.diagnostics.length < MAX_DIAGNOSTICS) {
      const parsed = list ?? parseKeyList(bytes, seg.firstLine);
      for (const d of parsed.diagnostics) if (d.severity === 'error' && this.diagnostics.length < MAX_DIAGNOSTICS) this.diagnostics.push(d);
    }
    this.append(a, b);
    this.takeSample(bytes, seg.byteEnd);
    this.segments.push(seg);
    this.bytesDone = seg.byteEnd;
    this.lines += lineCount;
  }

  private append(a: Int16Array | number, b: Int16Array | number | null): void {
    const n = typeof a === 'number' ? 1 : a.length;
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

  /** Takes the leading lines of a segment until the sample keeps pace with the share of the input read. */
  private takeSample(bytes: Uint8Array, readUpTo: number): void {
    const due = Math.min(this.sampleKeys, Math.ceil((this.sampleKeys * readUpTo) / Math.max(1, this.options.totalBytes)));
    let want = due - this.sampleTaken;
    if (want <= 0) return;
    let end = 0;
    while (want > 0 && end < bytes.length) {
      const lf = bytes.indexOf(LF, end);
      const next = lf < 0 ? bytes.length : lf + 1;
      if (next - end > 1) want--, this.sampleTaken++;
      end = next;
    }
    const part = bytes.slice(0, end);
    // Every sampled part ends a line, so the parts can be joined into one key list.
    this.sampleParts.push(part[part.length - 1] === LF ? part : concatLf(part));
  }
}

function grow(a: Int16Array, size: number): Int16Array {
  const b = new Int16Array(size);
  b.set(a);
  return b;
}

function concatLf(part: Uint8Array): Uint8Array {
  const out = new Uint8Array(part.length + 1);
  out.set(part);
  out[part.length] = LF;
  return out;
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
