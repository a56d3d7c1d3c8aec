import { relate, solveLengths } from './crc-relation.ts';
import type { HashKind, Scanner } from './scan.ts';
import { extend, resolve, type Branch, type Condition, type Space, type Subst, type Tok } from './symbolic.ts';
import { finiteCount, sameType } from '../language/types.ts';

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
        out.push({ ...base, same: false, exact: false });
        return;
      }
      if ('equal' in step) {
        const [x, y] = step.equal;
        const [nx, ny] = [space.vars[x].name, space.vars[y].name];
        visit(extend(subst, { bind: [[y, [{ v: x }]]], conditions: [] }), [...conditions, { name: ny, text: `is the same as <${nx}>` }], apart);
        visit(subst, [...conditions, { name: ny, text: `is not <${nx}>` }], new Set([...apart, x, y]));
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
