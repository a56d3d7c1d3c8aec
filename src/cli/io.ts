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

  /** Writes what is left and waits until the stream has taken it (so the exit code is not set early). */
  async end(): Promise<void> {
    const text = this.parts.join('');
    this.parts = [];
    this.size = 0;
    await new Promise<void>((resolve) => this.stream.write(text, () => resolve()));
  }
}
