import type { TagSpan } from './span.ts';

const OPEN = 0x7b; // {
const CLOSE = 0x7d; // }
const LF = 0x0a;

/** The two rules of Redis Cloud / Software's standard policy (`default-regex-rules`), in order. */
export const STANDARD_RULES = ['.*\\{(?<tag>.*)\\}.*', '(?<tag>.*)'] as const;

/**
 * The standard policy, evaluated exactly as PCRE evaluates its two rules in byte mode, anchored:
 * `.` stops at the first LF, so only the first line counts. In it, rule 1's greedy `.*` picks the last
 * `}` and then the last `{` before it; the tag may be empty (and is hashed: slot 0). Otherwise rule 2
 * hashes the whole first line. Hand-written because it is the hot path; proven equal to pcre2test by
 * the oracle tests.
 */
export function standardTag(key: Uint8Array, start: number, end: number, out: TagSpan): void {
  let lineEnd = start;
  while (lineEnd < end && key[lineEnd] !== LF) lineEnd++;
  let close = lineEnd - 1;
  while (close >= start && key[close] !== CLOSE) close--;
  if (close >= start) {
    let open = close - 1;
    while (open >= start && key[open] !== OPEN) open--;
    if (open >= start) {
      out.rule = 1;
      out.start = open + 1;
      out.end = close;
      return;
    }
  }
  out.rule = 2;
  out.start = start;
  out.end = lineEnd;
}

/** True when the key has an LF, so its standard tag depends on PCRE's (unconfirmed) newline flags. */
export function dependsOnNewlineMode(key: Uint8Array, start: number, end: number): boolean {
  for (let i = start; i < end; i++) if (key[i] === LF) return true;
  return false;
}
