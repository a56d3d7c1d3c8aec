/**
 * Appends `items` to `out` one by one. `out.push(...items)` puts every item on the call stack, and a
 * user-sized list (200,000 keys of one transaction, say) overflows it; a loop never does.
 */
export function append<T>(out: T[], items: Iterable<T>): T[] {
  for (const item of items) out.push(item);
  return out;
}

/** The largest of `values` (or `empty` when there are none), without spreading them into Math.max. */
export function maxOf(values: Iterable<number>, empty = -Infinity): number {
  let max = empty;
  for (const v of values) if (v > max) max = v;
  return max;
}
