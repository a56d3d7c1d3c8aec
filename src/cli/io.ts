import { read } from 'node:fs';
import { open, stat } from 'node:fs/promises';
import { concatBytes, lineTooLongMessage, maxLineBytes } from '../core/index.ts';
import { UsageError } from './errors.ts';

/**
 * Text for a terminal: control characters (C0 but LF and tab, DEL, C1) become `\u00HH`. User bytes reach
 * the output in command names, patterns and messages; raw, an ESC could retitle or rewrite the terminal.
 * The escape is valid JSON too, so JSON lines pass through unchanged in meaning.
 */
export function terminalSafe(text: string): string {
  // eslint-disable-next-line no-control-regex
  return text.replace(/[\x00-\x08\x0b-\x1f\x7f-\x9f]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/** One line on stderr, terminal-safe. */
export function warn(text: string): void {
  process.stderr.write(terminalSafe(text) + '\n');
}

/** Buffered writer: one write per 64 KB instead of one per line. */
export class Out {
  private parts: string[] = [];
  private size = 0;
  constructor(private readonly stream: NodeJS.WriteStream = process.stdout) {}

  line(text: string): void {
    text = terminalSafe(text);
    this.parts.push(text, '\n');
    this.size += text.length + 1;
    if (this.size > 1 << 16) this.flushSync();
  }

  private flushSync(): void {
    this.stream.write(this.parts.join(''));
    this.parts = [];
    this.size = 0;
  }

  /** Writes bytes (the caller must not change them afterwards) after what is buffered; waits while the stream is full. */
  async bytes(b: Uint8Array): Promise<void> {
    if (this.parts.length) await this.drain();
    const view = Buffer.from(b.buffer, b.byteOffset, b.length);
    if (b.length && !this.stream.write(view)) await new Promise<void>((resolve) => this.stream.once('drain', () => resolve()));
  }

  /** Writes what is buffered and, if the stream is full, waits until it drains (bounded memory). */
  async drain(): Promise<void> {
    const text = this.parts.join('');
    this.parts = [];
    this.size = 0;
    if (!this.stream.write(text)) await new Promise<void>((resolve) => this.stream.once('drain', () => resolve()));
  }

  /** Writes what is left and waits until the stream has taken it (so the exit code is not set early). */
  async end(): Promise<void> {
    const text = this.parts.join('');
    this.parts = [];
    this.size = 0;
    await new Promise<void>((resolve) => this.stream.write(text, () => resolve()));
  }
}

/** A file to read (not stdin) exists and is no directory; else a UsageError that says which. */
export async function assertReadable(file: string | undefined): Promise<void> {
  if (file === undefined || file === '-') return;
  const info = await stat(file).catch((e: NodeJS.ErrnoException) => {
    throw new UsageError(`cannot read ${file}: ${e.code === 'ENOENT' ? 'no such file' : e.message}`);
  });
  if (info.isDirectory()) throw new UsageError(`cannot read ${file}: it is a directory`);
}

/**
 * The whole input as bytes, for commands that need all of it at once (commands, a schema), read through
 * lineChunks so that a line longer than any key line is never held: it becomes an empty line (the line
 * numbers stay) and an entry of `refused` with the message.
 */
export async function readLines(file: string | undefined): Promise<{ bytes: Uint8Array; refused: { line: number; message: string }[] }> {
  await assertReadable(file);
  const parts: Uint8Array[] = [];
  const refused: { line: number; message: string }[] = [];
  const lf = new Uint8Array([0x0a]);
  try {
    for await (const chunk of lineChunks(file)) {
      if (chunk.refused) {
        refused.push({ line: chunk.refused.line, message: lineTooLongMessage(maxLineBytes(chunk.refused.firstByte)) });
        parts.push(lf);
      } else parts.push(chunk.bytes.slice());
    }
  } catch (e) {
    throw new UsageError(`cannot read ${file ?? 'stdin'}: ${(e as Error).message}`);
  }
  return { bytes: concatBytes(parts), refused };
}

/** A piece of the input that ends at a line end, with the number of its first line; or a line refused unread. */
export type LineChunk = { bytes: Uint8Array; firstLine: number; refused?: undefined } | { refused: { line: number; seen: number; firstByte: number } };

/**
 * The input in pieces that end at a line end, with the number of their first line: a 10 M-line file
 * flows through in constant memory. The last piece may lack a final LF. A line longer than any key line
 * can be (maxLineBytes: a file with no line ends, `/dev/zero`) is never held: it is skipped up to its LF
 * and reported as `refused`, so memory stays bounded whatever the input.
 */
export async function* lineChunks(file: string | undefined): AsyncGenerator<LineChunk> {
  let carry: Buffer = Buffer.alloc(0);
  // Pieces of a line longer than one read, joined once its LF arrives: joining at every read would
  // copy a 16 MiB line hundreds of times.
  let pending: Buffer[] = [];
  let pendingBytes = 0;
  let firstLine = 1;
  /** Bytes of a refused line skipped so far (it ends at the next LF), or -1. */
  let skipped = -1;
  let skippedFirst = 0;
  for await (const read of reads(file)) {
    let chunk = read;
    if (skipped >= 0) {
      const lf = chunk.indexOf(0x0a);
      if (lf < 0) {
        skipped += chunk.length;
        continue;
      }
      yield { refused: { line: firstLine, seen: skipped + lf + 1, firstByte: skippedFirst } };
      firstLine++;
      skipped = -1;
      chunk = chunk.subarray(lf + 1);
    }
    if (chunk.indexOf(0x0a) < 0) {
      if (chunk.length === 0) continue;
      const lineStart = carry.length ? carry[0] : pending.length ? pending[0][0] : chunk[0];
      if (carry.length + pendingBytes + chunk.length > maxLineBytes(lineStart)) {
        skipped = carry.length + pendingBytes + chunk.length;
        skippedFirst = lineStart;
        carry = Buffer.alloc(0);
        pending = [];
        pendingBytes = 0;
      } else {
        pending.push(Buffer.from(chunk)); // a copy: the read buffer is reused
        pendingBytes += chunk.length;
      }
      continue;
    }
    const joined = carry.length || pending.length;
    const buf = joined ? Buffer.concat([carry, ...pending, chunk]) : chunk;
    pending = [];
    pendingBytes = 0;
    const cut = buf.lastIndexOf(0x0a) + 1;
    // A piece of the reused read buffer is copied: the consumer may keep it.
    const piece = joined ? new Uint8Array(buf.buffer, buf.byteOffset, cut) : Uint8Array.prototype.slice.call(buf, 0, cut);
    yield { bytes: piece, firstLine };
    for (let p = piece.indexOf(0x0a); p >= 0; p = piece.indexOf(0x0a, p + 1)) firstLine++;
    carry = Buffer.from(buf.subarray(cut));
  }
  if (skipped >= 0) yield { refused: { line: firstLine, seen: skipped, firstByte: skippedFirst } };
  if (pending.length) carry = Buffer.concat([carry, ...pending]);
  if (carry.length) yield { bytes: new Uint8Array(carry.buffer, carry.byteOffset, carry.length), firstLine };
}

/**
 * The raw reads of a file or of stdin, 64 KiB at a time (the size the writers run best on) into one reused buffer (each read is valid until
 * the next): reading a 200 MB stream this way takes no more memory than one read, where Node's streams
 * leave every chunk to the garbage collector.
 */
async function* reads(file: string | undefined): AsyncGenerator<Buffer> {
  const handle = file === undefined || file === '-' ? null : await open(file, 'r');
  const buf = Buffer.allocUnsafe(1 << 16);
  const readStdin = () =>
    new Promise<number>((resolve, reject) =>
      read(0, buf, 0, buf.length, null, (e, n) => {
        // A non-blocking stdin with nothing yet: try again shortly.
        if (e && (e as NodeJS.ErrnoException).code === 'EAGAIN') setTimeout(() => readStdin().then(resolve, reject), 5);
        else if (e) reject(e);
        else resolve(n);
      }),
    );
  try {
    for (;;) {
      const n = handle ? (await handle.read(buf, 0, buf.length, null)).bytesRead : await readStdin();
      if (n === 0) return;
      yield buf.subarray(0, n);
    }
  } finally {
    await handle?.close();
  }
}

/** Table cells are cut to this many characters (with …). */
const MAX_CELL = 60;
/** Rows looked at before the column widths are fixed: a table of 10 M keys streams in bounded memory. */
const LOOKAHEAD = 1000;

/**
 * An aligned text table that streams: widths come from the header and the first rows, later rows are
 * padded (or cut) to them. `align`: one `l` or `r` per column.
 */
export class TableWriter {
  private pending: string[][] = [];
  private widths: number[] | null = null;

  constructor(
    private readonly out: Out,
    private readonly header: string[],
    private readonly align: string,
  ) {}

  row(cells: string[]): void {
    const shown = cells.slice(0, this.header.length).map(cut);
    if (this.widths) this.write(shown);
    else {
      this.pending.push(shown);
      if (this.pending.length >= LOOKAHEAD) this.fix();
    }
  }

  end(): void {
    if (!this.widths) this.fix();
  }

  private fix(): void {
    const widths = this.header.map((h) => h.length);
    for (const r of this.pending) r.forEach((c, i) => (widths[i] = Math.max(widths[i], c.length)));
    this.widths = widths;
    this.write(this.header);
    for (const r of this.pending) this.write(r);
    this.pending = [];
  }

  private write(cells: string[]): void {
    const w = this.widths!;
    this.out.line(
      cells
        .map((c, i) => (this.align[i] === 'r' ? c.padStart(w[i]) : c.padEnd(w[i])))
        .join('  ')
        .trimEnd(),
    );
  }
}

function cut(text: string): string {
  return text.length > MAX_CELL ? text.slice(0, MAX_CELL - 1) + '…' : text;
}
