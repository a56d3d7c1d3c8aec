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
  lineTooLongMessage,
  maxLineBytes,
  unreadableRecord,
  type KeyList,
  type KeyRecord,
  type KeysSummary,
  type ReadyAnalysis,
  type SlotTable,
  RecordLineWriter,
  utf8,
} from '../core/index.ts';
import { loadWasmSlotter } from '../engines/scan/wasm-slotter.ts';
import { assertReadable, lineChunks, type LineChunk } from './io.ts';
import { UsageError } from './errors.ts';

/** A piece of the key input that ends at a line end, with the number of its first line. */
export type Chunk = LineChunk;

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
  /** Passes every piece of the input (a big one) to `eachChunk`, without counting anything. */
  chunks(eachChunk: (chunk: Chunk) => Promise<void> | void): Promise<void>;
}

const where = (input: string | undefined) => (input === undefined || input === '-' ? 'stdin' : input);

function readError(input: string | undefined, e: unknown): UsageError {
  const code = (e as NodeJS.ErrnoException).code;
  return new UsageError(`cannot read ${where(input)}: ${code === 'EISDIR' ? 'it is a directory' : code === 'ENOENT' ? 'no such file' : (e as Error).message}`);
}

/** A key input already in memory (keys given as arguments): read whole. */
export function keyInputOf(bytes: Uint8Array): KeyInput {
  const whole = () => Promise.reject(new Error('read whole'));
  return { text: bytes, stream: whole, chunks: whole };
}

/** Opens the key input; a terminal on stdin with no --input counts as no keys (never waits on it). */
export async function openKeyInput(input: string | undefined): Promise<KeyInput> {
  if (input === undefined && process.stdin.isTTY) return keyInputOf(new Uint8Array());
  await assertReadable(input);
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
      size += next.value.refused ? next.value.refused.seen : next.value.bytes.length;
    }
  } catch (e) {
    throw readError(input, e);
  }
  if (done) return keyInputOf(concatBytes(head.map((c) => (c.refused ? new Uint8Array() : c.bytes))));
  // Every piece once, the buffered head first; a progress line on a terminal.
  const pass = async (take: (chunk: Chunk) => Promise<void> | void, count: () => number) => {
    const progress = progressLine();
    try {
      for (const chunk of head) await take(chunk);
      head.length = 0;
      for await (const chunk of chunks) {
        await take(chunk);
        progress(count());
      }
    } catch (e) {
      throw e instanceof UsageError ? e : readError(input, e);
    } finally {
      progress(-1);
    }
  };
  return {
    text: null,
    async stream(a, eachChunk) {
      const slotter = await loadWasmSlotter().catch(() => null);
      const totalBytes = input !== undefined && input !== '-' ? ((await stat(input).catch(() => null))?.size ?? 0) : 0;
      const stream = new KeyStream({ ...streamOptions(a, slotter), totalBytes, keepSlots: false });
      await pass(
        async (chunk) => {
          if (chunk.refused) stream.refuseLine(chunk.refused.seen, chunk.refused.firstByte);
          else stream.push(chunk.bytes);
          await eachChunk?.(chunk);
        },
        () => stream.keys,
      );
      stream.end();
      return stream;
    },
    async chunks(eachChunk) {
      let lines = 0;
      await pass(
        async (chunk) => {
          await eachChunk(chunk);
          lines = chunk.refused ? chunk.refused.line : chunk.firstLine;
        },
        () => lines,
      );
    },
  };
}

/**
 * A progress line on stderr while a long input streams — keys and keys/s, rewritten in place about four
 * times a second — when stderr is a terminal (never in a pipe or a log, never on stdout). `-1` clears it.
 */
