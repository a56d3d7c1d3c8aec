import { stat } from 'node:fs/promises';
import { KeyStream, type Policy, type ShardMap, type StreamPolicy } from '../core/index.ts';
import { loadWasmSlotter } from '../engines/scan/wasm-slotter.ts';
import { lineChunks } from './io.ts';

/**
 * Reads the key list on stdin or in `input` through a KeyStream, in constant memory (no per-key slot is
 * kept): Redis and Standard through the WebAssembly slotter. `eachChunk` sees every piece of the input
 * as it streams (for per-key output). Null input on a terminal: no keys.
 */
export async function streamKeys(
  input: string | undefined,
  policies: { main: Policy; compare?: Policy | null; shards: ShardMap },
  eachChunk?: (bytes: Uint8Array, firstLine: number) => Promise<void> | void,
): Promise<KeyStream> {
  const size = input !== undefined && input !== '-' ? ((await stat(input).catch(() => null))?.size ?? 0) : 0;
  const slotter = await loadWasmSlotter().catch(() => null);
  const streamPolicy = (policy: Policy): StreamPolicy =>
    slotter && policy.name !== 'custom' ? { policy, slotter: (bytes) => slotter(bytes, policy.name as 'redis' | 'standard').slots } : { policy };
  const stream = new KeyStream({
    main: streamPolicy(policies.main),
    compare: policies.compare ? streamPolicy(policies.compare) : null,
    shards: policies.shards,
    totalBytes: size,
    keepSlots: false,
  });
  // Nothing piped in and no file: an empty key list rather than waiting on the terminal.
  if (input === undefined && process.stdin.isTTY) {
    stream.end();
    return stream;
  }
  for await (const chunk of lineChunks(input)) {
    stream.push(chunk.bytes);
    await eachChunk?.(chunk.bytes, chunk.firstLine);
  }
  stream.end();
  return stream;
}
