import { relate, solveLengths } from './crc-relation.ts';
import type { HashKind, Scanner } from './scan.ts';
import { extend, resolve, type Branch, type Condition, type Space, type Subst, type Tok } from './symbolic.ts';
import { acceptsValue, commonType, finiteCount, sameType, specialsIn } from '../language/types.ts';
import { display } from '../../input/quote.ts';
import { renderParts } from './model.ts';

/** Reasoning would need more cases than this: the caller decides by sampling instead. */
export class TooComplex extends Error {
  constructor() {
    super('too many cases to reason about exactly');
  }
}

const CASE_LIMIT = 4000;

/** One case of a set of keys: what each key hashes, and what the case assumes about the values. */
export interface SymCase {
  subst: Subst;
  /** Per key, the hashed bytes as tokens (resolved under subst). */
  hashed: Tok[][];
  kinds: HashKind[];
  conditions: Condition[];
}

/**
 * Every case of what the keys hash, covering all values exactly once. The first case is the usual one
 * (no placeholder holds a brace or line feed, none is empty): splits list that branch first.
 */
export function enumerateCases(space: Space, keys: readonly (readonly Tok[])[], scan: Scanner): SymCase[] {
  const out: SymCase[] = [];
  let work = 0;
  const visit = (subst: Subst, conditions: Condition[]) => {
    if (++work > CASE_LIMIT) throw new TooComplex();
    const hashed: Tok[][] = [];
    const kinds: HashKind[] = [];
    for (const key of keys) {
      const r = scan(space, resolve(key, subst));
      if ('branches' in r) {
        for (const b of r.branches) visit(extend(subst, b), [...conditions, ...b.conditions]);
        return;
      }
      hashed.push(r.hashed);
      kinds.push(r.kind);
    }
    out.push({ subst, hashed, kinds, conditions });
  };
  visit(new Map(), []);
  return out;
}

/** Whether the keys of a case share a slot: for every value of the case, or for none (`exact`), or by chance. */
export interface Outcome {
  same: boolean;
  /** For different slots: for every value of the case (true), or except by chance (false). */
  exact: boolean;
  subst: Subst;
  /** Lengths of variables the outcome needs ("every <uid> of 7 bytes"). */
  lengths?: ReadonlyMap<number, number>;
  conditions: Condition[];
  kinds: HashKind[];
  hashed: Tok[][];
}

/**
 * Decides a case: identical hashed expressions share a slot; otherwise the CRC relation decides, and
 * where it says "chance" while a small domain or a possibly empty value could make the expressions
 * equal, that value is split into cases first (`<r:eu|us>` vs `<q:eu|us>`: same when r = q). Two
 * values of one larger finite type (`<a:hex2>` vs `<b:hex2>`) are split into "equal" and "not equal"
 * instead of 256 × 256 cases. Lengths that several keys' differences depend on are solved together,
 * so a same-slot outcome holds for every key at once.
 */
export function outcomesOf(space: Space, c: SymCase): Outcome[] {
  const out: Outcome[] = [];
  let work = 0;
  const visit = (subst: Subst, conditions: Condition[], apart: ReadonlySet<number>) => {
    if (++work > CASE_LIMIT) throw new TooComplex();
    const hashed = c.hashed.map((h) => resolve(h, subst));
    const base = { subst, conditions, kinds: c.kinds, hashed };
    const rels = hashed.slice(1).map((h) => relate(space, hashed[0], h));
    if (rels.some((r) => r.kind === 'different' && r.exact)) {
      out.push({ ...base, same: false, exact: true });
      return;
    }
    if (rels.some((r) => r.kind === 'chance')) {
      const step = refinement(
        space,
        rels.flatMap((r) => (r.kind === 'chance' ? r.vars : [])),
        apart,
      );
      if (step === undefined) {
        // Values that make the hashed texts identical are a real case, not chance, whenever the value
        // sets meet: <uid:int> and <sku:word> are both "9"; <ip> is "emails", the other key's constant.
        const u = hashed.slice(1).reduce<Unification | null>((found, h) => found ?? unify(space, hashed[0], h, apart), null);
        if (u) {
          visit(extend(subst, { bind: u.bind, conditions: [] }), [...conditions, ...u.conditions], apart);
          visit(subst, conditions, new Set([...apart, ...u.vars]));
          return;
        }
        out.push({ ...base, same: false, exact: false });
        return;
      }
      if ('equal' in step) {
        const [x, y] = step.equal;
        const [nx, ny] = [space.vars[x].name, space.vars[y].name];
        // Equal values: one value both types accept, drawn from what they share.
        const both = space.common(x, y);
        const bind: Branch['bind'] =
          both === x
            ? [[y, [{ v: x }]]]
            : [
                [x, [{ v: both }]],
                [y, [{ v: both }]],
              ];
        visit(extend(subst, { bind, conditions: [] }), [...conditions, { name: ny, text: `is the same as <${nx}>`, spec: { op: 'same', other: nx } }], apart);
        visit(subst, [...conditions, { name: ny, text: `is not <${nx}>`, spec: { op: 'not-same', other: nx } }], new Set([...apart, x, y]));
        return;
      }
      const branches: Branch[] = space.expandFinite(step.expand) ?? space.splitEmpty(step.expand);
      for (const b of branches) visit(extend(subst, b), [...conditions, ...b.conditions], apart);
      return;
    }
    if (rels.every((r) => r.kind === 'same')) {
      out.push({ ...base, same: true, exact: true });
      return;
    }
    if (rels.some((r) => r.kind === 'different')) {
      out.push({ ...base, same: false, exact: false });
      return;
    }
    // The rest share a slot only for particular lengths: solved over every relation at once.
    const solution = solveLengths(
      space,
      rels.flatMap((r) => (r.kind === 'lengths' ? [r.diff] : [])),
    );
    if (solution.kind === 'complex') throw new TooComplex();
    if (solution.kind === 'none') out.push({ ...base, same: false, exact: solution.exact });
    else if (solution.kind === 'all') out.push({ ...base, same: true, exact: true });
    else {
      out.push({ ...base, same: true, exact: true, lengths: solution.hit, conditions: [...conditions, solution.condition] });
      out.push({ ...base, same: false, exact: false, ...(solution.miss ? { lengths: solution.miss } : {}) });
    }
  };
  visit(c.subst, c.conditions, new Set());
  return out;
}

