import type { TagSpan } from '../slots/span.ts';
import type { Node } from './ast.ts';

/** One validated custom rule, ready for an engine. */
export interface ParsedRule {
  /** 1-based position among the rules: what the server reports and `rule` in results. */
  index: number;
  /** 1-based line in the rules text. */
  line: number;
  source: string;
  /** The rule's UTF-8 bytes: PCRE in byte mode sees these. */
  bytes: Uint8Array;
  ast: Node;
  /** The `tag` group may not take part in a match (optional, in one alternative …). */
  tagMayBeUnset: boolean;
  /** (*NOTEMPTY): an empty match is no match. */
  notEmpty: boolean;
  /**
   * Every possessive repeat (written, or made so by PCRE's auto-possessification) gives back nothing
   * a following item could use: an engine without possessive repeats matches the same.
   */
  possessiveHarmless: boolean;
}

/** A rule prepared by an engine. */
export interface CompiledRule {
  /**
   * Anchored match of the rule at `bytes[start]` within `bytes[start, end)`. On a match, sets
   * `out.start/out.end` to the tag (both -1 when the tag group did not take part) and returns true.
   * Returns null when this engine cannot evaluate this key (e.g. too long for its memory budget).
   */
  exec(bytes: Uint8Array, start: number, end: number, out: TagSpan): boolean | null;
  /** Frees engine memory (WASM heaps do not collect themselves). */
  dispose(): void;
}

/** A regex engine the core can run custom rules on. The core never imports one: it is passed in. */
export interface RegexEngine {
  readonly name: string;
  /** Prepares a rule, or throws an Error whose message says why this engine cannot take it. */
  compile(rule: ParsedRule): CompiledRule;
}
