import { canBeEmpty } from './program.ts';
import { CLASS_SETS, hasByte, invert, setOf, type ByteSet, type NewlineKind, type Node, type RepeatNode, type TypeName } from './ast.ts';

/**
 * PCRE's auto-possessification (pcre2_auto_possess.c, PCRE2 10.42; PCRE1 ≥ 8.34 does the same): after
 * compiling, PCRE makes a repeat of one character possessive when it judges that what follows can never
 * match a character the repeat would give back. Where that judgement is sound nothing changes; where it
 * is not — `.` against `\R` although both match CR, `\S` against `\h` although both match 0xA0 … — the
 * server's rule matches differently from the regex as written, and so must ours. So we lower the tree
 * to the opcodes PCRE compiles (the same copies of repeated groups, the same brackets) and run PCRE's
 * decision over them as PCRE does, item pairs and walk alike; the results are checked against
 * `pcre2test -B` (which prints `*+` for a possessified repeat) by the tests.
 *
 * Each emitted copy of a repeat gets its own decision in `node.auto` (a group repeated three times is
 * three copies in PCRE and in our program alike). `harmless` tells whether every possessification was
 * also sound for the actual byte sets: engines that cannot run possessive repeats (RE2) may then ignore them.
 */
export function autoPossessify(ast: Node, newline: NewlineKind): { harmless: boolean } {
  const lower = new Lowering();
  lower.code.push({ op: 'bra', sbra: false, next: 0 });
  lower.body(ast, true);
  lower.close(0, 'ket');
  lower.code.push({ op: 'end' });
  const code = lower.code;
  const faithful = { limit: 1000 };
  let harmless = true;
  const semantic: Judge = (a, b) => safe(a, b, newline);
  for (let at = 0; at < code.length; at++) {
    const c = code[at];
    if (c.op !== 'rep' || !c.candidate) continue;
    const base: Base = { item: c.item, greedy: c.greedy };
    const decision = compare(code, at + 1, base, pcreJudge, faithful);
    if (c.node && c.copy >= 0) (c.node.auto ??= [])[c.copy] = decision;
    if (decision && !compare(code, at + 1, base, semantic, { limit: 1000 })) harmless = false;
  }
  return { harmless };
}

/** One of PCRE's single-character opcodes, or a line assertion PCRE compares like one. */
type PItem =
  | { k: 'char' | 'not'; chars: number[] }
  | { k: 'type'; type: TypeName }
  | { k: 'class'; set: ByteSet }
  /** A property (`inClass`: a class holding one, PCRE's XCLASS). */
  | { k: 'prop'; comparable: boolean; inClass: boolean; set: ByteSet }
  | { k: 'anynl'; set: ByteSet }
  | { k: 'extuni' }
  | { k: 'doll' | 'dollm' | 'eod' | 'eodn' };

type Code =
  | { op: 'item'; item: PItem }
  /** A repeat of one character. `candidate`: PCRE considers it (STAR … MINUPTO, or a class repeat). */
  | { op: 'rep'; item: PItem; greedy: boolean; empty: boolean; candidate: boolean; node: RepeatNode | null; copy: number }
  | { op: 'bra'; sbra: boolean; next: number }
  | { op: 'alt'; next: number }
  | { op: 'ket'; kind: 'ket' | 'rmax' | 'rmin' }
  | { op: 'brazero' | 'skipzero' | 'other' }
  | { op: 'end' };

class Lowering {
  code: Code[] = [];
  private copies = new Map<RepeatNode, number>();

  /** `live`: code our program emits too (a group under {0} is compiled by PCRE, never run, never emitted by us). */
  body(n: Node, live: boolean): void {
    switch (n.t) {
      case 'empty':
        return;
      case 'seq':
        for (const item of n.items) this.body(item, live);
        return;
      case 'alt':
        // Only as a group's (or the rule's) body: branches of the bracket already open.
        n.alts.forEach((alt, k) => {
          if (k > 0) this.alt();
          this.body(alt, live);
        });
        return;
      case 'group':
        this.group(n.body, live, false, 'ket');
        return;
      case 'assert':
        this.code.push(
          n.kind === 'eos'
            ? { op: 'item', item: { k: 'eod' } }
            : n.kind === 'eosnl'
              ? { op: 'item', item: { k: 'eodn' } }
              : n.kind === 'meol'
                ? { op: 'item', item: { k: 'dollm' } }
                : { op: 'other' },
        );
        return;
      case 'set':
      case 'newline':
      case 'cluster':
        this.code.push({ op: 'item', item: itemOf(n) });
        return;
      case 'repeat':
        if (isSingle(n.body)) this.single(n, live);
        else this.groupRepeat(n, live);
        return;
    }
  }