/** Expanding two values of a finite type into more cases than this: split on their equality instead. */
const EQUALITY_SPLIT = 512;

/**
 * The value worth splitting when expressions differ by chance, or none. Only values that did not
 * cancel decide; of those, a small domain or a possibly empty value can make them equal. A value whose
 * length varies goes first: it moves what follows it and can let other terms cancel. A value of fixed
 * length cannot, so expanding one (256 cases for hex2) is pointless while a value with infinitely many
 * non-empty values still differs. Two values of one finite type with many values are split on
 * "equal or not" instead; `apart` holds values already known to differ, which are not expanded again.
 */
function refinement(space: Space, deciding: number[], apart: ReadonlySet<number>): { expand: number } | { equal: [number, number] } | undefined {
  const size = (x: number) => (space.vars[x].type ? finiteCount(space.vars[x].type!) : 0);
  const expandable = deciding.filter((x) => !apart.has(x) && (size(x) > 0 || !space.vars[x].nonEmpty));
  const shifting = expandable.filter((x) => !space.vars[x].nonEmpty || (space.lengths(x)?.length ?? 2) > 1);
  if (shifting.length) return { expand: shifting[0] };
  const stuck = deciding.some((x) => !expandable.includes(x));
  const unique = [...new Set(expandable)];
  for (const x of unique) {
    for (const y of unique) {
      const [tx, ty] = [space.vars[x].type, space.vars[y].type];
      if (x < y && tx && ty && sameType(tx, ty) && size(x) * size(y) > EQUALITY_SPLIT) return { equal: [x, y] };
    }
  }
  return stuck ? undefined : expandable.length ? { expand: expandable[0] } : undefined;
}

interface Unification {
  bind: Branch['bind'];
  conditions: Condition[];
  vars: number[];
}

/**
 * Values that make two hashed texts the same bytes, when there are any: after their common beginning
 * and end, one placeholder against a constant its type accepts, or placeholders against placeholders
 * between the same constants, each pair able to hold one value. Null when the texts cannot be aligned
 * that simply (they then differ "by chance"), or a placeholder involved was already set apart.
 */
