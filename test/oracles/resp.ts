/**
 * Minimal RESP2 codec and pipelining connection for the redis-server oracle.
 * Hand-written (no client library) so that every byte we send and receive is
 * under our control: keys are binary and must reach the server unmodified.
 */
import { Socket, connect } from 'node:net';
import { once } from 'node:events';

export type RespValue = null | number | Uint8Array | { error: string } | RespValue[];
export type RespArg = Uint8Array | string;

const CRLF = Buffer.from('\r\n');

/** Encodes one command as a RESP array of bulk strings (binary-safe). */
export function encodeCommand(args: RespArg[]): Buffer {
  const parts: Buffer[] = [Buffer.from(`*${args.length}\r\n`)];
  for (const arg of args) {
    const bytes = typeof arg === 'string' ? Buffer.from(arg, 'utf8') : Buffer.from(arg.buffer, arg.byteOffset, arg.byteLength);
    parts.push(Buffer.from(`$${bytes.length}\r\n`), bytes, CRLF);
  }
  return Buffer.concat(parts);
}

/** Parse outcome: a value and where it ended, or how many bytes (from the value's start) are needed at least. */
type Parsed = { value: RespValue; next: number } | { need: number };

/** Copies out of the receive buffer so replies don't pin large socket buffers in memory. */
function copyBytes(buf: Buffer, start: number, end: number): Uint8Array {
  return new Uint8Array(buf.subarray(start, end));
}

function parseValue(buf: Buffer, start: number): Parsed {
  const lineEnd = buf.indexOf(CRLF, start);
  if (lineEnd < 0) return { need: buf.length - start + 1 };
  const type = buf[start];
  const header = buf.toString('latin1', start + 1, lineEnd);
  const afterHeader = lineEnd + 2;
  switch (type) {
    case 0x2b: // '+' simple string: exposed as bytes, the RespValue type has no text variant
      return { value: copyBytes(buf, start + 1, lineEnd), next: afterHeader };
    case 0x2d: // '-' error
      return { value: { error: buf.toString('utf8', start + 1, lineEnd) }, next: afterHeader };
    case 0x3a: // ':' integer (values beyond 2^53 lose precision; slots and counts never get there)
      return { value: Number(header), next: afterHeader };
    case 0x24: {
      // '$' bulk string
      const len = Number(header);
      if (len < 0) return { value: null, next: afterHeader };
      const end = afterHeader + len;
      if (buf.length < end + 2) return { need: end + 2 - start };
      return { value: copyBytes(buf, afterHeader, end), next: end + 2 };
    }
    case 0x2a: {
      // '*' array
      const count = Number(header);
      if (count < 0) return { value: null, next: afterHeader };
      const items: RespValue[] = [];
      let pos = afterHeader;
      for (let i = 0; i < count; i++) {
        const item = parseValue(buf, pos);
        if ('need' in item) return { need: pos - start + item.need };
        items.push(item.value);
        pos = item.next;
      }
      return { value: items, next: pos };
    }
    default:
      throw new Error(`RESP protocol error: unexpected type byte 0x${(type ?? 0).toString(16)} at offset ${start}`);
  }
}

/**
 * Streaming RESP2 decoder. Chunks are only concatenated once enough bytes have
 * arrived for the next value, so a large bulk reply arriving in many chunks
 * costs linear, not quadratic, copying.
 */
export class RespDecoder {
  private buf = Buffer.alloc(0);
  private pending: Buffer[] = [];
  private pendingBytes = 0;
  private need = 1;

  push(chunk: Buffer, emit: (value: RespValue) => void): void {
    this.pending.push(chunk);
    this.pendingBytes += chunk.length;
    if (this.buf.length + this.pendingBytes < this.need) return;
    const buf = Buffer.concat([this.buf, ...this.pending]);
    this.pending = [];
    this.pendingBytes = 0;
    let pos = 0;
    while (pos < buf.length) {
      const parsed = parseValue(buf, pos);
      if ('need' in parsed) {
        this.need = parsed.need;
        break;
      }
      emit(parsed.value);
      pos = parsed.next;
      this.need = 1;
    }
    // An empty remainder must not keep the whole consumed buffer alive.
    this.buf = pos >= buf.length ? Buffer.alloc(0) : buf.subarray(pos);
  }
}

