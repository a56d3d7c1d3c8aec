import type { Policy } from '../../slots/policy.ts';
import { newSpan } from '../../slots/span.ts';
import { locateAll, sameBytes } from './examples.ts';
import { instantiate, instantiateWithOffsets, sampleBindings, type Binding } from '../language/expand.ts';
import {
  example,
  renderParts,
  type Decision,
  type Example,
  type GroupVerdict,
  type Hashing,
  type PatternHashing,
  type PatternWarning,
  type Witnesses,
} from './model.ts';
import { namesOf, type PatternPart } from '../language/parse.ts';
import { typeOf, type Schema } from '../language/schema.ts';
import { finiteValues, sameType } from '../language/types.ts';

/**
 * Reasoning by running values through the policy — for custom rules, whose regular expressions can
 * look anywhere in a key. Bindings mix typical values with edge ones (empty text, braces, line feeds,
 * digits-only words). When every placeholder has a small domain, every binding is tried instead, and
 * the answer is exact.
 */
export interface SampleOptions {
  samples: number;
  seed: number;
  /** Try every binding when there are at most this many (default: samples). */
  exhaustive?: number;
}

/**
 * Every binding is tried when all names have small domains and there are no more bindings than the
 * samples budget (the caller lowers it for big matrices, so it bounds the time a question takes) or
 * the caller's own limit for exhaustive runs.
 * Otherwise bindings are sampled; one in four of them gives names of one finite type the same value
 * (`<a:hex2>` and `<b:hex2>` are equal 1 time in 256: a real outcome, which random draws would miss).
 */
function bindingsFor(names: string[], schema: Schema, opts: SampleOptions): { bindings: Binding[]; exhaustive: boolean } {
  const domains = names.map((n) => finiteValues(typeOf(schema, n)));
  const size = domains.reduce((n, d) => n * (d ? d.length : Infinity), 1);
  if (size <= Math.max(1, opts.exhaustive ?? opts.samples)) {
    let all: Map<string, Uint8Array>[] = [new Map()];
    names.forEach((name, i) => (all = all.flatMap((b) => domains[i]!.map((v) => new Map(b).set(name, v)))));
    return { bindings: all, exhaustive: true };
  }
  const sampled = sampleBindings(names, schema, { count: opts.samples, seed: opts.seed, adversarial: 0.5 });
  const alike = names.flatMap((a, i) =>
    names.slice(i + 1).flatMap((b, k) => (domains[i] && domains[i + 1 + k] && sameType(typeOf(schema, a), typeOf(schema, b)) ? [[a, b]] : [])),
  );
  if (alike.length === 0) return { bindings: sampled, exhaustive: false };
  const bindings = sampled.map((b, i) => {
    if (i % 4 !== 3) return b;
    const copy = new Map(b);
    const [a, c] = alike[(i >> 2) % alike.length];
    copy.set(c, copy.get(a)!);
    return copy;
  });
  return { bindings, exhaustive: false };
}

/** The hashed span of a key as an expression over the pattern's parts. */
function hashingOf(parts: readonly PatternPart[], offsets: number[], start: number, end: number, rule: number): Hashing {
  const pieces: ({ lit: Uint8Array } | { name: string; piece?: boolean })[] = [];
  parts.forEach((p, i) => {
    const [from, to] = [offsets[i], offsets[i + 1]];
    const a = Math.max(from, start);
    const b = Math.min(to, end);
    if (p.kind === 'lit') {
      if (b > a) pieces.push({ lit: p.bytes.subarray(a - from, b - from) });
    } else if (from === to ? start < from && from < end : b > a) pieces.push({ name: p.name, piece: a > from || b < to });
  });
  const whole = start === 0 && end === offsets[offsets.length - 1];
  return { expr: renderParts(pieces), kind: whole ? 'key' : 'tag', rule };
}

