import { display } from '../../input/quote.ts';
import { typeOf, type Schema } from '../language/schema.ts';
import {
  commonType,
  finiteValues,
  specialsIn,
  SP_CLOSE,
  SP_LF,
  SP_OPEN,
  typeLengths,
  typeMayBeEmpty,
  typeMinLength,
  typeSpecials,
  type PlaceholderType,
} from '../language/types.ts';

/**
 * Symbolic keys: a key is a list of tokens, literal bytes or a variable standing for a placeholder's
 * value (or a piece of one). Reasoning splits a variable only where the hashing rules look inside it —
 * "the first `}` of <s>" — into cases that together cover every value exactly, so no case is guessed.
 * A substitution records the splits; the same variable in several keys is one value, split once.
 */
export type Tok = { readonly lit: Uint8Array } | { readonly v: number };

export interface VarDef {
  /** The placeholder whose value (or a piece of it) this is. */
  name: string;
  /** A typed value, never split (clean types hold no special byte); null for arbitrary bytes (str, pieces). */
  type: PlaceholderType | null;
  /** Which of `{`, `}`, LF (SP_* bits) the value may contain. */
  specials: number;
  nonEmpty: boolean;
  /** A piece of a value cut at a special byte, rather than the whole value. */
  piece: boolean;
  /**
   * For a piece: the special byte right after it when it starts the value (`before`), or right before
   * it when it ends the value (`after`) — then "the piece is empty" means "the value starts (ends) with
   * that byte". Absent for a piece in the middle, whose emptiness says nothing that short.
   */
  edge?: { before?: number; after?: number };
}

/** What a case assumes about a value, for people: "<s> contains `}`". */
export interface Condition {
  /** The placeholder the text is about; empty when the text names its placeholders itself. */
  name: string;
  text: string;
  /**
   * The same as data, so a stated exception can be checked against values (tests do): a value of
   * the case always satisfies it. Absent where only the text says it (lengths).
   */
  spec?: ConditionSpec;
}

/**
 * `zeros`: NUL bytes in front do not count. CRC16 starts from 0, so leading NUL bytes leave it
 * unchanged: a hashed text that starts with a value matches it with any NUL bytes before.
 */
export type ConditionSpec =
  | { op: 'is'; value: Uint8Array; zeros?: boolean }
  | { op: 'empty' }
  | { op: 'contains' | 'starts' | 'ends'; byte: number }
  | { op: 'same' | 'not-same'; other: string; zeros?: boolean };

function withoutLeadingZeros(v: Uint8Array, zeros: boolean | undefined): Uint8Array {
  if (!zeros) return v;
  let i = 0;
  while (i < v.length && v[i] === 0) i++;
  return v.subarray(i);
}

/** Whether a placeholder's value satisfies a condition (other placeholders' values from `binding`). */
export function conditionHolds(spec: ConditionSpec, value: Uint8Array, binding: ReadonlyMap<string, Uint8Array>): boolean {
  switch (spec.op) {
    case 'is': {
      const [x, y] = [withoutLeadingZeros(value, spec.zeros), withoutLeadingZeros(spec.value, spec.zeros)];
      return x.length === y.length && x.every((b, i) => b === y[i]);
    }
    case 'empty':
      return value.length === 0;
    case 'contains':
      return value.includes(spec.byte);
    case 'starts':
      return value[0] === spec.byte;
    case 'ends':
      return value.length > 0 && value[value.length - 1] === spec.byte;
    case 'same':
    case 'not-same': {
      const other = binding.get(spec.other);
      const [x, y] = [withoutLeadingZeros(value, spec.zeros), other && withoutLeadingZeros(other, spec.zeros)];
      const same = !!y && y.length === x.length && y.every((b, i) => b === x[i]);
      return same === (spec.op === 'same');
    }
  }
}

/** One way a split can go: variables bound to token lists, and what that assumes. */
export interface Branch {
  bind: [number, Tok[]][];
  conditions: Condition[];
}

