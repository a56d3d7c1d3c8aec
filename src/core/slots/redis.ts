import type { TagSpan } from './span.ts';

const OPEN = 0x7b; // {
const CLOSE = 0x7d; // }

/**
 * Redis Cluster hash tag (keyHashSlot in redis src/cluster.c): the bytes between the first `{` and
 * the first `}` after it, if that is non-empty; otherwise the whole key. Always succeeds.
 */
export function redisTag(key: Uint8Array, start: number, end: number, out: TagSpan): void {
  out.rule = 0;
  out.start = start;
  out.end = end;
  let s = start;
  while (s < end && key[s] !== OPEN) s++;
  if (s === end) return;
  let e = s + 1;
  while (e < end && key[e] !== CLOSE) e++;
  if (e === end || e === s + 1) return;
  out.start = s + 1;
  out.end = e;
}
