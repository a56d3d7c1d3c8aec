import type { TagSpan } from '../slots/span.ts';
import { NEWLINE, Op, type Program } from './program.ts';

const LF = 0x0a;
const CR = 0x0d;

/** Backtrack-stack entry kinds. */
const BRANCH = 0;
const RESTORE = 1;
const STAR_GREEDY = 2;
const STAR_LAZY = 3;
const BOUNDED = 4;

/** Thrown when a key needs more memory than the budget; `run` turns it into null. */
const OVER_BUDGET = new Error('over the matcher memory budget');

function isWord(c: number): boolean {
  return (c >= 0x30 && c <= 0x39) || (c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a) || c === 0x5f;
}

/**
 * Runs compiled rules anchored at the start of a key, with PCRE's backtracking order (so it finds the
 * same match and the same `tag` as PCRE), but remembers every (instruction, position) pair at which
 * paths meet: a pair that failed once fails again, since success depends only on where we are (no
 * backreferences or lookaround are allowed in). Each pair is visited once, so a run costs at most
 * O(program × key length) — no rule can hang it. One Matcher per thread of work; it reuses its buffers.
 */
export class Matcher {
  private stack = new Int32Array(1024);
  private visited = new Uint32Array(64);
  private regs = new Int32Array(8);
  /**
   * Per run instruction (Exact, Bounded, Poss): where the run of its class from a position ends, and for
   * Bounded the continuations already tried. Most runs are entered once or in one direction, so a run
   * starts with a one-interval cache and plain scanning; only an instruction that has scanned more than
   * twice the key gets a per-position cache (and a Bounded one a union-find over tried continuations),
   * which keep every rule O(program × key) however it backtracks. Those arrays come out of the same
   * memory budget as the memo; a key that would need more is refused (null), never run slowly.
   */
  private runs: (Int32Array | null)[] = [];
  private tried: (Int32Array | null)[] = [];
  private lastStart = new Int32Array(8);
  private lastEnd = new Int32Array(8);
  private work = new Float64Array(8);

  /** Longest key × memo points we accept (bits of the visited map): 512 Mbit = 64 MiB. */
  static readonly MAX_VISITED_BITS = 1 << 29;

  /** Whether `exec` can take a key of `length` bytes for this program without exceeding the memory cap. */
  static fits(prog: Program, length: number): boolean {
    return prog.memoCount * (length + 1) <= Matcher.MAX_VISITED_BITS;
  }

  /** Like exec, but null when the key needs more than the memory budget (see `runs`). */
  run(prog: Program, bytes: Uint8Array, start: number, end: number, out: TagSpan): boolean | null {
    try {
      return this.exec(prog, bytes, start, end, out);
    } catch (e) {
      if (e === OVER_BUDGET) return null;
      throw e;
    }
  }

