import { alwaysSetsTag, hasByte, type ByteSet, type RuleNode as Node } from '../../core/index.ts';

/**
 * Translates a rule's syntax tree (PCRE, 8-bit non-UTF semantics) into an RE2 pattern that matches
 * exactly the same keys, with the same `tag`, when RE2 runs in UTF-8 mode over the key's latin1 view
 * (byte b → the character U+00bb). Every set is spelled out over 0x00–0xFF (`\x{hh}` escapes, with
 * ASCII letters, digits and `_` as themselves), so the pattern is plain ASCII and never depends on
 * RE2's own notion of case, `.` or `\s`.
 *
 * Where the tag is. re2-wasm reports each group's *text* only, not its offsets, so the pattern gets
 * a few helper captures from which the engine computes the tag's start: the tag starts after every
 * sibling that comes before it on the way from the root (one capture around them, or a constant
 * when their width is fixed) and, for a repeat around the tag, after every iteration but the last
 * (whole repeat minus last iteration). Helper captures do not change what RE2 matches or prefers.
 *
 * What has no exact RE2 equivalent (RE2 has no lookaround) is refused with `{ unsupported }`:
 * - `$`/`\Z` (end, or before a final LF) and `$` under (?m) (before any LF): exact only at the very
 *   end of the pattern, where consuming the LF they look at changes nothing: `(?:\n?\z)`, `(?:\n|\z)`.
 *   Elsewhere, or inside the tag group (whose text would then include the LF), they are refused;
 * - `^` under (?m) (start, or after an LF that is not the last byte): exact only where nothing can
 *   have been consumed yet (it is then `\A`);
 * - `\R` (CRLF or one of LF VT FF CR NEL, atomic in PCRE: it never gives back the LF of a CRLF):
 *   exact only at the end of the pattern, where nothing could make it give the LF back;
 * - counted repeats above RE2's limit of 1000;
 * - a tag group inside a repeat whose iterations need not all set it, like `(?:a|(?<tag>b))+`:
 *   from texts alone one cannot tell which iteration set it.
 *
 * Known PCRE/RE2 difference, accepted for a cross-check engine: when a repeated group can match
 * the empty string, PCRE counts one last empty iteration (and sets its captures to it) where RE2
 * does not. E.g. `(?:(?<tag>a?))*` on "aa": PCRE's tag is the empty string at offset 2, RE2's is
 * "a" at offset 1. Whether the rule matches is the same; only the position of such a tag differs.
 */
export type Re2Translation = Re2Pattern | { unsupported: string };

export interface Re2Pattern {
  /** RE2 syntax, anchored at the start (`^(?:…)`), no end anchor. */
  pattern: string;
  /** How to find the tag's offsets from the pattern's captures (numbered from 1 as RE2 numbers them). */
  layout: TagLayout;
}

/**
 * The tag is capture number `group` (0: the tag group can never take part, e.g. inside `{0}`). Its
 * start, relative to the start of the match, is `constant` plus the lengths of the captures in
 * `plus` minus the lengths of those in `minus`; all of them have taken part whenever the tag has.
 */
export interface TagLayout {
  group: number;
  constant: number;
  plus: number[];
  minus: number[];
}

/** RE2's limit on {n,m} counts. */
export const RE2_MAX_REPEAT = 1000;

class Unsupported {
  constructor(readonly reason: string) {}
}

interface Ctx {
  /** Nothing can follow this node in the pattern: the match ends right after it. */
  tail: boolean;
  /** Nothing can have been consumed before this node: it is always at the start of the key. */
  head: boolean;
  /** Inside the tag group. */
  inTag: boolean;
}

export function toRe2Pattern(ast: Node): Re2Translation {
  const t = new Translator(findTagPath(ast));
  try {
    const body = t.emit(ast, { tail: true, head: true, inTag: false }, 0);
    return {
      pattern: `^(?:${body})`,
      layout: { group: t.tagGroup, constant: t.constant, plus: t.plus, minus: t.minus },
    };
  } catch (e) {
    if (e instanceof Unsupported) return { unsupported: e.reason };
    throw e;
  }
}

/** The nodes from the root down to the group named `tag` (empty when there is none). */
function findTagPath(ast: Node): Node[] {
  const path: Node[] = [];
  const walk = (n: Node): boolean => {
    path.push(n);
    if (n.t === 'group' && n.tag) return true;
    const kids = n.t === 'seq' ? n.items : n.t === 'alt' ? n.alts : n.t === 'group' || n.t === 'repeat' ? [n.body] : [];
    for (const k of kids) if (walk(k)) return true;
    path.pop();
    return false;
  };
  walk(ast);
  return path;
}

class Translator {
  /** Capture groups emitted so far: RE2 numbers groups by their opening parenthesis. */
  groups = 0;
  tagGroup = 0;
  constant = 0;
  plus: number[] = [];
  minus: number[] = [];
  private onPath: Set<Node>;

  constructor(path: Node[]) {
    this.onPath = new Set(path);
  }

  private capture(): number {
    return ++this.groups;
  }

