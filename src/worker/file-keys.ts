import { KeyStream, lineErrors, parseKeyList, segmentOf, type Diagnostic, type KeyList, type KeyStreamOptions } from '../core/index.ts';

/** Bytes read from the file per step: large enough to amortise a read, small enough to report progress often. */
export const READ_BYTES = 8 * 1024 * 1024;
/** Parsed segments kept for paging back and forth in the keys table. */
const CACHED_SEGMENTS = 8;

export interface Progress {
  bytes: number;
  total: number;
  keys: number;
  millis: number;
}

/** One key read back from the file. */
export interface FileKey {
  bytes: Uint8Array;
  line: number;
  invalid: boolean;
  /** For an unreadable line: what the key-list parser said about it. */
  error?: Diagnostic;
}

/** The first error of each line of a list, indexed once per list (a list may have many unreadable lines). */
const errorsOf = new WeakMap<readonly Diagnostic[], Map<number, Diagnostic>>();
function errorOn(diagnostics: readonly Diagnostic[], line: number): Diagnostic | undefined {
  let map = errorsOf.get(diagnostics);
  if (!map) errorsOf.set(diagnostics, (map = lineErrors(diagnostics)));
  return map.get(line);
}

/** Key j of a parsed list as a FileKey. */
export function keyOf(list: KeyList, j: number): FileKey {
  const invalid = list.invalid[j] === 1;
  const line = list.lines[j];
  return { bytes: list.bytes.subarray(list.offsets[j], list.offsets[j + 1]), line, invalid, error: invalid ? errorOn(list.diagnostics, line) : undefined };
}

/**
 * A key file analysed by streaming: the KeyStream's per-key slots stay in memory, the keys themselves
 * stay in the file and are re-read one segment at a time when the table, Explain or an export needs them.
 */
export class FileKeys {
  private cache = new Map<number, KeyList>();

  private constructor(
    readonly file: Blob,
    readonly name: string,
    readonly stream: KeyStream,
  ) {}

  /** Reads the whole file through a KeyStream, reporting progress after every read. */
  static async read(
    file: Blob,
    name: string,
    policies: Pick<KeyStreamOptions, 'main' | 'compare' | 'shards'>,
    onProgress: (p: Progress) => void,
  ): Promise<FileKeys> {
    const t0 = performance.now();
    const stream = new KeyStream({ ...policies, totalBytes: file.size });
    for (let at = 0; at < file.size; at += READ_BYTES) {
      stream.push(await readBytes(file, at, Math.min(file.size, at + READ_BYTES)));
      onProgress({ bytes: Math.min(file.size, at + READ_BYTES), total: file.size, keys: stream.keys, millis: performance.now() - t0 });
    }
    stream.end();
    return new FileKeys(file, name, stream);
  }

  get count(): number {
    return this.stream.keys;
  }

  /** Keys by index, reading each segment they fall in once. */
  async keys(indexes: readonly number[]): Promise<FileKey[]> {
    const out: FileKey[] = [];
    for (const index of indexes) {
      const s = segmentOf(this.stream.segments, this.stream.keys, index);
      const seg = this.stream.segments[s];
      const list = await this.segment(s);
      const j = index - seg.firstKey;
      // A refused over-long line has an empty segment: nothing to re-read.
      if (j >= list.count) out.push({ bytes: new Uint8Array(0), line: seg.firstLine, invalid: true, error: errorOn(this.stream.diagnostics, seg.firstLine) });
      else out.push(keyOf(list, j));
    }
    return out;
  }

  /** Segment `s` as a parsed key list (line numbers as in the file). */
  async segment(s: number): Promise<KeyList> {
    const hit = this.cache.get(s);
    if (hit) {
      this.cache.delete(s);
      this.cache.set(s, hit);
      return hit;
    }
    const seg = this.stream.segments[s];
    const list = parseKeyList(await readBytes(this.file, seg.byteStart, seg.byteEnd), seg.firstLine);
    this.cache.set(s, list);
    if (this.cache.size > CACHED_SEGMENTS) this.cache.delete(this.cache.keys().next().value!);
    return list;
  }

  /**
   * Indexes of the keys whose display form contains `needle` (lower case). Segments are first tested on
   * their raw bytes, so only segments that may match are parsed; a segment with quoted lines always is.
   */
  async filter(needle: string, current: () => boolean, matches: (list: KeyList, j: number) => boolean): Promise<Uint32Array | null> {
    // A printable-ASCII line displays as its bytes, or quoted with `"` and `\` escapes added: a needle
    // without those is in the display only if it is in the bytes. Any other needle checks every line.
    const ascii = /^[\x20-\x7e]*$/.test(needle) && !/["\\]/.test(needle);
    const out: number[] = [];
    const segments = this.stream.segments;
    for (let s = 0; s < segments.length; s++) {
      if (!current()) return null;
      const seg = segments[s];
      if (seg.byteEnd === seg.byteStart) continue;
      const bytes = await readBytes(this.file, seg.byteStart, seg.byteEnd);
      // The display form equals the raw line only for printable ASCII lines; any other line is checked in full.
      if (ascii) {
        const text = LATIN1.decode(bytes);
        if (!SPECIAL.test(text) && !text.toLowerCase().includes(needle)) continue;
      }
      const list = parseKeyList(bytes, seg.firstLine);
      for (let j = 0; j < list.count; j++) if (!list.invalid[j] && matches(list, j)) out.push(seg.firstKey + j);
    }
    return Uint32Array.from(out);
  }
}

/** Bytes `[start, end)` of a Blob. */
export async function readBytes(file: Blob, start: number, end: number): Promise<Uint8Array> {
  return new Uint8Array(await file.slice(start, end).arrayBuffer());
}

const LATIN1 = new TextDecoder('latin1');
/** A quoted line, a control byte or a non-ASCII byte: its display form may differ from its bytes. */
const SPECIAL = /[^\x20-\x7e\r\n]|\r(?!\n)|^"/m;
