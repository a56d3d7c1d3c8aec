import { latin1 } from '../bytes.ts';
import { CRC_TABLES, crc16 } from '../slots/crc16.ts';
import type { Space, Tok } from './symbolic.ts';

/**
 * When two hashed expressions differ, do their slots? CRC16-XMODEM (init 0, no final xor) is linear
 * over GF(2): the CRC of a message is the XOR of the CRCs of its pieces, each followed by the zero
 * bytes that stand for what comes after it, and leading zeros change nothing. So a variable that sits
 * at the same distance from the end of both expressions adds the same term to both CRCs and cancels,
 * whatever its value; if every variable cancels, the slot difference is the XOR of the literal terms —
 * a function of the lengths of what follows them only. Then "same slot" is decided exactly: never,
 * always, or for particular lengths ("every <uid> of 7 bytes"). Otherwise it depends on the values in a
 * way no structure predicts: same slot only by chance, 1 in 16384.
 */
export type Relation =
  | { kind: 'same' }
  | { kind: 'different'; exact: boolean }
  /** `vars`: the variables whose values make the difference (they did not cancel). */
  | { kind: 'chance'; vars: number[] }
  | { kind: 'lengths'; collisions: Map<number, number>[]; differs(lengths: ReadonlyMap<number, number>): boolean };

/** Assignments of lengths tried at most, over the variables whose lengths matter. */
const LENGTH_BUDGET = 4096;
/**
 * Lengths tried per variable: values up to this long are what keys hold in practice. A collision at
 * a length beyond it (a 2 KB user id) is reported as what it is in practice: chance.
 */
const LENGTH_WINDOW = 128;
/** Fewer lengths per variable than this is too coarse to stand for "every length": say chance instead. */
const MIN_WINDOW = 8;
const MASK = 0x3fff;
const G0 = CRC_TABLES[0];

/** CRC of the bytes whose CRC is `crc`, followed by `n` zero bytes. */
function shift(crc: number, n: number): number {
  for (let i = 0; i < n; i++) crc = ((crc << 8) & 0xffff) ^ G0[crc >> 8];
  return crc;
}

/** One token and what follows it: a constant number of bytes plus the lengths of some variables. */
interface Term {
  tok: Tok;
  after: number;
  /** Variables of varying length after the token, sorted, with repeats. */
  vars: number[];
}

function terms(space: Space, toks: readonly Tok[]): Term[] {
  const out: Term[] = [];
  let after = 0;
  const vars: number[] = [];
  for (let i = toks.length - 1; i >= 0; i--) {
    const tok = toks[i];
    out.push({ tok, after, vars: [...vars].sort((a, b) => a - b) });
    if ('lit' in tok) after += tok.lit.length;
    else {
      const lengths = space.lengths(tok.v);
      if (lengths && lengths.length === 1) after += lengths[0];
      else vars.push(tok.v);
    }
  }
  return out;
}

const termKey = (t: Term) => ('v' in t.tok ? `v${t.tok.v}` : `l${latin1(t.tok.lit)}`) + `|${t.after}|${t.vars.join(',')}`;

/** How the slots of two resolved expressions relate, for every value of their variables. */
export function relate(space: Space, a: readonly Tok[], b: readonly Tok[]): Relation {
  // Identical terms on both sides cancel (XOR); a variable term left over makes the difference value-dependent.
  const odd = new Map<string, Term>();
  for (const t of [...terms(space, a), ...terms(space, b)]) {
    const key = termKey(t);
    if (odd.has(key)) odd.delete(key);
    else odd.set(key, t);
  }
  const left = [...odd.values()];
  if (left.length === 0) return { kind: 'same' };
  const uncancelled = left.flatMap((t) => ('v' in t.tok ? [t.tok.v] : []));
  if (uncancelled.length) return { kind: 'chance', vars: [...new Set(uncancelled)] };
  const lits = left.map((t) => ({ crc: crc16((t.tok as { lit: Uint8Array }).lit), after: t.after, vars: t.vars }));
  const free = [...new Set(lits.flatMap((t) => t.vars))];
  const diff = (lengths: ReadonlyMap<number, number>) =>
    lits.reduce((d, t) => d ^ shift(t.crc, t.after + t.vars.reduce((n, v) => n + (lengths.get(v) ?? space.minLength(v)), 0)), 0) & MASK;
  if (free.length === 0) return diff(new Map()) === 0 ? { kind: 'same' } : { kind: 'different', exact: true };

  // Lengths to try: each variable's few lengths, or a window from its shortest length up.
  const listed = free.map((v) => space.lengths(v));
  const fixedProduct = listed.reduce((n, l) => n * (l ? l.length : 1), 1);
  const open = listed.filter((l) => l === null).length;
  const window = open === 0 ? 1 : Math.min(LENGTH_WINDOW, Math.floor((LENGTH_BUDGET / fixedProduct) ** (1 / open)));
  if (open > 0 && window < MIN_WINDOW) return { kind: 'chance', vars: free };
  const domains = free.map((v, i) => listed[i] ?? Array.from({ length: window }, (_, k) => space.minLength(v) + k));
  // Walk every assignment, shifting each term's CRC by the bytes a step adds instead of recomputing it.
  const uses = lits.map((t) => free.map((v) => t.vars.filter((u) => u === v).length));
  const start = lits.map((t, k) => shift(t.crc, t.after + free.reduce((n, _, i) => n + uses[k][i] * domains[i][0], 0)));
  const collisions: Map<number, number>[] = [];
  let tried = 0;
  let hits = 0;
  const assignment = new Map<number, number>();
  const walk = (i: number, crcs: number[]) => {
    if (i === free.length) {
      tried++;
      if ((crcs.reduce((d, c) => d ^ c, 0) & MASK) !== 0) return;
      hits++;
      if (collisions.length < 16) collisions.push(new Map(assignment));
      return;
    }
    let prev = domains[i][0];
    let current = crcs;
    for (const n of domains[i]) {
      if (n !== prev) current = current.map((c, k) => (uses[k][i] ? shift(c, uses[k][i] * (n - prev)) : c));
      prev = n;
      assignment.set(free[i], n);
      walk(i + 1, current);
    }
  };
  walk(0, start);
  if (hits === 0) return { kind: 'different', exact: open === 0 };
  if (hits === tried && open === 0) return { kind: 'same' };
  return { kind: 'lengths', collisions, differs: (lengths) => diff(lengths) !== 0 };
}