function unify(space: Space, a: readonly Tok[], b: readonly Tok[], apart: ReadonlySet<number>): Unification | null {
  const units = (toks: readonly Tok[]) => toks.flatMap((t) => ('v' in t ? [t.v] : Array.from(t.lit, (byte) => ~byte)));
  // Variables as their index, literal bytes as ~byte (negative).
  let x = units(a);
  let y = units(b);
  const start = x.length;
  while (x.length && y.length && x[0] === y[0]) [x, y] = [x.slice(1), y.slice(1)];
  // At the very start of both texts, NUL bytes in front of a value change no CRC (it starts from 0).
  const atStart = x.length === start;
  const mayHoldZeros = (v: number) => atStart && (space.vars[v].type === null || space.vars[v].type!.kind === 'str');
  const afterZeros = (v: number) => (mayHoldZeros(v) ? ' (after any NUL bytes)' : '');
  while (x.length && y.length && x[x.length - 1] === y[y.length - 1]) [x, y] = [x.slice(0, -1), y.slice(0, -1)];
  const isVar = (u: number) => u >= 0;
  // A piece of a value is named as such, and only the text says what it assumes (no spec to test).
  const named = (v: number) => (space.vars[v].piece ? `<part of ${space.vars[v].name}>` : `<${space.vars[v].name}>`);
  const say = (v: number, text: string, spec: Condition['spec']): Condition =>
    space.vars[v].piece ? { name: '', text: `${named(v)} ${text}` } : { name: space.vars[v].name, text, spec };
  const bind: Branch['bind'] = [];
  const conditions: Condition[] = [];
  const vars: number[] = [];
  const constant = (v: number, other: number[]): boolean => {
    if (!other.every((u) => u < 0)) return false;
    let value = Uint8Array.from(other, (u) => ~u);
    const d = space.vars[v];
    // A value that must not be empty can still hash like one: a NUL byte in front changes no CRC.
    const padded = value.length === 0 && d.nonEmpty && mayHoldZeros(v);
    if (padded) value = Uint8Array.of(0);
    const ok = d.type ? acceptsValue(d.type, value) : (specialsIn(value) & ~d.specials) === 0 && (value.length > 0 || !d.nonEmpty);
    if (!ok) return false;
    bind.push([v, value.length ? [{ lit: value }] : []]);
    if (padded) value = new Uint8Array();
    conditions.push(
      value.length === 0 && mayHoldZeros(v)
        ? say(v, 'is empty or only NUL bytes', { op: 'is', value, zeros: true })
        : say(v, `is ${display(value)}${afterZeros(v)}`, { op: 'is', value, zeros: mayHoldZeros(v) }),
    );
    vars.push(v);
    return true;
  };
  if (x.length === 1 && isVar(x[0]) && !apart.has(x[0]) && constant(x[0], y)) return { bind, conditions, vars };
  if (y.length === 1 && isVar(y[0]) && !apart.has(y[0]) && constant(y[0], x)) return { bind, conditions, vars };
  // Free text can be the other key's whole hashed text, placeholders and all: <q> is "user:<uid>:x".
  const text = (v: number, other: number[]): boolean => {
    const d = space.vars[v];
    if ((d.type && d.type.kind !== 'str') || other.includes(v) || other.some((u) => u >= 0 && apart.has(u))) return false;
    const lits = other.filter((u) => u < 0).map((u) => ~u);
    const inner = other.filter((u) => u >= 0);
    if (lits.some((byte) => (specialsIn(Uint8Array.of(byte)) & ~d.specials) !== 0)) return false;
    if (inner.some((u) => (space.vars[u].specials & ~d.specials) !== 0)) return false;
    const toks: Tok[] = other.map((u) => (u < 0 ? { lit: Uint8Array.of(~u) } : { v: u }));
    bind.push([v, toks]);
    const shown = toks.map((t) => ('v' in t ? { name: space.vars[t.v].name, piece: space.vars[t.v].piece } : t));
    conditions.push(say(v, `is ${renderParts(shown)}${afterZeros(v)}`, undefined));
    vars.push(v);
    return true;
  };
  if (x.length === 1 && isVar(x[0]) && !apart.has(x[0]) && y.length > 0 && text(x[0], y)) return { bind, conditions, vars };
  if (y.length === 1 && isVar(y[0]) && !apart.has(y[0]) && x.length > 0 && text(y[0], x)) return { bind, conditions, vars };
  // The same shape: placeholders pairwise between equal constants.
  if (x.length !== y.length || x.length === 0) return null;
  for (let i = 0; i < x.length; i++) {
    if (x[i] < 0 || y[i] < 0) {
      if (x[i] !== y[i]) return null;
      continue;
    }
    if (x[i] === y[i]) continue;
    const [u, w] = [x[i], y[i]];
    if (!isVar(u) || !isVar(w) || apart.has(u) || apart.has(w) || commonType(space.vars[u].type, space.vars[w].type) === null) return null;
    const both = space.common(u, w);
    if (both === u) bind.push([w, [{ v: u }]]);
    else bind.push([u, [{ v: both }]], [w, [{ v: both }]]);
    conditions.push(
      say(
        w,
        `is the same as ${named(u)}${afterZeros(u) || afterZeros(w)}`,
        space.vars[u].piece ? undefined : { op: 'same', other: space.vars[u].name, zeros: mayHoldZeros(u) || mayHoldZeros(w) },
      ),
    );
    vars.push(u, w);
  }
  return vars.length ? { bind, conditions, vars } : null;
}