  /**
   * Matches `prog` at `bytes[start]` against `bytes[start, end)`. On a match, writes the tag span
   * (start/end = -1 when the tag group did not take part) and returns true.
   */
  exec(prog: Program, bytes: Uint8Array, start: number, end: number, out: TagSpan): boolean {
    const { code, classes, guarded, memo, loopStart, loopRegs, runSlot } = prog;
    const width = end - start + 1;
    const words = (prog.memoCount * width + 31) >>> 5;
    if (this.visited.length < words) this.visited = new Uint32Array(Math.max(words, this.visited.length * 2));
    const visited = this.visited;
    visited.fill(0, 0, words);
    const runCount = prog.runCount;
    if (this.lastStart.length < runCount) {
      this.lastStart = new Int32Array(runCount * 2);
      this.lastEnd = new Int32Array(runCount * 2);
      this.work = new Float64Array(runCount * 2);
    }
    const { runs, tried, lastStart, lastEnd, work } = this;
    for (let k = 0; k < runCount; k++) {
      runs[k] = tried[k] = null;
      lastStart[k] = lastEnd[k] = -1;
      work[k] = 0;
    }
    let spareBits = Matcher.MAX_VISITED_BITS - prog.memoCount * width;
    /** An int32 array over the key, if the budget allows; else the run is refused. */
    const allocate = (): Int32Array => {
      spareBits -= 32 * (width + 1);
      if (spareBits < 0) throw OVER_BUDGET;
      return new Int32Array(width + 1);
    };
    const slack = 2 * width + 64;
    /** Whether the byte at p is in class `cls` (a guarded class refuses the CR of a CRLF). */
    const inClass = (cls: number, p: number): boolean =>
      classes[(cls << 8) | bytes[p]] === 1 && !(guarded[cls] && bytes[p] === CR && p + 1 < end && bytes[p + 1] === LF);
    /** The end of the run of class `cls` from p (the first position not in it). */
    const runEnd = (pc: number, cls: number, p: number): number => {
      const slot = runSlot[pc];
      const cache = runs[slot];
      if (cache) {
        if (cache[p - start]) return cache[p - start] - 1;
        let q = p;
        while (q < end && !cache[q - start] && inClass(cls, q)) q++;
        const e = q < end && cache[q - start] ? cache[q - start] - 1 : q;
        for (let r = p; r < q; r++) cache[r - start] = e + 1;
        return e;
      }
      if (p >= lastStart[slot] && p < lastEnd[slot]) return lastEnd[slot];
      let q = p;
      // Scanning into the last run found: it ends where that one does.
      while (q < end && inClass(cls, q) && !(q === lastStart[slot] && q < lastEnd[slot])) q++;
      const e = q === lastStart[slot] && q < lastEnd[slot] ? lastEnd[slot] : q;
      work[slot] += q - p + 1;
      if (e > p) {
        lastStart[slot] = p;
        lastEnd[slot] = e;
      }
      if (work[slot] > slack) runs[slot] = allocate();
      return e;
    };
    /**
     * The next continuation of Bounded `pc` entered at `entry`, from `cursor` on (downwards when greedy),
     * or -1. Positions after the entry mean the same for every entry (the loop state there is the same),
     * so once the instruction has tried more than twice the key, a union-find skips tried ones in O(1);
     * the entry itself is tried by each entry, through the memo.
     */
    const nextTry = (pc: number, entry: number, cursor: number, greedy: boolean): number => {
      const hi = Math.min(entry + code[(pc << 2) + 2], runEnd(pc, code[(pc << 2) + 1], entry));
      const slot = runSlot[pc];
      let t = tried[slot];
      if (!t && ++work[slot] > 2 * slack) t = tried[slot] = allocate();
      if (greedy) {
        const from = Math.min(cursor, hi) - start;
        let r = from;
        if (t) {
          // t[i] = j + 2: i was tried, look at j (≥ -1) next.
          while (r >= 0 && t[r]) r = t[r] - 2;
          for (let i = from; i >= 0 && t[i] && i !== r;) {
            const nextI = t[i] - 2;
            t[i] = r + 2;
            i = nextI;
          }
        }
        if (r + start > entry) {
          if (t) t[r] = r + 1;
          return r + start;
        }
        return cursor >= entry ? entry : -1;
      }
      // Lazy: the entry first, then upwards; t[i] = j + 1: i was tried, look at j (≤ width) next.
      if (cursor === entry) return entry;
      const from = Math.max(cursor, entry + 1) - start;
      let r = from;
      if (t) {
        while (r < width && t[r]) r = t[r] - 1;
        for (let i = from; i < width && t[i] && i !== r;) {
          const nextI = t[i] - 1;
          t[i] = r + 1;
          i = nextI;
        }
      }
      if (r + start > hi) return -1;
      if (t) t[r] = r + 2;
      return r + start;
    };
    if (this.regs.length < prog.regCount) this.regs = new Int32Array(prog.regCount * 2);
    const regs = this.regs;
    regs.fill(-1, 0, prog.regCount);
    let stack = this.stack;
    let sp = 0;
    let pc = 0;
    let pos = start;

    for (;;) {
      // Advance along one path until it matches or fails.
      let failed = false;
      for (;;) {
        let m = memo[pc];
        if (m >= 0) {
          for (let k = loopStart[pc], b = 1; k < loopStart[pc + 1]; k++, b <<= 1) if (regs[loopRegs[k]] === pos) m += b;
          const bit = m * width + (pos - start);
          const w = bit >>> 5;
          const mask = 1 << (bit & 31);
          // Explored before from here: this path fails (straight to the backtracking below).
          if (visited[w] & mask) break;
          visited[w] |= mask;
        }
        const ip = pc << 2;
        switch (code[ip]) {
          case Op.Match:
            if (prog.notEmpty && pos === start) {
              failed = true;
              break;
            }
            out.start = regs[0];
            out.end = regs[1];
            if (out.start < 0 || out.end < 0) out.start = out.end = -1;
            this.stack = stack;
            return true;
          case Op.Byte:
            if (pos < end && inClass(code[ip + 1], pos)) {
              pos++;
              pc++;
            } else failed = true;
            break;
          case Op.Split:
            if (sp + 4 > stack.length) stack = grow(stack);
            stack[sp++] = BRANCH;
            stack[sp++] = code[ip + 2];
            stack[sp++] = pos;
            stack[sp++] = 0;
            pc = code[ip + 1];
            break;
          case Op.Jump:
            pc = code[ip + 1];
            break;
          case Op.Save: {
            const r = code[ip + 1];
            if (sp + 4 > stack.length) stack = grow(stack);
            stack[sp++] = RESTORE;
            stack[sp++] = r;
            stack[sp++] = regs[r];
            stack[sp++] = 0;
            regs[r] = pos;
            pc++;
            break;
          }
          case Op.EmptyCheck:
            pc = pos === regs[code[ip + 1]] ? code[ip + 2] : pc + 1;
            break;
          case Op.Star: {
            // Stands for the loop `L: split(x L, next)`; like that loop it marks (L, p) for every
            // position it passes and stops where an earlier visit already explored the rest, so
            // every position is scanned once per Star however often the Star is entered.
            const cls = code[ip + 1];
            const base = memo[pc] * width - start;
            if (code[ip + 2]) {
              let p = pos;
              while (p < end && inClass(cls, p)) {
                const bit = base + p + 1;
                const mask = 1 << (bit & 31);
                if (visited[bit >>> 5] & mask) break;
                visited[bit >>> 5] |= mask;
                p++;
              }
              if (p > pos) {
                if (sp + 4 > stack.length) stack = grow(stack);
                stack[sp++] = STAR_GREEDY;
                stack[sp++] = pc + 1;
                stack[sp++] = pos; // lowest position to fall back to
                stack[sp++] = p - 1; // next position to try
              }
              pos = p;
            } else {
              if (sp + 4 > stack.length) stack = grow(stack);
              stack[sp++] = STAR_LAZY;
              stack[sp++] = pc;
              stack[sp++] = pos;
              stack[sp++] = 0;
            }
            pc++;
            break;
          }
          case Op.Assert:
            if (assertHolds(code[ip + 1], code[ip + 2], bytes, start, end, pos)) pc++;
            else failed = true;
            break;
          case Op.Newline:
          case Op.Cluster: {
            const n = unitAt(code[ip] === Op.Cluster ? 2 : code[ip + 1], bytes, pos, end);
            if (n === 0) failed = true;
            else {
              pos += n;
              pc++;
            }
            break;
          }
          case Op.Exact: {
            const to = pos + code[ip + 2];
            if (to <= end && runEnd(pc, code[ip + 1], pos) >= to) {
              pos = to;
              pc++;
            } else failed = true;
            break;
          }
          case Op.Poss: {
            const e = runEnd(pc, code[ip + 1], pos);
            if (e - pos < code[ip + 2]) failed = true;
            else {
              pos = code[ip + 3] < 0 ? e : Math.min(e, pos + code[ip + 3]);
              pc++;
            }
            break;
          }
          case Op.PossUnits: {
            const kind = code[ip + 1];
            const max = code[ip + 3];
            let count = 0;
            for (;;) {
              if (max >= 0 && count === max) break;
              const n = unitAt(kind, bytes, pos, end);
              if (n === 0) break;
              pos += n;
              count++;
            }
            if (count < code[ip + 2]) failed = true;
            else pc++;
            break;
          }
          case Op.Bounded: {
            const greedy = code[ip + 3] === 1;
            const first = nextTry(pc, pos, greedy ? end : pos, greedy);
            if (sp + 4 > stack.length) stack = grow(stack);
            stack[sp++] = BOUNDED;
            stack[sp++] = pc;
            stack[sp++] = pos;
            stack[sp++] = greedy ? first - 1 : first === pos ? pos + 1 : first + 1;
            pos = first;
            pc++;
            break;
          }
          default:
            throw new Error(`bad opcode ${code[ip]} at ${pc}`);
        }
        if (failed) break;
      }

      // Backtrack to the most recent alternative, undoing register writes on the way.
      let resumed = false;
      while (sp > 0 && !resumed) {
        sp -= 4;
        const kind = stack[sp];
        if (kind === RESTORE) {
          regs[stack[sp + 1]] = stack[sp + 2];
        } else if (kind === BRANCH) {
          pc = stack[sp + 1];
          pos = stack[sp + 2];
          resumed = true;
        } else if (kind === STAR_GREEDY) {
          const low = stack[sp + 2];
          const next = stack[sp + 3];
          pc = stack[sp + 1];
          pos = next;
          if (next > low) {
            stack[sp + 3] = next - 1;
            sp += 4;
          }
          resumed = true;
        } else if (kind === BOUNDED) {
          const at = stack[sp + 1];
          const entry = stack[sp + 2];
          const greedy = code[(at << 2) + 3] === 1;
          const q = nextTry(at, entry, stack[sp + 3], greedy);
          if (q >= 0) {
            stack[sp + 3] = greedy ? q - 1 : q === entry ? entry + 1 : q + 1;
            sp += 4;
            pos = q;
            pc = at + 1;
            resumed = true;
          }
        } else {
          // Lazy star: take one more byte, unless it is outside the class or that position was
          // already explored from this Star, then try the continuation again.
          const starPc = stack[sp + 1];
          const at = stack[sp + 2];
          if (at < end && inClass(code[(starPc << 2) + 1], at)) {
            const bit = memo[starPc] * width + (at + 1 - start);
            const mask = 1 << (bit & 31);
            if (!(visited[bit >>> 5] & mask)) {
              visited[bit >>> 5] |= mask;
              stack[sp + 2] = at + 1;
              sp += 4;
              pos = at + 1;
              pc = starPc + 1;
              resumed = true;
            }
          }
        }
      }
      if (!resumed) {
        this.stack = stack;
        return false;
      }
    }
  }
}