  private alt(): void {
    this.code.push({ op: 'alt', next: 0 });
  }

  /** Patches the links of the bracket opened at `start`: each ALT and the BRA point to the next ALT or KET. */
  close(start: number, kind: 'ket' | 'rmax' | 'rmin'): void {
    let prev = start;
    for (let at = start + 1; at < this.code.length; at++) {
      const c = this.code[at];
      if (c.op === 'bra') at = this.skipBracket(at);
      else if (c.op === 'alt') {
        (this.code[prev] as { next: number }).next = at;
        prev = at;
      }
    }
    (this.code[prev] as { next: number }).next = this.code.length;
    this.code.push({ op: 'ket', kind });
  }

  private skipBracket(at: number): number {
    let c = this.code[at] as { next: number };
    while (this.code[c.next].op === 'alt') c = this.code[c.next] as { next: number };
    return c.next;
  }

  private group(body: Node, live: boolean, sbra: boolean, kind: 'ket' | 'rmax' | 'rmin'): void {
    const start = this.code.length;
    this.code.push({ op: 'bra', sbra, next: 0 });
    this.body(body, live);
    this.close(start, kind);
  }

  /** A repeated group, replicated as PCRE compiles it (pcre2_compile.c, "repeating a bracket"). */
  private groupRepeat(n: RepeatNode, live: boolean): void {
    const { min, max, greedy } = n;
    const body = n.body.t === 'group' ? n.body.body : n.body;
    const zero = () => this.code.push({ op: 'brazero' });
    if (max === 0) {
      this.code.push({ op: 'skipzero' });
      this.group(body, false, false, 'ket');
      return;
    }
    if (max === Infinity) {
      for (let k = 1; k < min; k++) this.group(body, live, false, 'ket');
      if (min === 0) zero();
      // A group that can match empty and loops is an SBRA (PCRE's "could be empty" is ours), which PCRE's walk never enters.
      this.group(body, live, canBeEmpty(body), greedy ? 'rmax' : 'rmin');
      return;
    }
    for (let k = 0; k < min; k++) this.group(body, live, false, 'ket');
    // The optional copies nest: BRAZERO BRA x BRAZERO BRA x KET KET.
    const opened: number[] = [];
    for (let k = min; k < max; k++) {
      zero();
      opened.push(this.code.length);
      this.code.push({ op: 'bra', sbra: false, next: 0 });
      this.body(body, live);
    }
    for (let k = opened.length - 1; k >= 0; k--) this.close(opened[k], 'ket');
  }

  /** A repeated character, type or class: PCRE's STAR/PLUS/QUERY/UPTO/EXACT forms or a class repeat. */
  private single(n: RepeatNode, live: boolean): void {
    const { min, max } = n;
    if (max === 0) return;
    const item = itemOf(n.body as SingleNode);
    const copy = live ? this.nextCopy(n) : -1;
    const lazy = !n.greedy;
    const rep = (greedy: boolean, empty: boolean) => this.code.push({ op: 'rep', item, greedy, empty, candidate: !n.possessive, node: n, copy });
    if (item.k === 'class' || (item.k === 'prop' && item.inClass)) {
      // One opcode: the class and its repeat (CRSTAR, CRRANGE …).
      if (min === 1 && max === 1) this.code.push({ op: 'item', item });
      else rep(!lazy, min === 0);
      return;
    }
    if (min === max) {
      // x or x{n} (EXACT): nothing to possessify, and never empty.
      this.code.push({ op: 'item', item });
      return;
    }
    if (min >= 1 && !(min === 1 && max === Infinity)) this.code.push({ op: 'item', item }); // x or EXACT
    const variableMin = min === 1 && max === Infinity ? 1 : 0; // PLUS, or STAR/QUERY/UPTO
    rep(!lazy, variableMin === 0);
  }

  private nextCopy(n: RepeatNode): number {
    const k = this.copies.get(n) ?? 0;
    this.copies.set(n, k + 1);
    return k;
  }
}

type SingleNode = Extract<Node, { t: 'set' | 'newline' | 'cluster' }>;

function isSingle(n: Node): n is SingleNode {
  return n.t === 'set' || n.t === 'newline' || n.t === 'cluster';
}

