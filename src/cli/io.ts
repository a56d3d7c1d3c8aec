import { createReadStream } from 'node:fs';
import { readBytes } from './setup.ts';

/** Reads all of stdin as bytes (keys are bytes: never decode them). */
export async function readStdin(): Promise<Uint8Array> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  const buf = Buffer.concat(chunks);
  return new Uint8Array(buf.buffer, buf.byteOffset, buf.length);
}

/** The whole input (stdin, or the file); an unreadable file is a UsageError naming it. */
export async function readInput(file: string | undefined): Promise<Uint8Array> {
  if (file === undefined || file === '-') return readStdin();
  return readBytes(file, 'input');
}

/** Buffered writer: one write per 64 KB instead of one per line. */
export class Out {
  private parts: string[] = [];
  private size = 0;
  constructor(private readonly stream: NodeJS.WriteStream = process.stdout) {}

  line(text: string): void {
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

/**
 * The input in pieces that end at a line end, with the number of their first line: a 10 M-line file
 * flows through in constant memory. The last piece may lack a final LF.
 */
export async function* lineChunks(file: string | undefined): AsyncGenerator<{ bytes: Uint8Array; firstLine: number }> {
  // 1 MiB reads from a file; stdin as Node reads it (64 KiB at a time).
  const stream = file === undefined || file === '-' ? process.stdin : createReadStream(file, { highWaterMark: 1 << 20 });
  let carry: Buffer = Buffer.alloc(0);
  // Pieces of a line longer than one read, joined once its LF arrives: joining at every read would
  // copy a 16 MiB line hundreds of times.
  let pending: Buffer[] = [];
  let firstLine = 1;
  for await (const chunk of stream) {
    if ((chunk as Buffer).indexOf(0x0a) < 0) {
      pending.push(chunk as Buffer);
      continue;
    }
    const buf = carry.length || pending.length ? Buffer.concat([carry, ...pending, chunk as Buffer]) : (chunk as Buffer);
    pending = [];
    const cut = buf.lastIndexOf(0x0a) + 1;
    const piece = new Uint8Array(buf.buffer, buf.byteOffset, cut);
    yield { bytes: piece, firstLine };
    for (let p = piece.indexOf(0x0a); p >= 0; p = piece.indexOf(0x0a, p + 1)) firstLine++;
    carry = buf.subarray(cut);
  }
  if (pending.length) carry = Buffer.concat([carry, ...pending]);
  if (carry.length) yield { bytes: new Uint8Array(carry.buffer, carry.byteOffset, carry.length), firstLine };
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
