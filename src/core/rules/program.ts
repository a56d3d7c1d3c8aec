import type { ByteSet, NewlineKind, Node, RepeatNode } from './ast.ts';

/**
 * Instruction set of the rule matcher. Each instruction is four int32 words: op, a, b, c. A class is a
 * byte set, possibly "guarded" (under (*CRLF), a CR that starts a CRLF is outside it, see Program.guarded).
 */
export const Op = {
  /** The rule matched (with (*NOTEMPTY), only if it consumed something). */
  Match: 0,
  /** Consume one byte in class a. */
  Byte: 1,
  /** Try pc a first, then pc b. */
  Split: 2,
  Jump: 3,
  /** regs[a] = pos (0/1: tag start/end, 2+: loop iteration starts). */
  Save: 4,
  /** Zero-width assertion, kind a (see ASSERT), newline convention b (see NEWLINE). */
  Assert: 5,
  /** A loop body that matched empty leaves the loop (PCRE's rule): if pos === regs[a], go to b. */
  EmptyCheck: 6,
  /** Zero or more bytes of class a; b = 1 greedy, 0 lazy. */
  Star: 7,
  /** \R: CRLF as one unit (never split, as PCRE makes it atomic), or one of LF VT FF CR NEL (a = 1: CR LF only). */
  Newline: 8,
  /** \X: CRLF as one unit, or any one byte. */
  Cluster: 9,
  /** Exactly b bytes of class a (x{n}). */
  Exact: 10,
  /** Between 0 and b bytes of class a, c = 1 greedy, 0 lazy: x{0,m} without a program the size of m. */
  Bounded: 11,
  /** A possessive run of class a: at least b bytes, at most c (-1: no limit), never given back. */
  Poss: 12,
  /** A possessive run of units a (0: \R, 1: \R under (*BSR_ANYCRLF), 2: \X): at least b, at most c (-1: no limit). */
  PossUnits: 13,
} as const;

export const ASSERT = { bos: 0, mbol: 1, eos: 2, eosnl: 3, meol: 4, word: 5, nonword: 6, wordstart: 7, wordend: 8 } as const;
export const NEWLINE: Record<NewlineKind, number> = { lf: 0, cr: 1, crlf: 2, anycrlf: 3, any: 4, nul: 5 };

/** A compiled rule. */
export interface Program {
  code: Int32Array;
  /** 256 entries (0/1) per class. */
  classes: Uint8Array;
  /** Per class: 1 if a CR followed by LF is outside it ((*CRLF) `.`). */
  guarded: Uint8Array;
  /** Per pc: its first slot in the visited bitmap, or -1. */
  memo: Int32Array;
  memoCount: number;
  /**
   * Per pc: the registers of the loops with a possibly-empty body that enclose it, as a range
   * `loopRegs[loopStart[pc], loopStart[pc + 1])`. Whether each iteration has consumed anything yet
   * changes what EmptyCheck will do, so it is part of the memoised state (one slot per combination).
   */
  loopStart: Int32Array;
  loopRegs: Int32Array;
  regCount: number;
  /** Per pc of an Exact, Bounded or Poss: its run-length cache (see vm.ts), or -1; and how many. */
  runSlot: Int32Array;
  runCount: number;
  /** (*NOTEMPTY): an empty match does not count. */
  notEmpty: boolean;
}

/** Largest program we build: counted repeats are expanded, so `(.{9999}){9999}` must be refused. */
export const MAX_PROGRAM = 50_000;

export class ProgramTooLarge extends Error {}

/**
 * Compiles a rule's syntax tree; the group named `tag` is recorded in registers 0 and 1. Repeats are
 * possessive where written so or where PCRE's auto-possessification made them so (`RepeatNode.auto`,
 * filled in by possess.ts before this runs).
 */
export function compileProgram(ast: Node, notEmpty = false): Program {
  const b = new Builder();
  b.emit(ast);
  b.op(Op.Match);
  return b.finish(notEmpty);
}

class Builder {
  code: number[] = [];
  classKeys = new Map<string, number>();
  classList: ByteSet[] = [];
  classGuard: boolean[] = [];
  /** How often each repeat has been emitted: its copy number in PCRE's replicated code. */
  copies = new Map<RepeatNode, number>();
  regCount = 2;
  /** Body ranges [top, check] of loops whose body can match empty, with their register. */
  nullableLoops: { top: number; check: number; reg: number }[] = [];