function itemOf(n: SingleNode): PItem {
  if (n.t === 'newline') return { k: 'anynl', set: n.anycrlf ? setOf(0x0a, 0x0d) : setOf(0x0a, 0x0b, 0x0c, 0x0d, 0x85) };
  if (n.t === 'cluster') return { k: 'extuni' };
  const item = n.item;
  if (item.k === 'class') return { k: 'class', set: n.set };
  if (item.k === 'prop') return { k: 'prop', comparable: item.comparable, inClass: item.inClass, set: n.set };
  return item;
}

interface Base {
  item: PItem;
  /** list[1] of the base: the repeat is greedy (only a greedy one may be possessified at the end). */
  greedy: boolean;
}

/** Whether a repeat of `a` followed by `b` may be possessive (true: `b` can never take what `a` gives back). */
type Judge = (a: PItem, b: PItem) => boolean;

/** compare_opcodes: walks what can follow the repeat, as PCRE does, judging each next item with `judge`. */
function compare(code: Code[], from: number, base: Base, judge: Judge, budget: { limit: number }): boolean {
  if (--budget.limit <= 0) return false; // PCRE's recursion limit for the whole rule
  let at = from;
  for (;;) {
    let c = code[at];
    // At the end of a branch, skip to the end of the group.
    while (c.op === 'alt') {
      at = c.next;
      c = code[at];
    }
    if (c.op === 'end') return base.greedy;
    if (c.op === 'ket' && c.kind === 'ket') {
      if (!base.greedy) return false;
      at++;
      continue;
    }
    if (c.op === 'bra' && !c.sbra) {
      // Every branch of the next group must allow it; the last one is followed in line.
      let next = c.next;
      at++;
      while (code[next].op === 'alt') {
        if (!compare(code, at, base, judge, budget)) return false;
        at = next + 1;
        next = (code[next] as { next: number }).next;
      }
      continue;
    }
    if (c.op === 'brazero') {
      const bra = code[at + 1];
      if (bra.op !== 'bra' || bra.sbra) return false;
      let end = bra.next;
      while (code[end].op === 'alt') end = (code[end] as { next: number }).next;
      // What follows the optional group must allow it too.
      if (!compare(code, end + 1, base, judge, budget)) return false;
      at++;
      continue;
    }
    // KETRMAX/KETRMIN (what follows varies), SBRA, SKIPZERO, other assertions: not judged.
    if (c.op !== 'item' && c.op !== 'rep') return false;
    if (!judge(base.item, c.item)) return false;
    if (!(c.op === 'rep' && c.empty)) return true;
    at++; // the next item may match nothing: what follows it must allow it too
  }
}

// The rows and columns of PCRE's autoposstab: \D \d \S \s \W \w . .+ \C \P \p \R \H \h \V \v \X \Z \z $ $M.
const COLUMNS = ['D', 'd', 'S', 's', 'W', 'w', 'any', 'allany', 'C', 'P', 'p', 'anynl', 'H', 'h', 'V', 'v', 'extuni', 'eodn', 'eod', 'doll', 'dollm'];
const AUTOPOSSTAB = [
  '010000000000000000100',
  '100110000001010101111',
  '000100000001010101111',
  '011001000000000000100',
  '010001000000000000100',
  '000110000001010101111',
  '000000000001000000100',
  '000000000000000000100',
  '000000000000000000100',
  '000000000000000000000',
  '000000000000000000000',
  '010101100000010000100',
  '000000000000010000100',
  '011001000001100100100',
  '000000000001000100100',
  '011001000000011000100',
  '000000000000000000100',
];

const DIGIT = CLASS_SETS.d();
const SPACE = CLASS_SETS.s();
const WORD = CLASS_SETS.w();
const HSPACE = [0x09, 0x20, 0xa0];
const VSPACE = [0x0a, 0x0b, 0x0c, 0x0d, 0x85];

function opName(p: PItem): string | null {
  if (p.k === 'type') return p.type;
  if (p.k === 'anynl' || p.k === 'extuni' || p.k === 'doll' || p.k === 'dollm' || p.k === 'eod' || p.k === 'eodn') return p.k;
  if (p.k === 'prop' && !p.inClass) return 'p';
  return null;
}