function grow(stack: Int32Array<ArrayBuffer>): Int32Array<ArrayBuffer> {
  const bigger = new Int32Array(stack.length * 2);
  bigger.set(stack);
  return bigger;
}

/** The length of the \R (kind 0; 1: CR LF only) or \X (kind 2) unit at p, or 0. */
function unitAt(kind: number, bytes: Uint8Array, p: number, end: number): number {
  if (p >= end) return 0;
  const c = bytes[p];
  if (c === CR && p + 1 < end && bytes[p + 1] === LF) return 2;
  if (kind === 2) return 1;
  if (kind === 1) return c === LF || c === CR ? 1 : 0;
  return (c >= LF && c <= CR) || c === 0x85 ? 1 : 0;
}

/** The length of the newline of convention `nl` (see NEWLINE) at p, or 0 (PCRE's IS_NEWLINE). */
function newlineAt(nl: number, bytes: Uint8Array, p: number, end: number): number {
  if (p >= end) return 0;
  const c = bytes[p];
  const crlf = c === CR && p + 1 < end && bytes[p + 1] === LF;
  switch (nl) {
    case NEWLINE.lf:
      return c === LF ? 1 : 0;
    case NEWLINE.cr:
      return c === CR ? 1 : 0;
    case NEWLINE.crlf:
      return crlf ? 2 : 0;
    case NEWLINE.anycrlf:
      return crlf ? 2 : c === LF || c === CR ? 1 : 0;
    case NEWLINE.any:
      return crlf ? 2 : (c >= LF && c <= CR) || c === 0x85 ? 1 : 0;
    default:
      return c === 0 ? 1 : 0;
  }
}

