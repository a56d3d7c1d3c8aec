/**
 * Where the hashed bytes of a key are, as absolute offsets into the buffer the key lives in, plus the
 * 1-based rule that produced them (0 for the Redis policy, which has no rules). Reused across calls so
 * the hot path allocates nothing.
 */
export interface TagSpan {
  start: number;
  end: number;
  rule: number;
}

export function newSpan(): TagSpan {
  return { start: 0, end: 0, rule: 0 };
}