  /** Emits `n` as a sequence of RE2 items; `depth` guards against runaway recursion. */
  emit(n: Node, ctx: Ctx, depth: number): string {
    const path = this.onPath.has(n);
    switch (n.t) {
      case 'empty':
        return '';
      case 'set':
        if (n.crlf) throw new Unsupported('`.` under (*CRLF) refuses only the CR of a CRLF, which needs a lookahead in RE2');
        return setToRe2(n.set);
      case 'seq':
        return this.emitSeq(n.items, ctx, depth, path);
      case 'alt':
        return n.alts.map((a) => this.emit(a, ctx, depth + 1)).join('|');
      case 'group': {
        if (n.tag) {
          this.tagGroup = this.capture();
          return `(?P<tag>${this.emit(n.body, { ...ctx, inTag: true }, depth + 1)})`;
        }
        return `(?:${this.emit(n.body, ctx, depth + 1)})`;
      }
      case 'repeat':
        return this.emitRepeat(n, ctx, depth, path);
      case 'assert':
        if (n.nl !== 'lf' && (n.kind === 'mbol' || n.kind === 'eosnl' || n.kind === 'meol')) {
          throw new Unsupported('line assertions under a newline convention other than LF are not translated');
        }
        return this.emitAssert(n.kind, ctx);
      case 'cluster':
        throw new Unsupported('\\X is atomic in PCRE (it never splits a CRLF) and RE2 has no atomic groups');
      case 'newline':
        if (n.anycrlf) throw new Unsupported('\\R under (*BSR_ANYCRLF) is not translated');
        if (!ctx.tail) {
          throw new Unsupported(
            '\\R is atomic in PCRE (it never gives back the LF of a CRLF) and RE2 has no atomic groups; only a \\R at the very end of a rule can be translated',
          );
        }
        return '(?:\\x{0d}\\x{0a}|[\\x{0a}-\\x{0d}\\x{85}])';
    }
  }

  private emitSeq(items: Node[], ctx: Ctx, depth: number, path: boolean): string {
    // Which item leads to the tag; the items before it give the tag's offset within this sequence.
    const at = path ? items.findIndex((it) => this.onPath.has(it)) : -1;
    let out = '';
    let consumedBefore = false;
    let prefixWidth: number | null = 0;
    for (let k = 0; k < at; k++) {
      const w = fixedWidth(items[k]);
      prefixWidth = prefixWidth === null || w === null ? null : prefixWidth + w;
    }
    if (at > 0) {
      if (prefixWidth !== null) this.constant += prefixWidth;
      else {
        this.plus.push(this.capture());
        out += '(';
      }
    }
    for (let k = 0; k < items.length; k++) {
      if (k === at && at > 0 && prefixWidth === null) out += ')';
      const tail = ctx.tail && items.slice(k + 1).every(isNothing);
      const head = ctx.head && !consumedBefore;
      out += this.atomOrGroup(items[k], { ...ctx, tail, head }, depth + 1, false);
      if (!alwaysZeroWidth(items[k])) consumedBefore = true;
    }
    return out;
  }

  /** Emits a node so that a following quantifier or item binds to all of it. */
  private atomOrGroup(n: Node, ctx: Ctx, depth: number, forQuantifier: boolean): string {
    if (depth > 1000) throw new Unsupported('the rule is nested too deeply');
    const s = this.emit(n, ctx, depth);
    if (n.t === 'set' || n.t === 'group') return s;
    if (n.t === 'alt' || (forQuantifier && s !== '')) return `(?:${s})`;
    if (forQuantifier) return '(?:)';
    return s;
  }

  private emitRepeat(n: Extract<Node, { t: 'repeat' }>, ctx: Ctx, depth: number, path: boolean): string {
    const { min, max, greedy, body } = n;
    if (min > RE2_MAX_REPEAT || (max !== Infinity && max > RE2_MAX_REPEAT)) {
      throw new Unsupported(`a repeat count above ${RE2_MAX_REPEAT} (RE2's limit): {${min}${max === min ? '' : `,${max === Infinity ? '' : max}`}}`);
    }
    // PCRE compiles x{0} away, tag group included: it never takes part.
    if (max === 0) return '';
    const q =
      (min === 0 && max === Infinity
        ? '*'
        : min === 1 && max === Infinity
          ? '+'
          : min === 0 && max === 1
            ? '?'
            : max === Infinity
              ? `{${min},}`
              : min === max
                ? `{${min}}`
                : `{${min},${max}}`) + (greedy || min === max ? '' : '?');
    const inner: Ctx = { tail: ctx.tail && max <= 1, head: ctx.head && max <= 1, inTag: ctx.inTag };
    if (!path || max <= 1) return this.atomOrGroup(body, inner, depth + 1, true) + q;

    // The tag is inside a repeat that can iterate: it is in the last iteration, which starts after
    // all the others. That only holds if every iteration sets the tag.
    if (!alwaysSetsTag(body)) {
      throw new Unsupported(
        'the tag group is inside a repeat whose iterations need not all set it (e.g. (?:a|(?<tag>b))+): ' +
          'RE2 reports group texts, not positions, so the iteration that set the tag cannot be told',
      );
    }
    const w = fixedWidth(body);
    if (w !== null && min === max) {
      this.constant += (min - 1) * w;
      return this.atomOrGroup(body, inner, depth + 1, true) + q;
    }
    const whole = this.capture();
    this.plus.push(whole);
    let iteration: string;
    if (w !== null) {
      this.constant -= w;
      iteration = this.atomOrGroup(body, inner, depth + 1, true);
    } else {
      const last = this.capture();
      this.minus.push(last);
      iteration = `(${this.emit(body, inner, depth + 1)})`;
    }
    return `(${iteration}${q})`;
  }

