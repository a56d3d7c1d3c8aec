import { latin1 } from '../../bytes.ts';
import { CRC_TABLES, crc16 } from '../../slots/crc16.ts';
import type { Condition, Space, Tok } from './symbolic.ts';
import { maxOf } from '../../arrays.ts';

const minOf = (values: readonly number[]) => -maxOf(values.map((v) => -v));

/**
 * When two hashed expressions differ, do their slots? CRC16-XMODEM (init 0, no final xor) is linear
 * over GF(2): the CRC of a message is the XOR of the CRCs of its pieces, each followed by the zero
 * bytes that stand for what comes after it, and leading zeros change nothing. So a variable that sits
 * at the same distance from the end of both expressions adds the same term to both CRCs and cancels,
 * whatever its value. If every variable cancels, the XOR of the two CRCs is a sum of literal terms,
 * each shifted by the bytes after it: a constant plus the lengths of the variables after it. Terms
 * shifted by the same lengths are added up first (`user:` and `zrem:` have one CRC, so before the same
 * `<uid>` they cancel: one slot, always), and what is left is a function of lengths alone, solved
 * exactly (solveLengths): never, always, or for particular lengths ("every <uid> of 7 bytes").
 * Otherwise it depends on the values in a way no structure predicts: same slot only by chance.
 */
export type Relation =
  | { kind: 'same' }
  | { kind: 'different'; exact: boolean }
  /** `vars`: the variables whose values make the difference (they did not cancel). */
  | { kind: 'chance'; vars: number[] }
  /** The CRCs differ by a non-constant function of lengths: see solveLengths. */
  | { kind: 'lengths'; diff: LengthDiff };

/**
 * The XOR of two CRCs as a function of variable lengths: `constant` XOR, for every group,
 * shift(crc, Σ coefficient × length) — `form` maps a variable to its coefficient (how often it lies
 * after the group's literals). Forms are distinct, non-empty, and every crc is non-zero.
 */
export interface LengthDiff {
  constant: number;
  groups: { crc: number; form: Map<number, number> }[];
}

/**
 * Lengths tried per variable of open-ended length: values up to this long are what keys hold in
 * practice. A collision only at a length beyond it (a 2 KB user id) is reported as what it is in
 * practice: chance.
 */
export const LENGTH_WINDOW = 128;
/** Assignments tried at most (the last group of lengths is solved, not tried: see solveLengths). */
const SEARCH_BUDGET = 1 << 20;
/** Hit combinations kept to describe the condition. */
const HITS_KEPT = 64;
const MASK = 0x3fff;
/** Values whose low 14 bits are zero: a CRC difference of one of these is one slot. */
const NULL = [0, 0x4000, 0x8000, 0xc000];
const G0 = CRC_TABLES[0];

/**
 * Shifting a CRC by one zero byte is a permutation of the 65536 values (multiplication by x^8 modulo
 * the generator, which is invertible): two cycles of 32767 values and two fixed points (0 and 0xf01f).
 * Laying the cycles out makes shift(c, n) one lookup, and solving shift(y, n) = z for n a subtraction.
 */
interface Cycles {
  order: Uint16Array;
  /** Per value: its cycle's start in `order`, the cycle's length, and its position in it. */
  start: Int32Array;
  length: Int32Array;
  pos: Int32Array;
}
let cycles: Cycles | null = null;

function cycleTables(): Cycles {
  if (cycles) return cycles;
  const order = new Uint16Array(65536);
  const start = new Int32Array(65536).fill(-1);
  const length = new Int32Array(65536);
  const pos = new Int32Array(65536);
  let next = 0;
  for (let s = 0; s < 65536; s++) {
    if (start[s] >= 0) continue;
    const from = next;
    let c = s;
    do {
      start[c] = from;
      pos[c] = next - from;
      order[next++] = c;
      c = ((c << 8) & 0xffff) ^ G0[c >> 8];
    } while (c !== s);
    for (let k = from; k < next; k++) length[order[k]] = next - from;
  }
  cycles = { order, start, length, pos };
  return cycles;
}

/** CRC of the bytes whose CRC is `crc`, followed by `n` zero bytes (n ≥ 0). */
export function shift(crc: number, n: number): number {
  const t = cycleTables();
  const len = t.length[crc];
  return len === 1 ? crc : t.order[t.start[crc] + ((t.pos[crc] + n) % len)];
}

