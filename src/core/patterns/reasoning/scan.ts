import { type Branch, type Space, type Tok } from './symbolic.ts';
import { specialOf, SP_CLOSE, SP_LF, SP_OPEN } from '../language/types.ts';

/**
 * The Redis and Standard hashing rules (src/core/slots/redis.ts, standard.ts) run over symbolic keys.
 * Each step either finds what it looks for in a literal, knows a variable cannot hold it, or asks for
 * the variable to be split into cases first (the caller re-runs the scan once per case).
 */

/** What is hashed: a hash tag, the whole key, or (Standard, after a line feed) the first line. */
export type HashKind = 'tag' | 'key' | 'line';

export type ScanResult = { branches: Branch[] } | { hashed: Tok[]; kind: HashKind };

export type Scanner = (space: Space, toks: readonly Tok[]) => ScanResult;

/** A place in a token list: before byte `o` of token `t` (o = 0 before a variable). */
interface Pos {
  t: number;
  o: number;
}

type Found = { at: Pos } | { branches: Branch[] } | null;

/** The first byte of `q` at or after `from`. */
function findFirst(space: Space, toks: readonly Tok[], q: number, from: Pos): Found {
  for (let t = from.t; t < toks.length; t++) {
    const tok = toks[t];
    if ('v' in tok) {
      if (space.vars[tok.v].specials & q) return { branches: space.splitFirst(tok.v, q) };
      continue;
    }
    for (let o = t === from.t ? from.o : 0; o < tok.lit.length; o++) if (specialOf(tok.lit[o]) & q) return { at: { t, o } };
  }
  return null;
}

/** The last byte of `q` before `before` (exclusive). */
function findLast(space: Space, toks: readonly Tok[], q: number, before: Pos): Found {
  for (let t = Math.min(before.t, toks.length - 1); t >= 0; t--) {
    const tok = toks[t];
    if ('v' in tok) {
      if (t === before.t) continue; // before a variable: it is not included
      if (space.vars[tok.v].specials & q) return { branches: space.splitLast(tok.v, q) };
      continue;
    }
    for (let o = (t === before.t ? before.o : tok.lit.length) - 1; o >= 0; o--) if (specialOf(tok.lit[o]) & q) return { at: { t, o } };
  }
  return null;
}

/** The tokens from `from` to `to` (exclusive), cutting literals. */
function slice(toks: readonly Tok[], from: Pos, to: Pos): Tok[] {
  const out: Tok[] = [];
  for (let t = from.t; t <= to.t && t < toks.length; t++) {
    const tok = toks[t];
    const start = t === from.t ? from.o : 0;
    if ('v' in tok) {
      if (t < to.t && start === 0) out.push(tok);
      continue;
    }
    const end = t === to.t ? to.o : tok.lit.length;
    if (end > start) out.push({ lit: tok.lit.subarray(start, end) });
  }
  return out;
}

const after = (p: Pos): Pos => ({ t: p.t, o: p.o + 1 });
const END = (toks: readonly Tok[]): Pos => ({ t: toks.length, o: 0 });

/**
 * Redis (keyHashSlot): the first `{`, the first `}` after it; the bytes between if non-empty, else
 * the whole key.
 */
export const scanRedis: Scanner = (space, toks) => {
  const open = findFirst(space, toks, SP_OPEN, { t: 0, o: 0 });
  if (!open) return { hashed: [...toks], kind: 'key' };
  if ('branches' in open) return open;
  const start = after(open.at);
  const close = findFirst(space, toks, SP_CLOSE, start);
  if (!close) return { hashed: [...toks], kind: 'key' };
  if ('branches' in close) return close;
  const content = slice(toks, start, close.at);
  const nonEmpty = content.some((t) => 'lit' in t || space.vars[t.v].nonEmpty);
  if (nonEmpty) return { hashed: content, kind: 'tag' };
  const maybe = content.find((t) => 'v' in t);
  if (maybe && 'v' in maybe) return { branches: space.splitEmpty(maybe.v) };
  return { hashed: [...toks], kind: 'key' };
};

/**
 * Standard (`.*\{(?<tag>.*)\}.*` then `(?<tag>.*)`, PCRE byte mode): only the first line counts; in
 * it, the last `}` and the last `{` before it; the bytes between, even empty; else the whole line.
 */
export const scanStandard: Scanner = (space, toks) => {
  const lf = findFirst(space, toks, SP_LF, { t: 0, o: 0 });
  if (lf && 'branches' in lf) return lf;
  const line = lf ? slice(toks, { t: 0, o: 0 }, lf.at) : [...toks];
  const kind = lf ? 'line' : 'key';
  const close = findLast(space, line, SP_CLOSE, END(line));
  if (!close) return { hashed: line, kind };
  if ('branches' in close) return close;
  const open = findLast(space, line, SP_OPEN, close.at);
  if (!open) return { hashed: line, kind };
  if ('branches' in open) return open;
  return { hashed: slice(line, after(open.at), close.at), kind: 'tag' };
};
