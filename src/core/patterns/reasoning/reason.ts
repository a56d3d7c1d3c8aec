import { latin1 } from '../../bytes.ts';
import type { RuleSet } from '../../rules/ruleset.ts';
import type { Policy } from '../../slots/policy.ts';
import { STANDARD_RULES } from '../../slots/standard.ts';
import { enumerateCases, outcomesOf, TooComplex, type Outcome, type SymCase } from './cases.ts';
import { locateAll, materialize, sameBytes } from './examples.ts';
import { instantiate, sampleBindings, type Binding } from '../language/expand.ts';
import { rng } from '../../random.ts';
import {
  conditionText,
  describeHashing,
  example,
  hashedText,
  renderParts,
  type Example,
  type GroupVerdict,
  type Hashing,
  type PatternHashing,
  type Decision,
  type Exception,
  type PatternWarning,
  type Witnesses,
} from './model.ts';
import { namesOf, type PatternPart } from '../language/parse.ts';
import { sampledGroup, sampledHashing } from './sampled.ts';
import { scanRedis, scanStandard, type Scanner } from './scan.ts';
import type { Schema } from '../language/schema.ts';
import { extend, resolve, Space, type Tok } from './symbolic.ts';

export interface ReasonOptions {
  /** Custom policy: its rules, so a rule set equal to Standard's is reasoned about exactly. */
  ruleSet?: RuleSet;
  /** Custom rules: bindings to sample per question (default 400). */
  samples?: number;
  seed?: number;
}

/** Bindings tried one by one when Redis or Standard falls back from reasoning to values. */
const SYMBOLIC_EXHAUSTIVE = 4096;

/** Answers the schema questions for one policy. */
export interface Reasoner {
  readonly policy: Policy;
  /** Exact reasoning (Redis, Standard, custom rules equal to Standard's), or sampling through the rules. */
  readonly mode: 'symbolic' | 'sampled';
  /** What a pattern hashes, and the values that change it. */
  hashing(parts: readonly PatternPart[]): PatternHashing;
  /** Whether keys of these patterns share one slot for the same values. */
  group(keys: readonly (readonly PatternPart[])[]): GroupVerdict;
  /** The same, with the values behind its examples. */
  decide(keys: readonly (readonly PatternPart[])[]): Decision;
  /**
   * Internal inconsistencies met so far: exact reasoning that contradicted the real policy (a bug).
   * Each one was answered by sampling instead of throwing; callers turn new entries into diagnostics.
   */
  readonly failures: string[];
}

/**
 * Redis and Standard are decided symbolically (see cases.ts, exact); custom rules by sampling hundreds
 * of bindings through the policy itself, unless they are Standard's rules. Every symbolic answer is
 * also checked on the real policy with concrete values: an example that disagrees is a bug. Such a bug
 * must not cost the user the whole review, so the question is then answered by sampling, with the
 * reason saying so, and the failure is recorded in `failures` for a diagnostic.
 */
export function createReasoner(policy: Policy, schema: Schema, options: ReasonOptions = {}): Reasoner {
  const scan = scannerFor(policy, options.ruleSet);
  const seed = options.seed ?? 1;
  const samples = options.samples ?? 400;
  // Custom rules run every binding through regular expressions: the samples budget bounds the time.
  // Redis and Standard only fall back to values for questions too big to reason about, and trying
  // every binding of a few small domains (4096 at most) is cheap there, and exact.
  const sampling = scan ? { samples, seed, exhaustive: Math.max(samples, SYMBOLIC_EXHAUSTIVE) } : { samples, seed };
  const failures: string[] = [];
  const sampledDecide = (keys: readonly (readonly PatternPart[])[]) => sampledGroup(keys, schema, policy, sampling);
  const sampledHash = (parts: readonly PatternPart[]) => sampledHashing(parts, schema, policy, sampling);
  if (!scan) return { policy, mode: 'sampled', hashing: sampledHash, decide: sampledDecide, group: (keys) => sampledDecide(keys).verdict, failures };
  const ruled = policy.name !== 'redis';
  const failed = (e: unknown) => {
    const message = e instanceof Error ? e.message : String(e);
    failures.push(message);
    return message;
  };
  // Reasoning that would need too many cases (long enumerations, many texts) falls back to sampling.
  const decide = (keys: readonly (readonly PatternPart[])[]): Decision => {
    try {
      return symbolicGroup(keys, schema, policy, scan, seed);
    } catch (e) {
      if (e instanceof TooComplex) return sampledDecide(keys);
      const message = failed(e);
      const d = sampledDecide(keys);
      d.verdict.reason += ` (exact reasoning failed, so this was decided by trying values: ${message})`;
      return d;
    }
  };
  return {
    policy,
    mode: 'symbolic',
    hashing(parts) {
      try {
        return symbolicHashing(parts, schema, policy, scan, ruled, seed);
      } catch (e) {
        if (!(e instanceof TooComplex)) failed(e);
        return sampledHash(parts);
      }
    },
    decide,
    group: (keys) => decide(keys).verdict,
    failures,
  };
}

