import { stat } from 'node:fs/promises';
import {
  analyzeKeyText,
  concatBytes,
  keyListRecords,
  KeyStream,
  parseKeyList,
  slotTable,
  streamOptions,
  summarizeKeyStream,
  TEXT_KEYS_LIMIT,
  type KeyList,
  type KeyRecord,
  type KeysSummary,
  type ReadyAnalysis,
  type SlotTable,
} from '../core/index.ts';
import { loadWasmSlotter } from '../engines/scan/wasm-slotter.ts';
import { lineChunks } from './io.ts';
import { UsageError } from './setup.ts';

/** A piece of the key input that ends at a line end, with the number of its first line. */
export type Chunk = { bytes: Uint8Array; firstLine: number };

/**
 * The key input (stdin or a file), read the way the page reads keys: up to TEXT_KEYS_LIMIT it is read
 * whole (`text`: key patterns in it are reviewed and stand for sample keys); a bigger one streams
 * through a KeyStream in constant memory, every line a plain key.
 */
export interface KeyInput {
  /** The whole input, when it is small enough to be read whole; null when it streams. */
  text: Uint8Array | null;
  /** Streams the input (a big one) through the analysis's policies; `eachChunk` sees every piece as it passes. */
  stream(a: ReadyAnalysis, eachChunk?: (chunk: Chunk) => Promise<void> | void): Promise<KeyStream>;
}

const where = (input: string | undefined) => (input === undefined || input === '-' ? 'stdin' : input);

function readError(input: string | undefined, e: unknown): UsageError {
  const code = (e as NodeJS.ErrnoException).code;
  return new UsageError(`cannot read ${where(input)}: ${code === 'EISDIR' ? 'it is a directory' : code === 'ENOENT' ? 'no such file' : (e as Error).message}`);
}

/** Opens the key input; a terminal on stdin with no --input counts as no keys (never waits on it). */
export async function openKeyInput(input: string | undefined): Promise<KeyInput> {
  if (input === undefined && process.stdin.isTTY) return { text: new Uint8Array(), stream: () => Promise.reject(new Error('no input')) };
  if (input !== undefined && input !== '-') {
    const info = await stat(input).catch((e: unknown) => {
      throw readError(input, e);
    });
    if (info.isDirectory()) throw readError(input, Object.assign(new Error('directory'), { code: 'EISDIR' }));
  }
  const chunks = lineChunks(input);
  const head: Chunk[] = [];
  let size = 0;
  let done = false;
  try {
    while (size <= TEXT_KEYS_LIMIT) {
      const next = await chunks.next();
      if (next.done) {
        done = true;
        break;
      }
      head.push(next.value);
      size += next.value.bytes.length;
    }
  } catch (e) {
    throw readError(input, e);
  }
  if (done) return { text: concatBytes(head.map((c) => c.bytes)), stream: () => Promise.reject(new Error('read whole')) };
  return {
    text: null,
    async stream(a, eachChunk) {
      const slotter = await loadWasmSlotter().catch(() => null);
      const totalBytes = input !== undefined && input !== '-' ? ((await stat(input).catch(() => null))?.size ?? 0) : 0;
      const stream = new KeyStream({ ...streamOptions(a, slotter), totalBytes, keepSlots: false });
      const take = async (chunk: Chunk) => {
        stream.push(chunk.bytes);
        await eachChunk?.(chunk);
      };
      for (const chunk of head) await take(chunk);
      head.length = 0;
      try {
        for await (const chunk of chunks) await take(chunk);
      } catch (e) {
        throw readError(input, e);
      }
      stream.end();
      return stream;
    },
  };
}

/** Per-key records of a piece of input, under the analysis's policies (`shards: false`: without the shard). */
export type RecordSink = (records: KeyRecord[]) => Promise<void> | void;

/**
 * The keys of an analysis and their summary: read whole (patterns expanded) or streamed. `each` gets the
 * per-key records in input order, piece by piece, as they are made (never all of a stream at once).
 */
export async function analyzeKeys(input: KeyInput, a: ReadyAnalysis, each?: RecordSink, withShards = true): Promise<KeysSummary> {
  const shards = withShards ? a.layout : null;
  const sides = (list: KeyList, tables: { main: SlotTable; compare: SlotTable | null }) => ({
    main: { name: a.main.name, table: tables.main },
    compare: a.compare && tables.compare ? { name: a.compare.name, table: tables.compare } : null,
    list,
  });
  if (input.text) {
    const text = analyzeKeyText(a, input.text);
    if (each) {
      const patterns = a.commands.patterns?.docs.keys.patterns ?? [];
      const patternOf = (i: number) => (text.fromPattern && text.fromPattern[i] >= 0 ? patterns[text.fromPattern[i]].text : undefined);
      const s = sides(text.list, text);
      await each(keyListRecords(s.list, s.main, s.compare, shards, patternOf));
    }
    return text.summary;
  }
  const stream = await input.stream(
    a,
    each &&
      (async (chunk) => {
        const list = parseKeyList(chunk.bytes, chunk.firstLine);
        const s = sides(list, { main: slotTable(list, a.main.policy), compare: a.compare ? slotTable(list, a.compare.policy) : null });
        await each(keyListRecords(list, s.main, s.compare, shards));
      }),
  );
  return summarizeKeyStream(a, stream);
}
