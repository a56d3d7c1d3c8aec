import { relate } from './crc-relation.ts';
import type { HashKind, Scanner } from './scan.ts';
import { extend, resolve, type Condition, type Space, type Subst, type Tok } from './symbolic.ts';

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
 * equal, that value is split into cases first (`<r:eu|us>` vs `<q:eu|us>`: same when r = q).
 */
export function outcomesOf(space: Space, c: SymCase): Outcome[] {
  const out: Outcome[] = [];
  let work = 0;
  const visit = (subst: Subst, conditions: Condition[]) => {
    if (++work > CASE_LIMIT) throw new TooComplex();
    const hashed = c.hashed.map((h) => resolve(h, subst));
    const base = { subst, conditions, kinds: c.kinds, hashed };
    const rels = hashed.slice(1).map((h) => relate(space, hashed[0], h));
    if (rels.some((r) => r.kind === 'different' && r.exact)) {
      out.push({ ...base, same: false, exact: true });
      return;
    }
    if (rels.some((r) => r.kind === 'chance')) {
      const v = refinement(space, rels.flatMap((r) => (r.kind === 'chance' ? r.vars : [])));
      if (v === undefined) {
        out.push({ ...base, same: false, exact: false });
        return;
      }
      for (const b of space.expandFinite(v) ?? space.splitEmpty(v)) visit(extend(subst, b), [...conditions, ...b.conditions]);
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
    // Some keys share a slot only for particular lengths: one such assignment, and the rest.
    const lengthRels = rels.flatMap((r) => (r.kind === 'lengths' ? [r] : []));
    const together = lengthRels.flatMap((r) => r.collisions).find((l) => lengthRels.every((r) => !r.differs(l)));
    if (together) out.push({ ...base, same: true, exact: true, lengths: together, conditions: [...conditions, ...lengthConditions(space, together)] });
    out.push({ ...base, same: false, exact: false });
  };
  visit(c.subst, c.conditions);
  return out;
}

/**
 * The value worth splitting when expressions differ by chance, or none. Only values that did not
 * cancel decide; of those, a small domain or a possibly empty value can make them equal. A value whose
 * length varies goes first: it moves what follows it and can let other terms cancel. A value of fixed
 * length cannot, so expanding one (256 cases for hex2) is pointless while a value with infinitely many
 * non-empty values still differs.
 */
function refinement(space: Space, deciding: number[]): number | undefined {
  const expandable = deciding.filter((x) => space.expandFinite(x) !== null || !space.vars[x].nonEmpty);
  const shifting = expandable.filter((x) => !space.vars[x].nonEmpty || (space.lengths(x)?.length ?? 2) > 1);
  const stuck = deciding.some((x) => !expandable.includes(x));
  return shifting[0] ?? (stuck ? undefined : expandable[0]);
}

function lengthConditions(space: Space, lengths: ReadonlyMap<number, number>): Condition[] {
  return [...lengths].map(([v, n]) => {
    const d = space.vars[v];
    return { name: d.name, text: d.piece ? `has a part of ${n} bytes` : `is ${n} bytes long` };
  });
}
