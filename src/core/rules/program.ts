import type { ByteSet, Node } from './ast.ts';

/** Instruction set of the rule matcher. Each instruction is four int32 words: op, a, b, c. */
export const Op = {
  /** The rule matched. */
  Match: 0,
  /** Consume one byte in class a. */
  Byte: 1,
  /** Try pc a first, then pc b. */
  Split: 2,
  Jump: 3,
  /** regs[a] = pos (0/1: tag start/end, 2+: loop iteration starts). */
  Save: 4,
  /** Zero-width assertion, kind a (see ASSERT). */
  Assert: 5,
  /** A loop body that matched empty leaves the loop (PCRE's rule): if pos === regs[a], go to b. */
  EmptyCheck: 6,
  /** Zero or more bytes of class a; b = 1 greedy, 0 lazy. */
  Star: 7,
  /** \R: CRLF as one unit (never split, as PCRE makes it atomic), or one of LF VT FF CR NEL. */
  Newline: 8,
} as const;

export const ASSERT = { bos: 0, mbol: 1, eos: 2, eosnl: 3, meol: 4, word: 5, nonword: 6 } as const;

/** A compiled rule. */
export interface Program {
  code: Int32Array;
  /** 256 entries (0/1) per class. */
  classes: Uint8Array;
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
}

/** Largest program we build: counted repeats are expanded, so `(.{9999}){9999}` must be refused. */
export const MAX_PROGRAM = 50_000;

export class ProgramTooLarge extends Error {}

/** Compiles a rule's syntax tree; the group named `tag` is recorded in registers 0 and 1. */
export function compileProgram(ast: Node): Program {
  const b = new Builder();
  b.emit(ast);
  b.op(Op.Match);
  return b.finish();
}

class Builder {
  code: number[] = [];
  classKeys = new Map<string, number>();
  classList: ByteSet[] = [];
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

  classId(set: ByteSet): number {
    const key = set.join(',');
    let id = this.classKeys.get(key);
    if (id === undefined) {
      id = this.classList.length;
      this.classList.push(set);
      this.classKeys.set(key, id);
    }
    return id;
  }

  emit(n: Node): void {
    switch (n.t) {
      case 'empty':
        return;
      case 'set':
        this.op(Op.Byte, this.classId(n.set));
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
        if (n.name === 'tag') this.op(Op.Save, 0);
        this.emit(n.body);
        if (n.name === 'tag') this.op(Op.Save, 1);
        return;
      case 'assert':
        this.op(Op.Assert, ASSERT[n.kind]);
        return;
      case 'newline':
        this.op(Op.Newline);
        return;
      case 'repeat':
        this.emitRepeat(n.min, n.max, n.greedy, n.body);
        return;
    }
  }

  emitRepeat(min: number, max: number, greedy: boolean, body: Node): void {
    if (max === 0) return; // x{0}: PCRE compiles it away
    const single = body.t === 'set';
    const unbounded = max === Infinity;
    const copies = unbounded && !single ? Math.max(min - 1, 0) : min;
    for (let k = 0; k < copies; k++) this.emit(body);
    if (unbounded && single) {
      this.op(Op.Star, this.classId(body.set), greedy ? 1 : 0);
      return;
    }
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

  finish(): Program {
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
      else if (op === Op.Star) {
        // The Star itself is memoised at every position it passes, as the loop it stands for would be.
        mark(pc);
        mark(pc + 1);
      }
    }
    const classes = new Uint8Array(this.classList.length * 256);
    this.classList.forEach((set, id) => {
      for (let byte = 0; byte < 256; byte++) classes[id * 256 + byte] = (set[byte >> 3] >> (byte & 7)) & 1;
    });
    return { code, classes, memo, memoCount, loopStart, loopRegs: Int32Array.from(loopRegs), regCount: this.regCount };
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