/** A batch of commands whose replies arrive consecutively. */
interface PendingBatch {
  count: number;
  replies: RespValue[];
  resolve: (replies: RespValue[]) => void;
  reject: (error: Error) => void;
}

/** Bytes buffered before a socket.write; large enough to amortise syscalls, small enough to stream. */
const WRITE_BATCH_BYTES = 256 * 1024;

/** One TCP connection to a Redis server, with in-order reply matching for pipelined batches. */
export class RespConnection {
  private readonly decoder = new RespDecoder();
  private readonly queue: PendingBatch[] = [];
  private queueHead = 0;
  private writeChain: Promise<void> = Promise.resolve();
  private closedError: Error | null = null;

  private constructor(private readonly socket: Socket) {
    socket.setNoDelay(true);
    socket.on('data', (chunk: Buffer) => {
      try {
        this.decoder.push(chunk, (value) => this.deliver(value));
      } catch (error) {
        this.fail(error as Error);
        socket.destroy();
      }
    });
    socket.on('error', (error) => this.fail(error));
    socket.on('close', () => this.fail(new Error('connection to redis-server closed')));
  }

  static async open(port: number, host = '127.0.0.1'): Promise<RespConnection> {
    const socket = connect({ port, host });
    await once(socket, 'connect');
    return new RespConnection(socket);
  }

  /** Sends all commands pipelined and resolves with their replies in order. */
  send(commands: RespArg[][]): Promise<RespValue[]> {
    if (commands.length === 0) return Promise.resolve([]);
    return new Promise<RespValue[]>((resolve, reject) => {
      const batch: PendingBatch = { count: commands.length, replies: [], resolve, reject };
      // Writes are serialised so concurrent callers can't interleave their bytes,
      // which would break the reply order the queue relies on.
      this.writeChain = this.writeChain
        .then(async () => {
          if (this.closedError) return reject(this.closedError);
          this.queue.push(batch);
          await this.writeAll(commands);
        })
        .catch((error: Error) => this.fail(error));
    });
  }

  close(): void {
    this.socket.destroy();
  }

  private async writeAll(commands: RespArg[][]): Promise<void> {
    let chunk: Buffer[] = [];
    let chunkBytes = 0;
    const flush = async () => {
      const ok = this.socket.write(chunk.length === 1 ? chunk[0] : Buffer.concat(chunk));
      chunk = [];
      chunkBytes = 0;
      if (!ok) await this.drained();
    };
    for (const command of commands) {
      const encoded = encodeCommand(command);
      chunk.push(encoded);
      chunkBytes += encoded.length;
      if (chunkBytes >= WRITE_BATCH_BYTES) await flush();
    }
    if (chunk.length > 0) await flush();
  }

  /** Resolves on 'drain', or on 'close' so a dead socket can't wedge the write chain. */
  private drained(): Promise<void> {
    if (this.socket.destroyed) return Promise.resolve();
    return new Promise((resolve) => {
      const done = () => {
        this.socket.off('drain', done);
        this.socket.off('close', done);
        resolve();
      };
      this.socket.on('drain', done);
      this.socket.on('close', done);
    });
  }

  private deliver(value: RespValue): void {
    const batch = this.queue[this.queueHead];
    if (!batch) throw new Error('RESP protocol error: reply received with no command pending');
    batch.replies.push(value);
    if (batch.replies.length < batch.count) return;
    this.queueHead++;
    // Compact occasionally; Array#shift on a long queue would be O(n) per reply batch.
    if (this.queueHead > 1024 && this.queueHead * 2 > this.queue.length) {
      this.queue.splice(0, this.queueHead);
      this.queueHead = 0;
    }
    batch.resolve(batch.replies);
  }

  private fail(error: Error): void {
    if (!this.closedError) this.closedError = error;
    const waiting = this.queue.splice(this.queueHead);
    this.queueHead = 0;
    this.queue.length = 0;
    for (const batch of waiting) batch.reject(this.closedError);
  }
}
