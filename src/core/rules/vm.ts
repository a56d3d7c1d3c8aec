import type { TagSpan } from '../slots/span.ts';
import { Op, type Program } from './program.ts';

const LF = 0x0a;
const CR = 0x0d;

/** Backtrack-stack entry kinds. */
const BRANCH = 0;
const RESTORE = 1;
const STAR_GREEDY = 2;
const STAR_LAZY = 3;

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

  /** Longest key × memo points we accept (bits of the visited map): 512 Mbit = 64 MiB. */
  static readonly MAX_VISITED_BITS = 1 << 29;

  /** Whether `exec` can take a key of `length` bytes for this program without exceeding the memory cap. */
  static fits(prog: Program, length: number): boolean {
    return prog.memoCount * (length + 1) <= Matcher.MAX_VISITED_BITS;
  }

  /**
   * Matches `prog` at `bytes[start]` against `bytes[start, end)`. On a match, writes the tag span
   * (start/end = -1 when the tag group did not take part) and returns true.
   */
  exec(prog: Program, bytes: Uint8Array, start: number, end: number, out: TagSpan): boolean {
    const { code, classes, memo, loopStart, loopRegs } = prog;
    const width = end - start + 1;
    const words = (prog.memoCount * width + 31) >>> 5;
    if (this.visited.length < words) this.visited = new Uint32Array(Math.max(words, this.visited.length * 2));
    const visited = this.visited;
    visited.fill(0, 0, words);
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
            out.start = regs[0];
            out.end = regs[1];
            if (out.start < 0 || out.end < 0) out.start = out.end = -1;
            this.stack = stack;
            return true;
          case Op.Byte:
            if (pos < end && classes[(code[ip + 1] << 8) | bytes[pos]]) {
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
            const cls = code[ip + 1] << 8;
            const base = memo[pc] * width - start;
            if (code[ip + 2]) {
              let p = pos;
              while (p < end && classes[cls | bytes[p]]) {
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
            if (assertHolds(code[ip + 1], bytes, start, end, pos)) pc++;
            else failed = true;
            break;
          case Op.Newline: {
            const c = pos < end ? bytes[pos] : -1;
            if (c === CR && pos + 1 < end && bytes[pos + 1] === LF) pos += 2;
            else if ((c >= LF && c <= CR) || c === 0x85) pos++;
            else {
              failed = true;
              break;
            }
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
        } else {
          // Lazy star: take one more byte, unless it is outside the class or that position was
          // already explored from this Star, then try the continuation again.
          const starPc = stack[sp + 1];
          const at = stack[sp + 2];
          const cls = code[(starPc << 2) + 1] << 8;
          if (at < end && classes[cls | bytes[at]]) {
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

function assertHolds(kind: number, bytes: Uint8Array, start: number, end: number, pos: number): boolean {
  switch (kind) {
    case 0: // \A, ^
      return pos === start;
    case 1: // ^ in multiline: also after an LF that is not the last byte
      return pos === start || (pos < end && bytes[pos - 1] === LF);
    case 2: // \z
      return pos === end;
    case 3: // $, \Z: at the end, or before an LF that ends the subject
      return pos === end || (pos === end - 1 && bytes[pos] === LF);
    case 4: // $ in multiline
      return pos === end || bytes[pos] === LF;
    case 5:
    case 6: {
      const before = pos > start && isWord(bytes[pos - 1]);
      const after = pos < end && isWord(bytes[pos]);
      return (before !== after) === (kind === 5);
    }
  }
  return false;
}