/** PCRE's judgement of one pair (compare_opcodes after the walk), in 8-bit non-UTF mode with its default tables. */
const pcreJudge: Judge = (a, b) => {
  // A small character list against the other side.
  if (a.k === 'char' || b.k === 'char') {
    const [chars, other] = a.k === 'char' ? [a.chars, b] : [(b as { chars: number[] }).chars, a];
    return chars.every((chr) => charAllows(chr, other));
  }
  // A bitmap class against a class or \d \s \w.
  if (a.k === 'class' || b.k === 'class') {
    const [set1, other] = a.k === 'class' ? [a.set, b] : [(b as { set: ByteSet }).set, a];
    let set2: ByteSet;
    if (other.k === 'class') set2 = other.set;
    else if (other.k === 'prop' && other.inClass)
      return false; // an XCLASS with a property
    else if (other.k === 'type' && 'dDsSwW'.includes(other.type)) {
      const base = other.type.toLowerCase() === 'd' ? DIGIT : other.type.toLowerCase() === 's' ? SPACE : WORD;
      set2 = other.type === other.type.toUpperCase() ? invert(base) : base;
    } else return false;
    for (let i = 0; i < 32; i++) if (set1[i] & set2[i]) return false;
    return true;
  }
  const left = opName(a);
  const right = opName(b);
  if (left === 'p') return right === 'eod'; // property pairs: sound in PCRE, so not modelled (see possess tests)
  if (left === null || right === null) return false;
  const row = COLUMNS.indexOf(left);
  if (row < 0 || row > COLUMNS.indexOf('extuni')) return false;
  return AUTOPOSSTAB[row][COLUMNS.indexOf(right)] === '1';
};

/** One character of the small list against the other item (the switch at the end of compare_opcodes). */
function charAllows(chr: number, other: PItem): boolean {
  switch (other.k) {
    case 'char':
      return !other.chars.includes(chr);
    case 'not':
      return other.chars.includes(chr);
    case 'type':
      switch (other.type) {
        case 'd':
          return !hasByte(DIGIT, chr);
        case 'D':
          return hasByte(DIGIT, chr);
        case 's':
          return !hasByte(SPACE, chr);
        case 'S':
          return hasByte(SPACE, chr);
        case 'w':
          return !hasByte(WORD, chr);
        case 'W':
          return hasByte(WORD, chr);
        case 'h':
          return !HSPACE.includes(chr);
        case 'H':
          return HSPACE.includes(chr);
        case 'v':
          return !VSPACE.includes(chr);
        case 'V':
          return VSPACE.includes(chr);
        default:
          return false; // OP_ANY, OP_ALLANY
      }
    case 'anynl':
      return !VSPACE.includes(chr);
    case 'doll':
    case 'eodn':
      return !VSPACE.includes(chr);
    case 'eod':
      return true;
    case 'class':
      return !hasByte(other.set, chr);
    case 'prop':
      // check_char_prop (never for Any or Xuc), or an XCLASS's membership.
      return (other.inClass || other.comparable) && !hasByte(other.set, chr);
    default:
      return false;
  }
}

/** The same question asked of the real byte sets: can `b` start with a byte `a` matches? */
function safe(a: PItem, b: PItem, newline: NewlineKind): boolean {
  const first = (p: PItem): ByteSet | 'none' | 'all' => {
    switch (p.k) {
      case 'char':
        return setOf(...p.chars);
      case 'not':
        return invert(setOf(...p.chars));
      case 'type':
        return p.type === 'any' || p.type === 'allany' ? 'all' : typeSet(p.type);
      case 'class':
      case 'prop':
      case 'anynl':
        return p.set;
      case 'extuni':
        return 'all';
      case 'eod':
        return 'none'; // \z after a given-back byte never holds
      case 'doll':
      case 'eodn':
      case 'dollm':
        return newline === 'any'
          ? setOf(...VSPACE)
          : newline === 'anycrlf'
            ? setOf(0x0a, 0x0d)
            : newline === 'nul'
              ? setOf(0)
              : newline === 'lf'
                ? setOf(0x0a)
                : setOf(0x0d);
    }
  };
  const x = first(a);
  const y = first(b);
  if (x === 'none' || y === 'none') return true;
  if (x === 'all' || y === 'all') return false;
  for (let i = 0; i < 32; i++) if (x[i] & y[i]) return false;
  return true;
}

function typeSet(t: string): ByteSet {
  const lower = t.toLowerCase() as 'd' | 's' | 'w' | 'h' | 'v';
  const s = CLASS_SETS[lower]();
  return t === lower ? s : invert(s);
}