function scannerFor(policy: Policy, ruleSet: RuleSet | undefined): Scanner | null {
  if (policy.name === 'redis') return scanRedis;
  if (policy.name === 'standard') return scanStandard;
  // Rule 2 of Standard matches every key, so rules after it never run.
  const rules = ruleSet?.rules ?? [];
  return rules.length >= 2 && rules[0].source === STANDARD_RULES[0] && rules[1].source === STANDARD_RULES[1] ? scanStandard : null;
}

function toTokens(parts: readonly PatternPart[], space: Space): Tok[] {
  return parts.map((p) => (p.kind === 'lit' ? { lit: p.bytes } : { v: space.byName.get(p.name)! }));
}

function render(space: Space, toks: readonly Tok[]): string {
  return renderParts(toks.map((t) => ('lit' in t ? t : { name: space.vars[t.v].name, piece: space.vars[t.v].piece })));
}

function hashingOf(space: Space, toks: readonly Tok[], kind: SymCase['kinds'][number], ruled: boolean): Hashing {
  const h: Hashing = { expr: render(space, toks), kind };
  if (ruled) h.rule = kind === 'tag' ? 1 : 2;
  return h;
}

/**
 * Display cases for one pattern: as enumerated, plus — Standard hashes an empty tag, so no split was
 * needed — the case where every value inside the tag is empty: slot 0, shared with every such key.
 */
function displayCases(space: Space, c: SymCase): SymCase[] {
  const tag = c.hashed[0];
  const v = tag.find((t) => 'v' in t && !space.vars[t.v].nonEmpty);
  if (c.kinds[0] !== 'tag' || !v || !('v' in v) || !tag.every((t) => 'v' in t && !space.vars[t.v].nonEmpty)) return [c];
  return space.splitEmpty(v.v).flatMap((b) => {
    const subst = extend(c.subst, b);
    return displayCases(space, { ...c, subst, hashed: [resolve(tag, subst)], conditions: [...c.conditions, ...b.conditions] });
  });
}

const MAX_WARNINGS = 6;

function symbolicHashing(parts: readonly PatternPart[], schema: Schema, policy: Policy, scan: Scanner, ruled: boolean, seed: number): PatternHashing {
  const space = new Space(namesOf(parts), schema);
  const cases = enumerateCases(space, [toTokens(parts, space)], scan).flatMap((c) => displayCases(space, c));
  const rand = rng(seed);
  const typical = hashingOf(space, cases[0].hashed[0], cases[0].kinds[0], ruled);
  const warnings: PatternWarning[] = [];
  // One warning per different outcome, with the simplest conditions (cases come simplest first).
  const seen = new Set([describeHashing(typical)]);
  for (const c of cases) {
    const h = hashingOf(space, c.hashed[0], c.kinds[0], ruled);
    const what = describeHashing(h);
    if (seen.has(what) || warnings.length >= MAX_WARNINGS) continue;
    seen.add(what);
    const emptyTag = h.kind === 'tag' && h.expr === '';
    const when = conditionText(c.conditions) || 'for some values';
    const message = emptyTag
      ? `when ${when}, the tag is empty: slot 0, shared by every key with an empty tag`
      : `when ${when}, it hashes ${what} instead of ${describeHashing(typical)}`;
    // The example must hash exactly what the case says, on the real policy.
    const { binding, bytesOf } = materialize(space, c.subst, rand);
    const key = instantiate(parts, binding);
    const { slots, hashed } = locateAll(policy, [key]);
    if (!sameBytes(hashed[0], bytesOf(c.hashed[0]))) throw new Error(`pattern reasoning: ${latin1(key)} does not hash ${h.expr} under ${policy.name}`);
    warnings.push({ code: emptyTag ? 'empty-tag' : 'value-changes-hashed-part', message, hashing: h, example: example(binding, [key], slots) });
  }
  return { hashing: typical, warnings, sampled: false };
}

