import { concatBytes, utf8 } from '../../bytes.ts';
import type { Policy } from '../../slots/policy.ts';
import { newSpan } from '../../slots/span.ts';
import { sampleValue, type Binding } from '../language/expand.ts';
import type { Space, Subst, Tok } from './symbolic.ts';
import { specialOf } from '../language/types.ts';

/**
 * Concrete values for a symbolic case: every variable the case leaves free gets a value of its kind
 * (a typed sample, or for pieces of text a short run of letters, which holds no special byte); bound
 * variables are built from their pieces. Any such values belong to the case, so what the case says
 * about them holds — callers still check it on the real policy.
 */
export function materialize(
  space: Space,
  subst: Subst,
  rand: () => number,
  lengths?: ReadonlyMap<number, number>,
): { binding: Binding; bytesOf(toks: readonly Tok[]): Uint8Array } {
  const memo = new Map<number, Uint8Array>();
  const valueOf = (v: number): Uint8Array => {
    const known = memo.get(v);
    if (known) return known;
    const bound = subst.get(v);
    const value = bound ? bytesOf(bound) : leaf(v);
    memo.set(v, value);
    return value;
  };
  const bytesOf = (toks: readonly Tok[]) => concatBytes(toks.map((t) => ('lit' in t ? t.lit : valueOf(t.v))));
  const leaf = (v: number): Uint8Array => {
    const d = space.vars[v];
    const n = lengths?.get(v);
    if (d.type) return sampleValue(d.type, rand, n);
    if (!d.piece && n === undefined) {
      // A whole text value the hashing never looked into: any text, a typical one reads best.
      const text = sampleValue({ kind: 'str' }, rand);
      if (text.every((b) => (specialOf(b) & ~d.specials) === 0)) return text;
    }
    const length = n ?? (d.nonEmpty ? 1 : 0) + Math.floor(rand() * 4);
    return utf8(Array.from({ length }, () => 'abcdefghijklmnopqrstuvwxyz'[Math.floor(rand() * 26)]).join(''));
  };
  const binding = new Map<string, Uint8Array>();
  for (const [name, v] of space.byName) binding.set(name, valueOf(v));
  return { binding, bytesOf };
}

/** Slots and hashed bytes of keys under a policy (slot < 0: the key has none, e.g. no rule matched). */
export function locateAll(policy: Policy, keys: readonly Uint8Array[]): { slots: number[]; hashed: (Uint8Array | null)[] } {
  const span = newSpan();
  const slots: number[] = [];
  const hashed: (Uint8Array | null)[] = [];
  for (const key of keys) {
    const slot = policy.locate(key, 0, key.length, span);
    slots.push(slot);
    hashed.push(slot >= 0 ? key.subarray(span.start, span.end) : null);
  }
  return { slots, hashed };
}

export function sameBytes(a: Uint8Array | null, b: Uint8Array | null): boolean {
  return a !== null && b !== null && a.length === b.length && a.every((x, i) => x === b[i]);
}