  private emitAssert(kind: Extract<Node, { t: 'assert' }>['kind'], ctx: Ctx): string {
    switch (kind) {
      case 'bos':
        return '\\A';
      case 'eos':
        return '\\z';
      // RE2's \b and \B look at ASCII word characters [0-9A-Za-z_] only, in UTF-8 mode too, as
      // PCRE's default tables do in non-UCP mode: U+0080–U+00FF are not word characters.
      case 'word':
        return '\\b';
      case 'nonword':
        return '\\B';
      case 'wordstart':
      case 'wordend':
        throw new Unsupported('[[:<:]] and [[:>:]] need a lookaround in RE2');
      case 'mbol':
        if (ctx.head) return '\\A';
        throw new Unsupported(
          '^ in multiline mode (?m) matches after an LF that is not the last byte, which RE2 cannot express; only at the start of a rule can it be translated',
        );
      case 'eosnl':
      case 'meol': {
        const what = kind === 'eosnl' ? '$ (or \\Z), which also matches before a final LF,' : '$ in multiline mode (?m)';
        if (!ctx.tail) {
          throw new Unsupported(`${what} needs a lookahead in RE2; only at the very end of a rule can it be translated`);
        }
        if (ctx.inTag) {
          throw new Unsupported(`${what} inside the tag group cannot be translated: RE2 would put the LF it looks at into the tag`);
        }
        return kind === 'eosnl' ? '(?:\\x{0a}?\\z)' : '(?:\\x{0a}|\\z)';
      }
    }
  }
}

/** One byte as RE2 text: ASCII letters, digits and `_` as themselves (for readable patterns), else `\x{hh}`. */
function lit(b: number): string {
  const plain = (b >= 0x30 && b <= 0x39) || (b >= 0x41 && b <= 0x5a) || (b >= 0x61 && b <= 0x7a) || b === 0x5f;
  return plain ? String.fromCharCode(b) : `\\x{${b.toString(16).padStart(2, '0')}}`;
}

/** A byte set as an RE2 class over U+0000–U+00FF (a single byte as a literal). */
export function setToRe2(set: ByteSet): string {
  const ranges: [number, number][] = [];
  for (let b = 0; b < 256; b++) {
    if (!hasByte(set, b)) continue;
    const last = ranges[ranges.length - 1];
    if (last && last[1] === b - 1) last[1] = b;
    else ranges.push([b, b]);
  }
  // An empty set matches nothing: the class of every code point, negated.
  if (ranges.length === 0) return '[^\\x{0}-\\x{10ffff}]';
  if (ranges.length === 1 && ranges[0][0] === ranges[0][1]) return lit(ranges[0][0]);
  return `[${ranges.map(([lo, hi]) => (lo === hi ? lit(lo) : hi === lo + 1 ? lit(lo) + lit(hi) : `${lit(lo)}-${lit(hi)}`)).join('')}]`;
}

/** Width in bytes of every match of `n`, or null when it varies. */
export function fixedWidth(n: Node): number | null {
  switch (n.t) {
    case 'empty':
    case 'assert':
      return 0;
    case 'set':
      return 1;
    case 'newline':
    case 'cluster':
      return null;
    case 'group':
      return fixedWidth(n.body);
    case 'seq': {
      let sum = 0;
      for (const it of n.items) {
        const w = fixedWidth(it);
        if (w === null) return null;
        sum += w;
      }
      return sum;
    }
    case 'alt': {
      const w = fixedWidth(n.alts[0]);
      return n.alts.every((a) => fixedWidth(a) === w) ? w : null;
    }
    case 'repeat': {
      if (n.max === 0) return 0;
      const w = fixedWidth(n.body);
      return w !== null && n.min === n.max ? w * n.min : w === 0 ? 0 : null;
    }
  }
}

/** Matches only the empty string (possibly with assertions): never consumes a byte. */
function alwaysZeroWidth(n: Node): boolean {
  return fixedWidth(n) === 0;
}

/** Matches nothing at all: no byte, no assertion. */
function isNothing(n: Node): boolean {
  switch (n.t) {
    case 'empty':
      return true;
    case 'group':
      return !n.tag && isNothing(n.body);
    case 'seq':
      return n.items.every(isNothing);
    case 'alt':
      return n.alts.every(isNothing);
    case 'repeat':
      return n.max === 0 || isNothing(n.body);
    default:
      return false;
  }
}