/** Every n ≥ 0, as residues modulo the cycle length, with shift(y, n) = z; null when any n will do. */
function shiftsBetween(y: number, z: number): { residues: number[]; period: number } | null {
  const t = cycleTables();
  if (t.length[y] === 1) return y === z ? null : { residues: [], period: 1 };
  if (t.start[y] !== t.start[z]) return { residues: [], period: t.length[y] };
  const period = t.length[y];
  return { residues: [(t.pos[z] - t.pos[y] + period) % period], period };
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
  // Literal terms shifted by the same variable lengths add up: shift(x, n) ^ shift(y, n) = shift(x ^ y, n).
  // The constant part of each shift is applied at once; a fixed point of shifting is a constant term.
  let constant = 0;
  const byForm = new Map<string, { crc: number; vars: number[] }>();
  for (const t of left) {
    const crc = shift(crc16((t.tok as { lit: Uint8Array }).lit), t.after);
    if (t.vars.length === 0 || cycleTables().length[crc] === 1) {
      constant ^= crc;
      continue;
    }
    const key = t.vars.join(',');
    const g = byForm.get(key) ?? { crc: 0, vars: t.vars };
    g.crc ^= crc;
    byForm.set(key, g);
  }
  const groups: LengthDiff['groups'] = [];
  for (const g of byForm.values()) {
    if (cycleTables().length[g.crc] === 1) {
      constant ^= g.crc;
      continue;
    }
    const form = new Map<number, number>();
    for (const v of g.vars) form.set(v, (form.get(v) ?? 0) + 1);
    groups.push({ crc: g.crc, form });
  }
  if (groups.length === 0) return (constant & MASK) === 0 ? { kind: 'same' } : { kind: 'different', exact: true };
  const diff = { constant, groups };
  // Variables with a few lengths each (enumerations): every combination is tried at once, so that a
  // difference for all of them decides the case before anything else is split.
  if (groups.every((g) => [...g.form.keys()].every((v) => space.lengths(v) !== null))) {
    const s = solveLengths(space, [diff]);
    if (s.kind === 'none') return { kind: 'different', exact: true };
    if (s.kind === 'all') return { kind: 'same' };
  }
  return { kind: 'lengths', diff };
}

/** What solveLengths found, within LENGTH_WINDOW bytes per open-ended value. */
export type LengthSolution =
  /** No lengths give one slot: for every length (exact) or for those up to the window. */
  | { kind: 'none'; exact: boolean }
  /** Every length gives one slot (only said when every variable has a few lengths, all tried). */
  | { kind: 'all' }
  /** Some lengths do: `hit` and `miss` are lengths of every variable involved, `condition` says which. */
  | { kind: 'some'; hit: Map<number, number>; miss?: Map<number, number>; condition: Condition; hits: number; tried: number }
  /** Too many combinations of lengths to try. */
  | { kind: 'complex' };

/** Variables whose lengths only ever count together (same coefficient in every group): one sum. */
interface LengthClass {
  vars: number[];
  /** Achievable sums, ascending, and membership. */
  sums: number[];
  has: Uint8Array;
  /** Per variable: its lengths; per prefix of vars: achievable sums (for splitting a sum back). */
  options: number[][];
  prefix: Uint8Array[];
  finite: boolean;
}

function lengthClass(space: Space, vars: number[]): LengthClass {
  const options = vars.map((v) => space.lengths(v) ?? Array.from({ length: LENGTH_WINDOW }, (_, k) => space.minLength(v) + k));
  const prefix: Uint8Array[] = [Uint8Array.of(1)];
  for (const opts of options) {
    const prev = prefix[prefix.length - 1];
    const next = new Uint8Array(prev.length + opts[opts.length - 1]);
    for (let s = 0; s < prev.length; s++) if (prev[s]) for (const l of opts) next[s + l] = 1;
    prefix.push(next);
  }
  const has = prefix[prefix.length - 1];
  const sums: number[] = [];
  has.forEach((x, s) => x && sums.push(s));
  return { vars, sums, has, options, prefix, finite: vars.every((v) => space.lengths(v) !== null) };
}

