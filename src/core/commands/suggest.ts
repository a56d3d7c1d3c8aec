import { concatBytes, latin1, utf8 } from '../bytes.ts';
import { display } from '../input/quote.ts';
import type { Policy } from '../slots/policy.ts';
import { newSpan } from '../slots/span.ts';

/** Bytes after which a key prefix makes a natural hash tag (`user:1000` in `user:1000:cart`). */
export const SEPARATORS = new Set([0x3a, 0x2e, 0x2f, 0x2d, 0x5f, 0x7c, 0x23]); // : . / - _ | #

/**
 * The smallest hash-tag change that puts keys in one slot, checked under the policy itself (so it is
 * right for Standard and custom rules too): wrap their longest common prefix, cut at a separator, in
 * braces — `user:1000:profile` + `user:1000:settings` → `{user:1000}:profile` + `{user:1000}:settings`.
 * Without a usable common prefix, every key gets the first key's name as a tag prefix. Returns
 * undefined when no such rewrite lands in one slot.
 */
export function suggestHashTag(keys: Uint8Array[], policy: Policy): string[] | undefined {
  const unique = [...new Map(keys.map((k) => [latin1(k), k])).values()];
  if (unique.length < 2) return undefined;
  const prefix = commonPrefix(unique);
  const candidates: ((k: Uint8Array) => Uint8Array)[] = [];
  if (prefix > 0) {
    const tag = unique[0].subarray(0, prefix);
    candidates.push((k) => concatBytes([utf8('{'), tag, utf8('}'), k.subarray(prefix)]));
  }
  const first = stripBraces(unique[0]);
  if (first.length > 0) candidates.push((k) => concatBytes([utf8('{'), first, utf8('}:'), k]));
  const span = newSpan();
  for (const rewrite of candidates) {
    const rewritten = keys.map(rewrite);
    const slots = new Set(rewritten.map((k) => policy.locate(k, 0, k.length, span)));
    if (slots.size === 1 && [...slots][0] >= 0) return rewritten.map((k) => display(k));
  }
  return undefined;
}

/** Length of the longest common prefix that holds no brace and ends where every key ends or has a separator. */
function commonPrefix(keys: Uint8Array[]): number {
  let n = 0;
  const first = keys[0];
  while (n < first.length && first[n] !== 0x7b && first[n] !== 0x7d && keys.every((k) => k[n] === first[n])) n++;
  const boundary = (at: number) => keys.every((k) => at === k.length || SEPARATORS.has(k[at]));
  while (n > 0 && !boundary(n)) n--;
  return n;
}

function stripBraces(k: Uint8Array): Uint8Array {
  return k.filter((b) => b !== 0x7b && b !== 0x7d);
}
