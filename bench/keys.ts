import { concatBytes } from '../src/core/bytes.ts';
import { rng } from '../test/support/generate.ts';

/** Lines per encoded piece: big enough to be fast, small enough that 10 M keys never sit in one string. */
const PIECE = 100_000;

/**
 * A realistic keyspace as `redis-cli --scan` would print it: users, carts, sessions, job queues,
 * products, rate limits; some with hash tags, most without. Same seed, same bytes, every run; yielded in
 * pieces so 10 M keys (about 250 MB) can be written to a file without holding them as strings.
 */
export function* keyFilePieces(count: number, seed = 42): Generator<Uint8Array> {
  const rand = rng(seed);
  const int = (n: number) => Math.floor(rand() * n);
  const hex = (n: number) => {
    let s = '';
    for (let i = 0; i < n; i++) s += '0123456789abcdef'[int(16)];
    return s;
  };
  const makers = [
    () => `user:${int(5_000_000)}:profile`,
    () => `user:${int(5_000_000)}:cart`,
    () => `{user:${int(5_000_000)}}:settings`,
    () => `session:${hex(32)}`,
    () => `bull:{${['emails', 'payments', 'thumbnails', 'webhooks'][int(4)]}}:${int(10_000_000)}`,
    () => `product:sku:${int(200_000)}:stock`,
    () => `rate-limit:{ip:10.${int(256)}.${int(256)}.${int(256)}}:minute`,
    () => `order:${int(90_000_000)}`,
  ];
  const encoder = new TextEncoder();
  for (let done = 0; done < count; done += PIECE) {
    const lines: string[] = [];
    for (let i = done; i < Math.min(count, done + PIECE); i++) lines.push(makers[int(makers.length)]());
    yield encoder.encode(lines.join('\n') + '\n');
  }
}

/** The whole generated key file in one buffer. */
export function generateKeyFile(count: number, seed = 42): Uint8Array {
  return concatBytes([...keyFilePieces(count, seed)]);
}