function progressLine(): (keys: number) => void {
  if (!process.stderr.isTTY) return () => {};
  const t0 = performance.now();
  let last = t0;
  let shown = false;
  return (keys) => {
    const now = performance.now();
    if (keys < 0) {
      if (shown) process.stderr.write('\r\x1b[K');
      return;
    }
    if (now - last < 250) return;
    last = now;
    shown = true;
    const rate = (keys / ((now - t0) / 1000) / 1e6).toFixed(2);
    process.stderr.write(`\r${keys.toLocaleString('en')} keys · ${rate} M keys/s`);
    // (For a pass without counting, `keys` is the line number reached: the same figure within blank lines.)
  };
}

/** Where per-key output goes: records (objects), or their JSON lines as bytes (`--json`). */
export type KeySink = { records: (records: KeyRecord[]) => Promise<void> | void } | { json: (bytes: Uint8Array) => Promise<void> | void };

export interface KeysOptions {
  sink?: KeySink;
  /** Records carry the shard of each key (dist, diff; not slots). */
  withShards?: boolean;
  /** False: only the per-key output is wanted (slots), so a big input is not also counted and sampled. */
  summary?: boolean;
}

/**
 * The keys of an analysis and their summary: read whole (patterns expanded) or streamed. The sink gets
 * the per-key output in input order, piece by piece, as it is made (never all of a stream at once).
 */
export async function analyzeKeys(input: KeyInput, a: ReadyAnalysis, options: KeysOptions & { summary: false }): Promise<null>;
export async function analyzeKeys(input: KeyInput, a: ReadyAnalysis, options?: KeysOptions): Promise<KeysSummary>;
export async function analyzeKeys(input: KeyInput, a: ReadyAnalysis, options: KeysOptions = {}): Promise<KeysSummary | null> {
  const { sink, withShards = true, summary = true } = options;
  const shards = withShards ? a.layout : null;
  const emit = async (records: KeyRecord[]) => {
    if (!sink) return;
    if ('records' in sink) return sink.records(records);
    await sink.json(utf8(records.map((r) => JSON.stringify(r) + '\n').join('')));
    // (utf8 returns a new buffer: the sink may keep it.)
  };
  const recordsOf = (list: KeyList, main: SlotTable, compare: SlotTable | null, patternOf?: (i: number) => string | undefined) =>
    keyListRecords(list, { name: a.main.name, table: main }, a.compare && compare ? { name: a.compare.name, table: compare } : null, shards, patternOf);
  if (input.text) {
    const text = analyzeKeyText(a, input.text);
    const patterns = a.commands.patterns?.docs.keys.patterns ?? [];
    const patternOf = (i: number) => (text.fromPattern && text.fromPattern[i] >= 0 ? patterns[text.fromPattern[i]].text : undefined);
    await emit(recordsOf(text.list, text.main, text.compare, patternOf));
    return text.summary;
  }
  // JSON lines of one Redis or Standard policy are written straight from the bytes (RecordLineWriter,
  // byte-identical to the records' JSON); anything else goes through the records.
  const name = a.main.name;
  const fast = sink && 'json' in sink && !a.compare && name !== 'custom' ? new RecordLineWriter(name, shards) : null;
  const generic = (line: number, bytes: Uint8Array) => {
    const list = parseKeyList(bytes, line);
    const [record] = recordsOf(list, slotTable(list, a.main.policy), null);
    return record ? JSON.stringify(record) : '';
  };
  const each = async (chunk: Chunk) => {
    if (chunk.refused) {
      const { line, firstByte } = chunk.refused;
      return emit([unreadableRecord(line, { code: 'key-too-long', column: 1, message: lineTooLongMessage(maxLineBytes(firstByte)) })]);
    }
    if (fast && sink && 'json' in sink) return sink.json(fast.write(chunk.bytes, chunk.firstLine, generic));
    const list = parseKeyList(chunk.bytes, chunk.firstLine);
    await emit(recordsOf(list, slotTable(list, a.main.policy), a.compare ? slotTable(list, a.compare.policy) : null));
  };
  if (!summary) {
    await input.chunks(each);
    return null;
  }
  // The file's problems are on stderr (unreadable lines) and in the summary (portability) already.
  return summarizeKeyStream(a, await input.stream(a, sink && each)).summary;
}
