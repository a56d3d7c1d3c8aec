import { MAX_KEY_BYTES } from '../input/limits.ts';
import { slotOfBytes } from '../slots/crc16.ts';

const LF = 0x0a;
const CR = 0x0d;
const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const SPACE = 0x20;
const OPEN = 0x7b;
const CLOSE = 0x7d;

/** Bytes by what the fast writer does with them (one table load per byte instead of several tests). */
const ORDINARY = 0;
const ESCAPE = 1;
const BRACE = 2;
const NOT_PLAIN = 3;
const BYTE_KIND = new Uint8Array(256).fill(NOT_PLAIN);
BYTE_KIND.fill(ORDINARY, 0x20, 0x7f);
BYTE_KIND[QUOTE] = BYTE_KIND[BACKSLASH] = ESCAPE;
BYTE_KIND[OPEN] = BYTE_KIND[CLOSE] = BRACE;

/** Writes the decimal digits of a non-negative integer; returns the position after them. */
function writeNumber(out: Uint8Array, at: number, n: number): number {
  if (n < 10) {
    out[at] = 0x30 + n;
    return at + 1;
  }
  let digits = 0;
  for (let m = n; m > 0; m = Math.floor(m / 10)) digits++;
  for (let i = at + digits - 1, m = n; i >= at; i--, m = Math.floor(m / 10)) out[i] = 0x30 + (m % 10);
  return at + digits;
}

/** What a fast writer needs from the layout: the JSON of each shard's label, and of "no owner" (null). */
export interface ShardLabels {
  slotShard: Int16Array;
  labels: string[];
}

const encoder = new TextEncoder();
const ascii = (text: string) => encoder.encode(text);
const LINE = ascii('{"line":');
const KEY = ascii(',"key":"');
const SLOT = ascii('","slot":');
const TAG = ascii(',"tag":"');
const RULE = ascii('","rule":');
const SHARD = ascii(',"shard":');
const END = ascii('}\n');

/**
 * The `--json` lines of `hashslot slots` and `dist` (the one per-key record, see keyRecord) for Redis and
 * Standard, written straight from the input bytes into one output buffer: a 1 M-key list would otherwise
 * make a million records and strings. Hand-written for speed, and held byte-identical to
 * `JSON.stringify(keyRecord(…))` by a test: it only writes lines whose key is printable ASCII that
 * displays as itself (and whose tag does too); every other line — quoted, non-ASCII, control bytes,
 * blanks at either end, an empty tag, over the size limit — is written by `slow`, the generic path.
 */
export class RecordLineWriter {
  private out = new Uint8Array(1 << 20);
  private at = 0;
  private readonly shardJson: Uint8Array[] | null;

  constructor(
    private readonly policy: 'redis' | 'standard',
    private readonly shards: ShardLabels | null,
  ) {
    this.shardJson = shards ? [...shards.labels.map((l) => ascii(JSON.stringify(l))), ascii('null')] : null;
  }