  get pc(): number {
    return this.code.length >> 2;
  }

  op(op: number, a = 0, b = 0, c = 0): number {
    if (this.pc >= MAX_PROGRAM) throw new ProgramTooLarge();
    this.code.push(op, a, b, c);
    return this.pc - 1;
  }

  patch(pc: number, word: 1 | 2, value: number): void {
    this.code[pc * 4 + word] = value;
  }

  classId(set: ByteSet, guarded = false): number {
    const key = `${set.join(',')}${guarded ? 'g' : ''}`;
    let id = this.classKeys.get(key);
    if (id === undefined) {
      id = this.classList.length;
      this.classList.push(set);
      this.classGuard.push(guarded);
      this.classKeys.set(key, id);
    }
    return id;
  }

  emit(n: Node): void {
    switch (n.t) {
      case 'empty':
        return;
      case 'set':
        this.op(Op.Byte, this.classId(n.set, n.crlf));
        return;
      case 'seq':
        for (const item of n.items) this.emit(item);
        return;
      case 'alt': {
        const jumps: number[] = [];
        for (let k = 0; k < n.alts.length; k++) {
          if (k < n.alts.length - 1) {
            const split = this.op(Op.Split, this.pc + 1, 0);
            this.emit(n.alts[k]);
            jumps.push(this.op(Op.Jump, 0));
            this.patch(split, 2, this.pc);
          } else this.emit(n.alts[k]);
        }
        for (const j of jumps) this.patch(j, 1, this.pc);
        return;
      }
      case 'group':
        if (n.tag) this.op(Op.Save, 0);
        this.emit(n.body);
        if (n.tag) this.op(Op.Save, 1);
        return;
      case 'assert':
        this.op(Op.Assert, ASSERT[n.kind], NEWLINE[n.nl]);
        return;
      case 'newline':
        this.op(Op.Newline, n.anycrlf ? 1 : 0);
        return;
      case 'cluster':
        this.op(Op.Cluster);
        return;
      case 'repeat':
        this.emitRepeat(n);
        return;
    }
  }

  emitRepeat(n: RepeatNode): void {
    const { min, max, greedy, body } = n;
    const copy = this.copies.get(n) ?? 0;
    this.copies.set(n, copy + 1);
    if (max === 0) return; // x{0}: PCRE compiles it away
    const possessive = n.possessive || (n.auto?.[copy] ?? false);
    const unbounded = max === Infinity;
    if (body.t === 'set') {
      // One byte at a time: runs, not copies, so x{0,65535} is one instruction as in PCRE.
      const cls = this.classId(body.set, body.crlf);
      if (possessive) {
        this.op(Op.Poss, cls, min, unbounded ? -1 : max);
        return;
      }
      if (min === 1) this.op(Op.Byte, cls);
      else if (min > 1) this.op(Op.Exact, cls, min);
      if (unbounded) this.op(Op.Star, cls, greedy ? 1 : 0);
      else if (max - min === 1) {
        const split = this.op(Op.Split, 0, 0);
        this.patch(split, greedy ? 1 : 2, this.pc);
        this.op(Op.Byte, cls);
        this.patch(split, greedy ? 2 : 1, this.pc);
      } else if (max > min) this.op(Op.Bounded, cls, max - min, greedy ? 1 : 0);
      return;
    }
    if (possessive && (body.t === 'newline' || body.t === 'cluster')) {
      this.op(Op.PossUnits, body.t === 'cluster' ? 2 : body.anycrlf ? 1 : 0, min, unbounded ? -1 : max);
      return;
    }
    const copies = unbounded ? Math.max(min - 1, 0) : min;
    for (let k = 0; k < copies; k++) this.emit(body);
    if (unbounded) {
      this.emitLoop(min === 0, greedy, body);
      return;
    }
    // Bounded: nested optionals x(?:x(?:x)?)?, all exiting to one place.
    const splits: number[] = [];
    for (let k = min; k < max; k++) {
      splits.push(this.op(Op.Split, 0, 0));
      const at = splits[splits.length - 1];
      this.patch(at, greedy ? 1 : 2, this.pc);
      this.emit(body);
    }
    for (const s of splits) this.patch(s, greedy ? 2 : 1, this.pc);
  }