function symbolicGroup(keys: readonly (readonly PatternPart[])[], schema: Schema, policy: Policy, scan: Scanner, seed: number): Decision {
  const names = [...new Set(keys.flatMap((k) => namesOf(k)))];
  const space = new Space(names, schema);
  const toks = keys.map((k) => toTokens(k, space));
  const outcomes = enumerateCases(space, toks, scan).flatMap((c) => outcomesOf(space, c));
  const same = outcomes.find((o) => o.same);
  const different = outcomes.find((o) => !o.same);
  const rand = rng(seed);
  const kind = same && different ? 'depends' : same ? 'always' : 'never';
  const verdict: GroupVerdict = {
    verdict: kind,
    exact: kind !== 'never' || outcomes.every((o) => o.exact),
    sampled: false,
    reason: '',
  };
  const witnesses: Witnesses = {};
  if (same) [verdict.same, witnesses.same] = concrete(space, keys, policy, same, rand);
  if (different) [verdict.different, witnesses.different] = concrete(space, keys, policy, different, rand);
  const exception = kind === 'depends' ? exceptionOf(outcomes) : undefined;
  verdict.reason = reasonOf(space, verdict, outcomes, same, different, exception);
  if (verdict.verdict === 'always') checkAlways(keys, names, schema, policy, seed);
  return { verdict, witnesses, ...(exception ? { exception } : {}) };
}

/**
 * What a "depends" verdict states: the usual outcome (that of the case that assumes nothing: no value
 * holds a special byte, none is empty), and every case of the other outcome as the conjunction of its conditions. The cases
 * cover all values, and each conjunction holds for every value of its case, so the list is complete:
 * a value outside it always gives the usual outcome. Null when some such case has no condition to say.
 */
function exceptionOf(outcomes: Outcome[]): Exception | undefined {
  // The usual outcome is the one of a case that assumes nothing; failing that, "different slots, except when".
  const plain = outcomes.find((o) => o.conditions.length === 0);
  const first = plain ? (plain.same ? 'same' : 'different') : 'different';
  for (const usual of [first, first === 'same' ? 'different' : 'same'] as const) {
    const other = outcomes.filter((o) => (o.same ? 'same' : 'different') !== usual);
    if (other.every((o) => o.conditions.length > 0)) return { usual, when: other.map((o) => o.conditions) };
  }
  return undefined;
}

/** An example for an outcome, checked on the real policy; a chance collision is redrawn. */
function concrete(space: Space, keys: readonly (readonly PatternPart[])[], policy: Policy, o: Outcome, rand: () => number): [Example, Binding] {
  for (let attempt = 0; attempt < 32; attempt++) {
    const { binding } = materialize(space, o.subst, rand, o.lengths);
    const built = keys.map((k) => instantiate(k, binding));
    const { slots } = locateAll(policy, built);
    if ((new Set(slots).size === 1) === o.same) return [example(binding, built, slots), binding];
    if (o.same) throw new Error(`pattern reasoning: ${built.map((k) => latin1(k)).join(' / ')} were expected in one slot under ${policy.name}`);
  }
  throw new Error(`pattern reasoning: could not find values that separate the keys under ${policy.name}`);
}

/** A second line of defence for the verdict that matters most: edge values must not contradict "always". */
function checkAlways(keys: readonly (readonly PatternPart[])[], names: string[], schema: Schema, policy: Policy, seed: number): void {
  for (const b of sampleBindings(names, schema, { count: 48, seed, adversarial: 0.75 })) {
    const built = keys.map((k) => instantiate(k, b));
    if (new Set(locateAll(policy, built).slots).size !== 1) {
      throw new Error(`pattern reasoning: "always" contradicted by ${built.map((k) => JSON.stringify(latin1(k))).join(', ')} under ${policy.name}`);
    }
  }
}

function reasonOf(space: Space, v: GroupVerdict, outcomes: Outcome[], same?: Outcome, different?: Outcome, exception?: Exception): string {
  const exprs = (o: Outcome) => [...new Set(o.hashed.map((h, i) => hashedText({ expr: render(space, h), kind: o.kinds[i] })))];
  if (v.verdict === 'always') {
    if (same!.hashed.length === 1) return 'a single key';
    const e = exprs(same!);
    const every = outcomes.length > 1 ? ' in every case' : '';
    return e.length === 1 ? `all hash ${e[0]}${every}` : `their hashed parts (${e.join(' / ')}) give one slot for every value${every}`;
  }
  if (v.verdict === 'never') {
    const e = exprs(different!).join(' vs ');
    return v.exact ? `they hash ${e}: different slots for every value` : `they hash ${e}: one slot only by chance (1 in 16384)`;
  }
  if (!exception) return 'depends on the values';
  // Every case of the other outcome, so the exceptions are complete.
  // A case whose conditions include all of another's says nothing more.
  const sets = exception.when.map((c) => new Set(c.map((x) => conditionText([x]))));
  const kept = exception.when.filter((_, i) => !sets.some((d, j) => j !== i && [...d].every((t) => sets[i].has(t)) && (d.size < sets[i].size || j < i)));
  const when = [...new Set(kept.map((c) => conditionText(c)))].join(', or ');
  if (exception.usual === 'same') return `one slot, except when ${when} (then ${exprs(different!).join(' vs ')})`;
  return `different slots (${exprs(different!).join(' vs ')}), except when ${when}`;
}