export type Subst = ReadonlyMap<number, readonly Tok[]>;

const SPECIAL_BYTES: [number, number, string][] = [
  [SP_OPEN, 0x7b, '`{`'],
  [SP_CLOSE, 0x7d, '`}`'],
  [SP_LF, 0x0a, 'a line feed'],
];

/** The variables of one reasoning run. */
export class Space {
  readonly vars: VarDef[] = [];
  /** The variable of each placeholder name. */
  readonly byName = new Map<string, number>();

  constructor(names: Iterable<string>, schema: Schema) {
    for (const name of names) {
      const t = typeOf(schema, name);
      const raw = t.kind === 'str';
      this.byName.set(name, this.add({ name, type: raw ? null : t, specials: typeSpecials(t), nonEmpty: !typeMayBeEmpty(t), piece: false }));
    }
  }

  add(def: VarDef): number {
    this.vars.push(def);
    return this.vars.length - 1;
  }

  /** Lengths a value can have: a short list, or null for "minLength and every length above". */
  lengths(v: number): number[] | null {
    const d = this.vars[v];
    return d.type ? typeLengths(d.type) : null;
  }

  minLength(v: number): number {
    const d = this.vars[v];
    return d.type ? typeMinLength(d.type) : d.nonEmpty ? 1 : 0;
  }

  /** Small typed domains (enumerations, hex1/hex2): one branch per value. */
  expandFinite(v: number): Branch[] | null {
    const d = this.vars[v];
    const values = d.type ? finiteValues(d.type) : null;
    if (!values) return null;
    return values.map((value) => ({
      bind: [[v, value.length ? [{ lit: value }] : []]],
      conditions: d.piece ? [] : [{ name: d.name, text: `is ${display(value)}`, spec: { op: 'is', value } }],
    }));
  }

  /**
   * Cases for where the first byte of `q` (SP_* bits) is in the value: nowhere (first: the usual
   * case), or at each special it may contain, as [before, byte, after] with `before` free of q.
   */
  splitFirst(v: number, q: number): Branch[] {
    return this.splitAt(v, q, true);
  }

  /** Like splitFirst, for the last byte of `q`: [before, byte, after] with `after` free of q. */
  splitLast(v: number, q: number): Branch[] {
    return this.splitAt(v, q, false);
  }

  /**
   * Splits an enumeration with values that hold special bytes or are empty: its ordinary values stay
   * one variable (the usual case, shown as `<r>`), every other value is its own case.
   */
  private splitEnum(v: number): Branch[] | null {
    const d = this.vars[v];
    if (d.type?.kind !== 'enum') return this.expandFinite(v);
    const usual = d.type.values.filter((x) => x.length > 0 && specialsIn(x) === 0);
    const branches: Branch[] = [];
    if (usual.length) {
      const type: PlaceholderType = { kind: 'enum', values: usual };
      branches.push({ bind: [[v, [{ v: this.add({ ...d, type, specials: 0, nonEmpty: true }) }]]], conditions: [] });
    }
    for (const x of d.type.values) {
      if (x.length > 0 && specialsIn(x) === 0) continue;
      branches.push({
        bind: [[v, x.length ? [{ lit: x }] : []]],
        conditions: [{ name: d.name, text: x.length ? `is ${display(x)}` : 'is empty', spec: { op: 'is', value: x } }],
      });
    }
    return branches;
  }