  /**
   * Appends the lines of `bytes` (whole lines of a key list whose first line is `firstLine`) and returns
   * the output so far (valid until the next call). `slow(line, lineBytes)` gives the JSON of a line this
   * writer does not handle (its bytes without the LF), or '' for a line that holds no key.
   */
  write(bytes: Uint8Array, firstLine: number, slow: (line: number, lineBytes: Uint8Array) => string): Uint8Array {
    // A fresh buffer per call: the caller may hand it to a stream that writes it later.
    // About four output bytes per input byte for typical keys; reserve() doubles it for short ones.
    this.out = new Uint8Array(bytes.length * 4 + 4096);
    this.at = 0;
    const standard = this.policy === 'standard';
    const shards = this.shards;
    const shardJson = this.shardJson;
    let line = firstLine;
    for (let p = 0; p < bytes.length; line++) {
      let lf = bytes.indexOf(LF, p);
      if (lf < 0) lf = bytes.length;
      let end = lf;
      if (end > p && bytes[end - 1] === CR) end--;
      const start = p;
      p = lf + 1;
      if (end === start) continue;
      // One pass over the key: is it printable ASCII that displays as itself (in JSON only `"` and `\`
      // take a backslash), and where are the braces the policy looks at. The key is copied as it goes.
      this.reserve(2 * (end - start) + 128);
      const out = this.out;
      const mark = this.at;
      let at = mark;
      for (let i = 0; i < LINE.length; i++) out[at++] = LINE[i];
      at = writeNumber(out, at, line);
      for (let i = 0; i < KEY.length; i++) out[at++] = KEY[i];
      const keyAt = at;
      let plain = end - start <= MAX_KEY_BYTES && bytes[start] !== QUOTE && bytes[start] !== SPACE && bytes[end - 1] !== SPACE;
      let escapes = 0;
      // Redis: the first `{` and the first `}` after it. Standard: the last `}` and the last `{` before it.
      let open = -1;
      let close = -1;
      let lastOpen = -1;
      for (let i = start; plain && i < end; i++) {
        const c = bytes[i];
        const kind = BYTE_KIND[c];
        if (kind === ORDINARY) {
          out[at++] = c;
          continue;
        }
        if (kind === NOT_PLAIN) {
          plain = false;
          break;
        }
        if (kind === ESCAPE) {
          escapes++;
          out[at++] = BACKSLASH;
        } else if (c === OPEN) {
          if (!standard && open < 0) open = i;
          lastOpen = i;
        } else if (standard) {
          close = i;
          open = lastOpen;
        } else if (close < 0 && open >= 0) close = i;
        out[at++] = c;
      }
      let t0 = start;
      let t1 = end;
      let rule = standard ? 2 : 0;
      if (standard ? close >= 0 && open >= 0 : close > open + 1) {
        t0 = open + 1;
        t1 = close;
        rule = 1;
      }
      // An empty tag, or one that would display quoted, is the generic path's business.
      if (!plain || t1 === t0 || bytes[t0] === QUOTE || bytes[t0] === SPACE || bytes[t1 - 1] === SPACE) {
        const text = slow(line, bytes.subarray(start, lf)); // the whole line: the key-list parser drops one CR
        this.at = mark;
        if (text) this.text(text + '\n');
        continue;
      }
      const slot = slotOfBytes(bytes, t0, t1);
      for (let i = 0; i < SLOT.length; i++) out[at++] = SLOT[i];
      at = writeNumber(out, at, slot);
      for (let i = 0; i < TAG.length; i++) out[at++] = TAG[i];
      if (escapes === 0) {
        // The tag is already in the output, inside the key: copy it from there (a native memmove).
        out.copyWithin(at, keyAt + (t0 - start), keyAt + (t1 - start));
        at += t1 - t0;
      } else
        for (let i = t0; i < t1; i++) {
          const c = bytes[i];
          if (c === QUOTE || c === BACKSLASH) out[at++] = BACKSLASH;
          out[at++] = c;
        }
      if (standard) {
        for (let i = 0; i < RULE.length; i++) out[at++] = RULE[i];
        at = writeNumber(out, at, rule);
      } else out[at++] = QUOTE;
      this.at = at;
      if (shardJson && shards) {
        const owner = shards.slotShard[slot];
        this.bytes(SHARD);
        this.bytes(shardJson[owner >= 0 ? owner : shardJson.length - 1]);
      }
      this.bytes(END);
    }
    return this.out.subarray(0, this.at);
  }

  private reserve(n: number): void {
    if (this.at + n <= this.out.length) return;
    const bigger = new Uint8Array(Math.max(this.out.length * 2, this.at + n));
    bigger.set(this.out.subarray(0, this.at));
    this.out = bigger;
  }

  private bytes(b: Uint8Array): void {
    this.reserve(b.length);
    const out = this.out;
    let at = this.at;
    for (let i = 0; i < b.length; i++) out[at++] = b[i];
    this.at = at;
  }

  private text(s: string): void {
    this.bytes(encoder.encode(s));
  }
}