  /**
   * PCRE's repeated group (BRA … KETRMAX/KETRMIN): a do-while loop, optionally skippable. An
   * iteration that matched the empty string does not loop again but continues after the loop.
   */
  emitLoop(optional: boolean, greedy: boolean, body: Node): void {
    const entry = optional ? this.op(Op.Split, 0, 0) : -1;
    const top = this.pc;
    const nullable = canBeEmpty(body);
    const reg = nullable ? this.regCount++ : -1;
    if (nullable) this.op(Op.Save, reg);
    this.emit(body);
    const check = nullable ? this.op(Op.EmptyCheck, reg, 0) : -1;
    const back = this.op(Op.Split, 0, 0);
    const exit = this.pc;
    this.patch(back, greedy ? 1 : 2, top);
    this.patch(back, greedy ? 2 : 1, exit);
    if (check >= 0) {
      this.patch(check, 2, exit);
      this.nullableLoops.push({ top, check, reg });
    }
    if (entry >= 0) {
      this.patch(entry, greedy ? 1 : 2, top);
      this.patch(entry, greedy ? 2 : 1, exit);
    }
  }

  finish(notEmpty: boolean): Program {
    const code = Int32Array.from(this.code);
    const n = code.length >> 2;
    // Memoise (pc, pos) only where paths can meet: split points, jump targets and after a Star.
    const loopStart = new Int32Array(n + 1);
    const loopRegs: number[] = [];
    for (let pc = 0; pc < n; pc++) {
      loopStart[pc] = loopRegs.length;
      for (const l of this.nullableLoops) if (l.top <= pc && pc <= l.check) loopRegs.push(l.reg);
    }
    loopStart[n] = loopRegs.length;
    const memo = new Int32Array(n).fill(-1);
    let memoCount = 0;
    const mark = (pc: number) => {
      if (pc < n && memo[pc] < 0) {
        memo[pc] = memoCount;
        memoCount += 1 << (loopStart[pc + 1] - loopStart[pc]);
      }
    };
    for (let pc = 0; pc < n; pc++) {
      const op = code[pc * 4];
      if (op === Op.Split) {
        mark(pc);
        mark(code[pc * 4 + 1]);
        mark(code[pc * 4 + 2]);
      } else if (op === Op.Jump) mark(code[pc * 4 + 1]);
      else if (op === Op.EmptyCheck) mark(code[pc * 4 + 2]);
      else if (op === Op.Star || op === Op.Bounded) {
        // Memoised at every position it passes, as the loop it stands for would be (Bounded: its entries).
        mark(pc);
        mark(pc + 1);
      }
    }
    const runSlot = new Int32Array(n).fill(-1);
    let runCount = 0;
    for (let pc = 0; pc < n; pc++) {
      const op = code[pc * 4];
      if (op === Op.Exact || op === Op.Bounded || op === Op.Poss) runSlot[pc] = runCount++;
    }
    const classes = new Uint8Array(this.classList.length * 256);
    this.classList.forEach((set, id) => {
      for (let byte = 0; byte < 256; byte++) classes[id * 256 + byte] = (set[byte >> 3] >> (byte & 7)) & 1;
    });
    const guarded = Uint8Array.from(this.classGuard, (g) => (g ? 1 : 0));
    return { code, classes, guarded, memo, memoCount, loopStart, loopRegs: Int32Array.from(loopRegs), regCount: this.regCount, runSlot, runCount, notEmpty };
  }
}

/** Whether a node can match the empty string (assertions count as empty). */
export function canBeEmpty(n: Node): boolean {
  switch (n.t) {
    case 'empty':
    case 'assert':
      return true;
    case 'set':
    case 'newline':
    case 'cluster':
      return false;
    case 'seq':
      return n.items.every(canBeEmpty);
    case 'alt':
      return n.alts.some(canBeEmpty);
    case 'group':
      return canBeEmpty(n.body);
    case 'repeat':
      return n.min === 0 || canBeEmpty(n.body);
  }
}
