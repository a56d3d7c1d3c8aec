import { createReadStream } from 'node:fs';
import { readFile } from 'node:fs/promises';

/** Reads all of stdin as bytes (keys are bytes: never decode them). */
export async function readStdin(): Promise<Uint8Array> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  const buf = Buffer.concat(chunks);
  return new Uint8Array(buf.buffer, buf.byteOffset, buf.length);
}

export async function readInput(file: string | undefined): Promise<Uint8Array> {
  if (file === undefined || file === '-') return readStdin();
  const buf = await readFile(file);
  return new Uint8Array(buf.buffer, buf.byteOffset, buf.length);
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