  /** Splits at the first (`first`) or last occurrence of a byte of `q`: the free piece is on that side of it. */
  private splitAt(v: number, q: number, first: boolean): Branch[] {
    const d = this.vars[v];
    const finite = d.type ? this.splitEnum(v) : null;
    if (finite) return finite;
    const branches: Branch[] = [{ bind: [[v, [{ v: this.add({ ...d, specials: d.specials & ~q }) }]]], conditions: [] }];
    // Where this value (or piece) sits in the whole value: a piece that starts it, or ends it, says so.
    const atStart = !d.piece || d.edge?.before !== undefined;
    const atEnd = !d.piece || d.edge?.after !== undefined;
    for (const [bit, byte, text] of SPECIAL_BYTES) {
      if (!(q & d.specials & bit)) continue;
      const piece = (specials: number, edge: VarDef['edge']) => this.add({ name: d.name, type: null, specials, nonEmpty: false, piece: true, edge });
      const before = piece(first ? d.specials & ~q : d.specials, atStart ? { before: byte } : undefined);
      const after = piece(first ? d.specials : d.specials & ~q, atEnd ? { after: byte } : undefined);
      // Only a whole value's "contains" is true of the value; a piece's is already implied.
      const conditions: Condition[] = d.piece ? [] : [{ name: d.name, text: `contains ${text}`, spec: { op: 'contains', byte } }];
      branches.push({ bind: [[v, [{ v: before }, { lit: Uint8Array.of(byte) }, { v: after }]]], conditions });
    }
    return branches;
  }

  /**
   * A variable for values both x and y can take: x itself when y's values include all of x's, else a
   * new one of their common type (see commonType; the caller knows they have one).
   */
  common(x: number, y: number): number {
    const [dx, dy] = [this.vars[x], this.vars[y]];
    const t = commonType(dx.type, dy.type);
    if (t === null) throw new Error('pattern reasoning: no common value');
    const type = t === 'any' ? null : t;
    if (type === dx.type) return x;
    const nonEmpty = dx.nonEmpty || dy.nonEmpty;
    return this.add({ name: dx.name, type, specials: type ? typeSpecials(type) : dx.specials & dy.specials, nonEmpty, piece: false });
  }

  /** Cases for a value that may be empty: non-empty (first), or empty. */
  splitEmpty(v: number): Branch[] {
    const d = this.vars[v];
    const finite = d.type ? this.splitEnum(v) : null;
    if (finite) return finite;
    return [
      { bind: [[v, [{ v: this.add({ ...d, nonEmpty: true }) }]]], conditions: [] },
      { bind: [[v, []]], conditions: this.emptyConditions(d) },
    ];
  }

  /** What "this value (or piece) is empty" says about the whole value. */
  private emptyConditions(d: VarDef): Condition[] {
    if (!d.piece) return [{ name: d.name, text: 'is empty', spec: { op: 'empty' } }];
    const said = (op: 'starts' | 'ends', byte: number): Condition => ({
      name: d.name,
      text: `${op === 'starts' ? 'starts' : 'ends'} with ${SPECIAL_BYTES.find(([, b]) => b === byte)![2]}`,
      spec: { op, byte },
    });
    if (d.edge?.before !== undefined) return [said('starts', d.edge.before)];
    if (d.edge?.after !== undefined) return [said('ends', d.edge.after)];
    return [];
  }
}

/** The substitution with a branch applied. */
export function extend(subst: Subst, branch: Branch): Map<number, readonly Tok[]> {
  const next = new Map(subst);
  for (const [v, toks] of branch.bind) next.set(v, toks);
  return next;
}

/** Tokens with every bound variable replaced, adjacent literals merged and empty ones dropped. */
export function resolve(toks: readonly Tok[], subst: Subst): Tok[] {
  const out: Tok[] = [];
  const push = (t: Tok) => {
    if ('v' in t) {
      const bound = subst.get(t.v);
      if (bound) for (const b of bound) push(b);
      else out.push(t);
      return;
    }
    if (t.lit.length === 0) return;
    const last = out[out.length - 1];
    if (last && 'lit' in last) {
      const merged = new Uint8Array(last.lit.length + t.lit.length);
      merged.set(last.lit);
      merged.set(t.lit, last.lit.length);
      out[out.length - 1] = { lit: merged };
    } else out.push(t);
  };
  for (const t of toks) push(t);
  return out;
}
