import { decodeUtf8Lenient } from '../../bytes.ts';
import { display } from '../../input/quote.ts';
import type { Binding } from '../language/expand.ts';
import type { PatternPart } from '../language/parse.ts';
import type { HashKind } from './scan.ts';
import type { Condition } from './symbolic.ts';

/** Plain result data of pattern reasoning (structured-clone safe, for the worker and the CLI). */

/** What a pattern hashes, as an expression over its placeholders. */
export interface Hashing {
  /** `<uid>`, `user:<uid>`, or the whole pattern; `<part of s>` is a piece of a value. */
  expr: string;
  /** A hash tag, the whole key, (Standard) the first line of the key, or (custom rules) refused: no rule matches. */
  kind: HashKind | 'refused';
  /** Standard / custom: the 1-based rule that matched (0 when no rule did). */
  rule?: number;
}

/** Concrete keys for one outcome: placeholder values, the keys they give and the real slots. */
export interface Example {
  binding: Record<string, string>;
  keys: string[];
  slots: number[];
}

/** A case in which values change what a pattern hashes. */
export interface PatternWarning {
  code: 'value-changes-hashed-part' | 'empty-tag' | 'no-rule-matched';
  message: string;
  /** The hashing in this case (absent when the key is refused). */
  hashing?: Hashing;
  example: Example;
}

export interface PatternHashing {
  /** The usual case: no placeholder value holds a brace or line feed, none is empty. */
  hashing: Hashing;
  warnings: PatternWarning[];
  /** Decided from sampled values through the policy, not proven (custom rules). */
  sampled: boolean;
}

export type GroupVerdictKind = 'always' | 'never' | 'depends';

/** Do keys of these patterns share one slot, for the same placeholder values? */
export interface GroupVerdict {
  verdict: GroupVerdictKind;
  /**
   * Holds without exception: proven (or every value tried) for always and depends; for never, no
   * values at all give one slot — false when they may, by chance (about 1 in 16384), or when sampled.
   */
  exact: boolean;
  sampled: boolean;
  reason: string;
  /** Values that put the keys in one slot (always, depends; never when it happened by chance). */
  same?: Example;
  /** Values that put them in different slots (never, depends). */
  different?: Example;
  /** Custom rules: values for which a key matches no rule, so the server refuses it. */
  refused?: Example;
}

/** The values behind a verdict's examples, as bytes (for callers that build more from them). */
export interface Witnesses {
  same?: Binding;
  different?: Binding;
  refused?: Binding;
}

/** A verdict with its witnesses. */
export interface Decision {
  verdict: GroupVerdict;
  witnesses: Witnesses;
  /** Exact "depends" verdicts: what the reason states, as data (tests check it against values). */
  exception?: Exception;
}

/** Keys share a slot (`usual: 'same'`) or not, except when one of these lists of conditions all hold. */
export interface Exception {
  usual: 'same' | 'different';
  when: Condition[][];
}

/** A pattern expression as text: placeholders as `<name>`, literal `<` and `\` escaped where needed. */
export function renderParts(parts: readonly ({ lit: Uint8Array } | { name: string; piece?: boolean })[]): string {
  const texts = parts.map((p) =>
    'name' in p
      ? p.piece
        ? `<part of ${p.name}>`
        : `<${p.name}>`
      : // Control characters are shown as \xHH: a pattern's text never writes them raw to a screen.
        // eslint-disable-next-line no-control-regex
        decodeUtf8Lenient(p.lit).replace(/[\x00-\x1f\x7f]/g, (c) => `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`),
  );
  let out = '';
  texts.forEach((text, i) => {
    if ('name' in parts[i]) {
      out += text;
      return;
    }
    for (let k = 0; k < text.length; k++) {
      const next = k + 1 < text.length ? text[k + 1] : (texts[i + 1]?.[0] ?? '');
      // Only where the parser would otherwise read an escape or a placeholder.
      if (text[k] === '\\' && (next === '\\' || next === '<')) out += '\\\\';
      else if (text[k] === '<' && /[A-Za-z_]/.test(next)) out += '\\<';
      else out += text[k];
    }
  });
  return out;
}

/** A pattern's parts as text. */
export function renderPattern(parts: readonly PatternPart[]): string {
  return renderParts(parts.map((p) => (p.kind === 'lit' ? { lit: p.bytes } : { name: p.name })));
}

export function conditionText(conditions: readonly Condition[]): string {
  // "starts with `}`" says "contains `}`" already.
  const implied = (c: Condition) =>
    c.spec?.op === 'contains' &&
    conditions.some((o) => o.name === c.name && (o.spec?.op === 'starts' || o.spec?.op === 'ends') && o.spec.byte === (c.spec as { byte: number }).byte);
  return [...new Set(conditions.filter((c) => !implied(c)).map((c) => (c.name ? `<${c.name}> ${c.text}` : c.text)))].join(' and ');
}

/** What is hashed, for people: `<uid>`, "the whole key", "the first line, …". */
export function describeHashing(h: Hashing): string {
  if (h.kind === 'refused') return 'nothing: no rule matches, the server refuses the key';
  if (h.kind === 'key') return 'the whole key';
  if (h.kind === 'line') return `the first line, ${h.expr === '' ? '(empty)' : h.expr}`;
  return h.expr === '' ? 'an empty tag (slot 0)' : h.expr;
}

/** Like describeHashing, naming the whole key's expression, to compare the keys of a pair. */
export function hashedText(h: Hashing): string {
  return h.kind === 'key' ? `${h.expr} (whole key)` : describeHashing(h);
}

export function example(binding: Binding, keys: readonly Uint8Array[], slots: readonly number[]): Example {
  return { binding: Object.fromEntries([...binding].map(([k, v]) => [k, display(v)])), keys: keys.map((k) => display(k)), slots: [...slots] };
}
