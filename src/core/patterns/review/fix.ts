import { SEPARATORS } from '../../commands/suggest.ts';
import { renderPattern } from '../reasoning/model.ts';
import { namesOf, type PatternPart } from '../language/parse.ts';
import type { Reasoner } from '../reasoning/reason.ts';
import { typeOf, type Schema } from '../language/schema.ts';
import { typeMayBeEmpty, typeSpecials } from '../language/types.ts';

/**
 * The hash-tag rewrite that puts the keys of a command template in one slot for every value — the
 * pattern form of suggest.ts: wrap the longest common prefix (cut at a separator) in braces, so
 * `user:<uid>:a` + `user:<uid>:b` become `{user:<uid>}:a` + `{user:<uid>}:b`; else wrap a placeholder
 * every key shares (`cart:{<uid>}` + `orders:{<uid>}`), removing braces the keys already had. A tag
 * must contain a placeholder: a constant tag would put every user's keys in one slot. Each candidate
 * is kept only if the reasoner proves it "always" under the policy.
 */
export function suggestTemplateFix(keys: readonly (readonly PatternPart[])[], schema: Schema, reasoner: Reasoner): string[] | undefined {
  if (keys.length < 2) return undefined;
  const clean = (name: string) => typeSpecials(typeOf(schema, name)) === 0 && !typeMayBeEmpty(typeOf(schema, name));
  const units = keys.map(toUnits);
  const stripped = units.map((u) => u.filter((x) => typeof x !== 'number' || (x !== 0x7b && x !== 0x7d)));
  const shared = namesOf(keys[0]).filter((n) => clean(n) && keys.every((k) => namesOf(k).includes(n)));
  const candidates = [prefixTag(units, clean), ...shared.map((n) => wrapName(stripped, n)), prefixTag(stripped, clean)];
  for (const c of candidates) {
    if (!c) continue;
    const parts = c.map(toParts);
    if (reasoner.group(parts).verdict === 'always') return parts.map(renderPattern);
  }
  return undefined;
}

/** A pattern as single bytes and placeholders, so prefixes can be compared and cut anywhere. */
type Unit = number | { name: string; part: PatternPart & { kind: 'ph' } };

function toUnits(parts: readonly PatternPart[]): Unit[] {
  return parts.flatMap((p): Unit[] => (p.kind === 'lit' ? [...p.bytes] : [{ name: p.name, part: p }]));
}

function toParts(units: readonly Unit[]): PatternPart[] {
  const parts: PatternPart[] = [];
  let lit: number[] = [];
  for (const u of units) {
    if (typeof u === 'number') lit.push(u);
    else {
      if (lit.length) parts.push({ kind: 'lit', bytes: Uint8Array.from(lit) });
      lit = [];
      parts.push(u.part);
    }
  }
  if (lit.length) parts.push({ kind: 'lit', bytes: Uint8Array.from(lit) });
  return parts;
}

const sameUnit = (a: Unit | undefined, b: Unit | undefined) =>
  a !== undefined && b !== undefined && (typeof a === 'number' ? a === b : typeof b !== 'number' && a.name === b.name);

/** `{prefix}rest` for the longest common prefix that ends at a separator, holds no brace, and has a clean placeholder. */
function prefixTag(keys: Unit[][], clean: (name: string) => boolean): Unit[][] | null {
  const first = keys[0];
  let n = 0;
  while (n < first.length && keys.every((k) => sameUnit(k[n], first[n]))) {
    const u = first[n];
    if (typeof u === 'number' ? u === 0x7b || u === 0x7d : !clean(u.name)) break;
    n++;
  }
  const boundary = (at: number) => keys.every((k) => at === k.length || (typeof k[at] === 'number' && SEPARATORS.has(k[at] as number)));
  while (n > 0 && !boundary(n)) n--;
  if (!first.slice(0, n).some((u) => typeof u !== 'number')) return null;
  return keys.map((k) => [0x7b, ...k.slice(0, n), 0x7d, ...k.slice(n)]);
}

/** Every key with its first `<name>` in braces. */
function wrapName(keys: Unit[][], name: string): Unit[][] {
  return keys.map((k) => {
    const at = k.findIndex((u) => typeof u !== 'number' && u.name === name);
    return [...k.slice(0, at), 0x7b, k[at], 0x7d, ...k.slice(at + 1)];
  });
}