/** Whether a newline of convention `nl` ends right before p (PCRE's WAS_NEWLINE). */
function newlineBefore(nl: number, bytes: Uint8Array, start: number, p: number): boolean {
  if (p <= start) return false;
  const c = bytes[p - 1];
  switch (nl) {
    case NEWLINE.lf:
      return c === LF;
    case NEWLINE.cr:
      return c === CR;
    case NEWLINE.crlf:
      return c === LF && p - 2 >= start && bytes[p - 2] === CR;
    case NEWLINE.anycrlf:
      return c === LF || c === CR;
    case NEWLINE.any:
      return (c >= LF && c <= CR) || c === 0x85;
    default:
      return c === 0;
  }
}

function assertHolds(kind: number, nl: number, bytes: Uint8Array, start: number, end: number, pos: number): boolean {
  switch (kind) {
    case 0: // \A, ^
      return pos === start;
    case 1: // ^ in multiline: also after a newline that does not end the subject
      return pos === start || (pos < end && newlineBefore(nl, bytes, start, pos));
    case 2: // \z
      return pos === end;
    case 3: {
      // $, \Z: at the end, or before a newline that ends the subject
      const n = newlineAt(nl, bytes, pos, end);
      return pos === end || (n > 0 && pos + n === end);
    }
    case 4: // $ in multiline
      return pos === end || newlineAt(nl, bytes, pos, end) > 0;
    default: {
      const before = pos > start && isWord(bytes[pos - 1]);
      const after = pos < end && isWord(bytes[pos]);
      if (kind === 5) return before !== after;
      if (kind === 6) return before === after;
      if (kind === 7) return !before && after; // [[:<:]]
      return before && !after; // [[:>:]]
    }
  }
}