export function sampledHashing(parts: readonly PatternPart[], schema: Schema, policy: Policy, opts: SampleOptions): PatternHashing {
  const { bindings, exhaustive } = bindingsFor(namesOf(parts), schema, opts);
  const shapes = new Map<string, { hashing: Hashing; count: number; example: Example }>();
  let refused: { count: number; example: Example } | null = null;
  const span = newSpan();
  for (const b of bindings) {
    const { key, offsets } = instantiateWithOffsets(parts, b);
    const slot = policy.locate(key, 0, key.length, span);
    if (slot < 0) {
      refused ??= { count: 0, example: example(b, [key], [slot]) };
      refused.count++;
      continue;
    }
    const h = hashingOf(parts, offsets, span.start, span.end, span.rule);
    const id = `${h.rule} ${h.kind} ${h.expr}`;
    const shape = shapes.get(id) ?? { hashing: h, count: 0, example: example(b, [key], [slot]) };
    shape.count++;
    shapes.set(id, shape);
  }
  const ranked = [...shapes.values()].sort((a, b) => b.count - a.count);
  const of = (count: number) => (exhaustive ? `${count} of the ${bindings.length} possible values` : `${count} of ${bindings.length} sampled values`);
  const warnings: PatternWarning[] = ranked.slice(1).map((s) => ({
    code: 'value-changes-hashed-part',
    message: `for ${of(s.count)}, rule ${s.hashing.rule || '-'} hashes ${s.hashing.expr || '(empty)'} instead of ${ranked[0].hashing.expr}`,
    hashing: s.hashing,
    example: s.example,
  }));
  if (refused) {
    warnings.push({ code: 'no-rule-matched', message: `for ${of(refused.count)}, no rule matches: the server refuses the key`, example: refused.example });
  }
  return { hashing: ranked[0]?.hashing ?? { expr: '', kind: 'refused', rule: 0 }, warnings, sampled: !exhaustive };
}

export function sampledGroup(keys: readonly (readonly PatternPart[])[], schema: Schema, policy: Policy, opts: SampleOptions): Decision {
  const names = [...new Set(keys.flatMap((k) => namesOf(k)))];
  const { bindings, exhaustive } = bindingsFor(names, schema, opts);
  const count = { same: 0, coincide: 0, different: 0, refused: 0 };
  const examples: Partial<Record<'same' | 'coincide' | 'different' | 'refused', [Example, Binding]>> = {};
  for (const b of bindings) {
    const built = keys.map((k) => instantiate(k, b));
    const { slots, hashed } = locateAll(policy, built);
    const kind = slots.some((s) => s < 0)
      ? 'refused'
      : hashed.every((h) => sameBytes(h, hashed[0]))
        ? 'same'
        : slots.every((s) => s === slots[0])
          ? 'coincide'
          : 'different';
    count[kind]++;
    examples[kind] ??= [example(b, built, slots), b];
  }
  // Different hashed bytes in one slot: chance (about 1 in 16384), unless it happens far more often
  // than chance would — then the CRCs are related (e.g. by length) and it is a real outcome.
  const placed = count.same + count.coincide + count.different;
  const structural = count.coincide >= 3 && count.coincide > placed * 0.01;
  const sameCount = count.same + (structural || count.different === 0 ? count.coincide : 0);
  const of = (n: number) => (exhaustive ? `${n} of the ${bindings.length} possible values` : `${n} of ${bindings.length} sampled values`);
  const verdict: GroupVerdict = {
    verdict: sameCount > 0 && count.different > 0 ? 'depends' : sameCount > 0 ? 'always' : 'never',
    exact: exhaustive && (sameCount > 0 || count.coincide === 0),
    sampled: !exhaustive,
    reason: '',
  };
  const witnesses: Witnesses = {};
  const same = examples.same ?? (sameCount > 0 ? examples.coincide : undefined);
  if (same) [verdict.same, witnesses.same] = same;
  if (examples.different) [verdict.different, witnesses.different] = examples.different;
  if (examples.refused) [verdict.refused, witnesses.refused] = examples.refused;
  verdict.reason =
    verdict.verdict === 'always'
      ? keys.length === 1
        ? 'a single key'
        : `one slot for ${of(sameCount)}`
      : verdict.verdict === 'depends'
        ? `one slot for ${of(sameCount)}, different slots for ${count.different}`
        : placed === 0
          ? 'no rule matches these keys: the server refuses them'
          : `different slots for ${of(count.different)}${count.coincide ? ` (${count.coincide} in one slot by chance)` : ''}`;
  if (count.refused && placed > 0) verdict.reason += `; for ${of(count.refused)} a key matches no rule (refused)`;
  return { verdict, witnesses };
}