/** Lengths of a class's variables that add up to `sum`, as even as possible. */
function splitSum(c: LengthClass, sum: number, into: Map<number, number>): void {
  let rest = sum;
  for (let j = c.vars.length; j >= 1; j--) {
    const before = c.prefix[j - 1];
    const fits = c.options[j - 1].filter((l) => rest - l >= 0 && rest - l < before.length && before[rest - l]);
    const l = fits.reduce((best, x) => (Math.abs(x - rest / j) < Math.abs(best - rest / j) ? x : best), fits[0]);
    into.set(c.vars[j - 1], l);
    rest -= l;
  }
}

const inverse = (m: number, p: number): number | null => {
  // Extended Euclid: m × inverse ≡ 1 (mod p), or null when they share a factor.
  let [r0, r1, s0, s1] = [p, m % p, 0, 1];
  while (r1) {
    const q = Math.floor(r0 / r1);
    [r0, r1, s0, s1] = [r1, r0 - q * r1, s1, s0 - q * s1];
  }
  return r0 === 1 ? ((s0 % p) + p) % p : null;
};

/**
 * The lengths for which every difference is a slot's zero at once (several keys: all share the slot).
 * Variables that count only together are one class ("<a>+<b>"); every combination of class sums up to
 * LENGTH_WINDOW bytes per value is covered, however many variables: all classes but one are tried,
 * and for the last one the lengths that hit are solved for directly — shift(y, m·n) hits one of the
 * four slot-zero values only for n in a few residues modulo the cycle length (32767).
 */
export function solveLengths(space: Space, diffs: readonly LengthDiff[]): LengthSolution {
  // Classes: variables with the same coefficient in every group of every difference.
  const signature = new Map<number, string>();
  diffs.forEach((d, i) =>
    d.groups.forEach((g, j) => {
      for (const [v, m] of g.form) signature.set(v, `${signature.get(v) ?? ''}${i}.${j}:${m};`);
    }),
  );
  const bySignature = new Map<string, number[]>();
  for (const [v, s] of signature) bySignature.set(s, [...(bySignature.get(s) ?? []), v]);
  const classes = [...bySignature.values()].map((vars) =>
    lengthClass(
      space,
      vars.sort((a, b) => a - b),
    ),
  );
  const finite = classes.every((c) => c.finite);
  // The class solved for is the one with the most sums; the others are tried.
  classes.sort((a, b) => a.sums.length - b.sums.length);
  const last = classes[classes.length - 1];
  const outer = classes.slice(0, -1);
  const tries = outer.reduce((n, c) => n * c.sums.length, 1);
  if (tries > SEARCH_BUDGET) return { kind: 'complex' };
  const coef = (g: LengthDiff['groups'][number], c: LengthClass) => g.form.get(c.vars[0]) ?? 0;
  // Per difference: its groups with the last class's coefficient (the same for all of them, or
  // none can be solved for and the last class is tried too).
  const plans = diffs.map((d) => {
    const ms = new Set(d.groups.map((g) => coef(g, last)).filter((m) => m > 0));
    const m = ms.size === 1 ? [...ms][0] : 0;
    return { d, m, inv: m ? inverse(m, 32767) : null };
  });
  const solvable = plans.every((p) => p.m === 0 || p.inv !== null) && plans.every((p) => p.m > 0 || !p.d.groups.some((g) => coef(g, last) > 0));
  if (!solvable && tries * last.sums.length > SEARCH_BUDGET) return { kind: 'complex' };

  const values = new Array<number>(outer.length).fill(0);
  let tried = 0;
  let hits = 0;
  const kept: number[][] = [];
  let miss: number[] | null = null;
  const diffAt = (d: LengthDiff, sumOf: (c: LengthClass) => number) => {
    let x = d.constant;
    for (const g of d.groups)
      x ^= shift(
        g.crc,
        classes.reduce((n, c) => n + coef(g, c) * sumOf(c), 0),
      );
    return x;
  };
  const outerSum = (c: LengthClass) => (c === last ? 0 : values[outer.indexOf(c)]);
  // The last class's sums that make every difference hit, for the current outer sums.
  const lastHits = (): number[] => {
    if (!solvable) {
      return last.sums.filter((n) => diffs.every((d) => (diffAt(d, (c) => (c === last ? n : outerSum(c))) & MASK) === 0));
    }
    let allowed: Set<number> | null = null; // residues of n modulo 32767; null: any n
    for (const { d, m, inv } of plans) {
      // diff = shift(y, m·n) ^ z, with y and z from the outer sums.
      let y = 0;
      let z = d.constant;
      for (const g of d.groups) {
        const shifted = shift(
          g.crc,
          outer.reduce((n, c, k) => n + coef(g, c) * values[k], 0),
        );
        if (coef(g, last) > 0) y ^= shifted;
        else z ^= shifted;
      }
      if (m === 0 || y === 0 || cycleTables().length[y] === 1) {
        if ((z ^ y) & MASK) return [];
        continue;
      }
      const residues = new Set<number>();
      for (const target of NULL) {
        const s = shiftsBetween(y, z ^ target);
        for (const r of s?.residues ?? []) residues.add((r * inv!) % 32767);
      }
      const before: Set<number> | null = allowed;
      const now: Set<number> = before === null ? residues : new Set([...before].filter((r) => residues.has(r)));
      if (now.size === 0) return [];
      allowed = now;
    }
    const residues: Set<number> | null = allowed;
    if (residues === null) return last.sums;
    const out: number[] = [];
    const lo = last.sums[0];
    const hi = last.sums[last.sums.length - 1];
    for (const r of residues) for (let n = lo + ((r - (lo % 32767) + 32767) % 32767); n <= hi; n += 32767) if (last.has[n]) out.push(n);
    return out.sort((a, b) => a - b);
  };
  const visit = (k: number) => {
    if (k < outer.length) {
      for (const s of outer[k].sums) {
        values[k] = s;
        visit(k + 1);
      }
      return;
    }
    const found = lastHits();
    tried += last.sums.length;
    hits += found.length;
    for (const n of found) if (kept.length < HITS_KEPT) kept.push([...values, n]);
    if (!miss && found.length < last.sums.length) {
      const n = last.sums.find((x, i) => found[i] !== x)!;
      miss = [...values, n];
    }
  };
  visit(0);
  if (hits === 0) return { kind: 'none', exact: finite };
  if (hits === tried && finite) return { kind: 'all' };
  const lengthsOf = (sums: number[]) => {
    const m = new Map<number, number>();
    classes.forEach((c, i) => splitSum(c, sums[i], m));
    return m;
  };
  const solution: LengthSolution = {
    kind: 'some',
    hit: lengthsOf(kept[0]),
    condition: { name: '', text: describeHits(space, classes, kept, hits) },
    hits,
    tried,
  };
  if (miss) solution.miss = lengthsOf(miss);
  return solution;
}

const nameOf = (space: Space, v: number) => (space.vars[v].piece ? `<part of ${space.vars[v].name}>` : `<${space.vars[v].name}>`);
const bytes = (n: number) => `${n} byte${n === 1 ? '' : 's'} long`;
const orList = (items: string[]) => (items.length === 1 ? items[0] : `${items.slice(0, -1).join(', ')} or ${items[items.length - 1]}`);

/** "<uid> is 7 bytes long", "<a>+<b> together are 8 or 40 bytes long", "(<d>, <a>) are (1, 10) or (3, 5) bytes long". */
function describeHits(space: Space, classes: LengthClass[], kept: number[][], hits: number): string {
  // Name the classes in key order (variables are numbered in order of appearance).
  const order = classes.map((_, i) => i).sort((x, y) => minOf(classes[x].vars) - minOf(classes[y].vars));
  const label = (c: LengthClass) => c.vars.map((v) => nameOf(space, v)).join('+');
  const verb = (c: LengthClass) => (c.vars.length > 1 ? 'together are' : 'is');
  const shown = kept.slice(0, classes.length === 1 ? 6 : 4);
  const more = hits - shown.length;
  if (classes.length === 1) {
    const c = classes[0];
    const list = shown.length === 1 ? bytes(shown[0][0]) : `${orList(shown.map((h) => String(h[0])))} bytes long`;
    return `${label(c)} ${verb(c)} ${list}${more ? `, or one of ${more} other lengths` : ''}`;
  }
  if (hits === 1) return order.map((i) => `${label(classes[i])} ${verb(classes[i])} ${bytes(shown[0][i])}`).join(' and ');
  const tuples = shown.map((h) => `(${order.map((i) => h[i]).join(', ')})`);
  return `(${order.map((i) => label(classes[i])).join(', ')}) are ${orList(tuples)} bytes long${more ? `, or one of ${more} other combinations` : ''}`;
}
