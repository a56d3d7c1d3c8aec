import {
  addByte,
  addRange,
  addSet,
  CLASS_SETS,
  emptySet,
  foldCase,
  hasByte,
  invert,
  posixClass,
  setOf,
  type ByteSet,
  type Item,
  type NewlineKind,
  type Node,
  type SetNode,
  type TypeName,
} from './ast.ts';
import { property, PROPERTY_NAMES } from './unicode.ts';

/** A problem in one rule; offsets are byte offsets into the rule's UTF-8 bytes. */
export interface RuleProblem {
  code: string;
  message: string;
  at: number;
  endAt: number;
}

/** What the rule's start-of-pattern items set that is not in the tree. */
export interface RuleOptions {
  /** (*NOTEMPTY), (*NOTEMPTY_ATSTART): an empty match is no match (anchored, both mean the same). */
  notEmpty: boolean;
  /** (*NO_AUTO_POSSESS) turns PCRE's auto-possessification off. */
  autoPossess: boolean;
}

export type ParseResult = { ok: true; ast: Node; names: string[]; options: RuleOptions; newline: NewlineKind } | { ok: false; problem: RuleProblem };

interface Flags {
  i: boolean;
  m: boolean;
  s: boolean;
  x: boolean;
  xx: boolean;
  n: boolean;
  U: boolean;
}

class Fail {
  constructor(readonly problem: RuleProblem) {}
}

/** PCRE2's repeat limit. */
const MAX_REPEAT = 65535;
const MAX_DEPTH = 250;

const UNSUPPORTED_HELP = 'it is valid PCRE, but it needs backtracking, which a linear-time engine does not do';

/**
 * Parses one rule as PCRE2 (10.42) does in 8-bit non-UTF mode, over the rule's UTF-8 bytes (so a
 * non-ASCII literal stands for its UTF-8 bytes, and a quantifier after it repeats only its last byte,
 * exactly as PCRE does in byte mode). Constructs a linear-time engine cannot run are refused with a
 * code of their own (`unsupported-…`), distinct from syntax errors (`syntax`).
 */
export function parseRule(src: Uint8Array): ParseResult {
  const p = new Parser(src);
  try {
    p.parseStartItems();
    const ast = p.parseAlternation({ i: false, m: false, s: false, x: false, xx: false, n: false, U: false }, 0);
    if (p.pos < src.length) p.fail('syntax', 'unmatched closing parenthesis )', p.pos, p.pos + 1);
    markTag(ast, p.numbers.get('tag') ?? -1);
    return { ok: true, ast, names: [...p.numbers.keys()], options: { notEmpty: p.notEmpty, autoPossess: p.autoPossess }, newline: p.newline };
  } catch (e) {
    if (e instanceof Fail) return { ok: false, problem: e.problem };
    throw e;
  }
}

/** Marks the groups whose number is the one named `tag` (several in a branch reset). */
function markTag(n: Node, tag: number): void {
  switch (n.t) {
    case 'group':
      n.tag = n.number > 0 && n.number === tag;
      markTag(n.body, tag);
      return;
    case 'seq':
      for (const item of n.items) markTag(item, tag);
      return;
    case 'alt':
      for (const alt of n.alts) markTag(alt, tag);
      return;
    case 'repeat':
      markTag(n.body, tag);
      return;
  }
}

/** PCRE2's start-of-pattern items (pcre2pattern, "Special start-of-pattern items"), each `(*NAME)`. */
const NEWLINES: Record<string, NewlineKind> = { CR: 'cr', LF: 'lf', CRLF: 'crlf', ANYCRLF: 'anycrlf', ANY: 'any', NUL: 'nul' };
const NO_EFFECT = ['NO_DOTSTAR_ANCHOR', 'NO_JIT', 'NO_START_OPT'];
const LIMITS = ['LIMIT_HEAP', 'LIMIT_MATCH', 'LIMIT_DEPTH', 'LIMIT_RECURSION'];
/** The backtracking control verbs; any other `(*NAME)` is an error in PCRE. */
const VERBS = ['ACCEPT', 'FAIL', 'F', 'COMMIT', 'PRUNE', 'SKIP', 'THEN', 'MARK', ''];

const ch = (s: string) => s.charCodeAt(0);
const isDigit = (c: number) => c >= 0x30 && c <= 0x39;
const isWordByte = (c: number) => isDigit(c) || (c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a) || c === 0x5f;
const isSpaceX = (c: number) => c === 0x20 || (c >= 0x09 && c <= 0x0d);
const hexDigit = (c: number) => (isDigit(c) ? c - 0x30 : c >= 0x61 && c <= 0x66 ? c - 0x57 : c >= 0x41 && c <= 0x46 ? c - 0x37 : -1);

class Parser {
  pos = 0;
  /** Each group name and its number. */
  numbers = new Map<string, number>();
  /** The name of each named group number. */
  private nameOf = new Map<number, string>();
  /** Capture groups opened so far: PCRE reads \NN as a backreference only if that many exist. */
  captures = 0;
  /** The highest group number so far (a branch reset makes `captures` go back). */
  private topCapture = 0;
  newline: NewlineKind = 'lf';
  bsrAnyCrlf = false;
  notEmpty = false;
  autoPossess = true;
  constructor(readonly src: Uint8Array) {}

  /**
   * The items PCRE reads only at the very start: newline and \R conventions, (*NOTEMPTY…), settings
   * that change nothing a match finds (optimisations, JIT, resource limits); (*UTF) and (*UCP) are
   * refused with their reason. Anywhere else `(*` is a verb (see parseGroup).
   */
  parseStartItems(): void {
    while (this.startsWith('(*')) {
      const start = this.pos;
      let j = this.pos + 2;
      while (j < this.src.length && (isWordByte(this.src[j]) || this.src[j] === ch('='))) j++;
      if (this.src[j] !== ch(')')) return;
      const item = String.fromCharCode(...this.src.subarray(this.pos + 2, j));
      const [name, value] = item.split('=');
      if (value !== undefined) {
        // (*LIMIT_MATCH=d): a decimal below 2^32, as PCRE2 reads it.
        if (!LIMITS.includes(name) || !/^[0-9]+$/.test(value) || Number(value) > 0xffffffff) {
          this.fail('syntax', '(*VERB) not recognized or malformed', start, j + 1);
        }
      } else if (name in NEWLINES) this.newline = NEWLINES[name];
      else if (name === 'BSR_ANYCRLF' || name === 'BSR_UNICODE') this.bsrAnyCrlf = name === 'BSR_ANYCRLF';
      else if (name === 'NOTEMPTY' || name === 'NOTEMPTY_ATSTART') this.notEmpty = true;
      else if (name === 'NO_AUTO_POSSESS') this.autoPossess = false;
      else if (name === 'UTF' || name === 'UTF8') {
        this.fail(
          'unsupported-utf',
          `(*${name}) is not supported: it makes PCRE read the rule and keys as UTF-8 characters, ` +
            'and this tool matches rules byte by byte, as the server does without it',
          start,
          j + 1,
        );
      } else if (name === 'UCP') {
        this.fail(
          'unsupported-ucp',
          '(*UCP) is not supported: it gives \\d, \\w, \\s and \\b their Unicode meanings, which this tool does not model',
          start,
          j + 1,
        );
      } else if (!NO_EFFECT.includes(name)) return;
      this.pos = j + 1;
    }
  }

  fail(code: string, message: string, at: number, endAt = at + 1): never {
    throw new Fail({ code, message, at, endAt: Math.max(endAt, at + 1) });
  }

  unsupported(code: string, what: string, at: number, endAt: number): never {
    this.fail(`unsupported-${code}`, `${what} is not supported: ${UNSUPPORTED_HELP}`, at, endAt);
  }

  peek(k = 0): number {
    return this.pos + k < this.src.length ? this.src[this.pos + k] : -1;
  }

  startsWith(text: string): boolean {
    for (let k = 0; k < text.length; k++) if (this.peek(k) !== text.charCodeAt(k)) return false;
    return true;
  }

  /**
   * Skips what PCRE treats as absent between items, even between an item and its quantifier:
   * `(?#…)` comments, `\E`, an empty `\Q\E`, and in extended mode white space and #-comments.
   */
  skipIgnorable(f: Flags): void {
    for (;;) {
      const c = this.peek();
      if (f.x && isSpaceX(c)) this.pos++;
      else if (f.x && c === ch('#')) {
        // A comment runs to the next newline of the rule's convention, which it includes.
        while (this.pos < this.src.length) {
          const nl = newlineAt(this.src, this.pos, this.src.length, this.newline);
          if (nl > 0) {
            this.pos += nl;
            break;
          }
          this.pos++;
        }
      } else if (this.startsWith('(?#')) this.skipComment();
      else if (this.startsWith('\\Q\\E')) this.pos += 4;
      else if (this.startsWith('\\E')) this.pos += 2;
      else return;
    }
  }

  skipComment(): void {
    const start = this.pos;
    while (this.pos < this.src.length && this.src[this.pos] !== ch(')')) this.pos++;
    if (this.pos >= this.src.length) this.fail('syntax', 'missing ) at end of (?# comment', start, this.src.length);
    this.pos++;
  }

  parseAlternation(flags: Flags, depth: number): Node {
    if (depth > MAX_DEPTH) this.fail('syntax', 'parentheses are too deeply nested', this.pos);
    const f = { ...flags };
    const alts: Node[] = [this.parseSequence(f, depth)];
    while (this.peek() === ch('|')) {
      this.pos++;
      alts.push(this.parseSequence(f, depth));
    }
    return alts.length === 1 ? alts[0] : { t: 'alt', alts };
  }

  /** Parses items up to `|`, `)` or the end. Option settings like `(?i)` change `f` in place. */
  parseSequence(f: Flags, depth: number): Node {
    const items: Node[] = [];
    for (;;) {
      this.skipIgnorable(f);
      const c = this.peek();
      if (c < 0 || c === ch('|') || c === ch(')')) break;
      if (this.startsWith('\\Q')) {
        // Quoted text is literals one by one: a quantifier after it repeats only the last byte.
        this.pos += 2;
        const start = this.pos;
        while (this.pos < this.src.length && !this.startsWith('\\E')) this.pos++;
        const bytes = this.src.subarray(start, this.pos);
        if (this.startsWith('\\E')) this.pos += 2;
        for (let k = 0; k + 1 < bytes.length; k++) items.push(this.lit(bytes[k], f));
        if (bytes.length > 0) items.push(this.parseQuantifiers(this.lit(bytes[bytes.length - 1], f), f));
        continue;
      }
      const atom = this.parseAtom(f, depth);
      if (atom === null) continue; // an option setting
      items.push(this.parseQuantifiers(atom, f));
    }
    return items.length === 1 ? items[0] : items.length === 0 ? { t: 'empty' } : { t: 'seq', items };
  }

  parseQuantifiers(atom: Node, f: Flags): Node {
    this.skipIgnorable(f);
    const q = this.readQuantifier();
    if (q === null) return atom;
    if (atom.t === 'assert') {
      // [[:<:]] is \b(?=\w): the quantifier binds to the lookahead, which PCRE skips when it may
      // repeat zero times (an assertion consumes nothing) and runs once otherwise.
      if (atom.kind !== 'wordstart' && atom.kind !== 'wordend') this.fail('syntax', 'quantifier does not follow a repeatable item', q.at, this.pos);
      this.skipIgnorable(f);
      if (this.peek() === ch('?') || this.peek() === ch('+')) this.pos++;
      if (q.max !== Infinity && q.min > q.max) this.fail('syntax', 'numbers out of order in {} quantifier', q.at, this.pos);
      return q.min === 0 ? { t: 'assert', kind: 'word', nl: atom.nl } : atom;
    }
    let greedy = true;
    this.skipIgnorable(f);
    const suffix = this.peek();
    if (suffix === ch('?')) {
      greedy = false;
      this.pos++;
    }
    let possessive = false;
    if (suffix === ch('+')) {
      // On one character a possessive repeat is a run that gives nothing back; on a group it is an atomic group.
      if (atom.t !== 'set' && atom.t !== 'newline' && atom.t !== 'cluster') {
        this.unsupported('atomic', 'a possessive quantifier on a group (an atomic group)', q.at, this.pos + 1);
      }
      possessive = true;
      this.pos++;
    } else if (f.U) greedy = !greedy;
    if (q.max !== Infinity && q.min > q.max) this.fail('syntax', 'numbers out of order in {} quantifier', q.at, this.pos);
    const node: Node = { t: 'repeat', min: q.min, max: q.max, greedy: greedy || possessive, possessive, body: atom };
    this.skipIgnorable(f);
    const again = this.peek();
    if (again === ch('*') || again === ch('+') || again === ch('?') || (again === ch('{') && this.quantifierBraceAt(this.pos))) {
      this.fail('syntax', 'quantifier does not follow a repeatable item', this.pos);
    }
    return node;
  }

  readQuantifier(): { min: number; max: number; at: number } | null {
    const at = this.pos;
    const c = this.peek();
    if (c === ch('*')) return (this.pos++, { min: 0, max: Infinity, at });
    if (c === ch('+')) return (this.pos++, { min: 1, max: Infinity, at });
    if (c === ch('?')) return (this.pos++, { min: 0, max: 1, at });
    if (c === ch('{')) {
      const end = this.quantifierBraceAt(this.pos);
      if (!end) return null;
      const body = String.fromCharCode(...this.src.subarray(this.pos + 1, end - 1));
      const [a, b] = body.split(',');
      const min = Number(a);
      const max = b === undefined ? min : b === '' ? Infinity : Number(b);
      if (min > MAX_REPEAT || (max !== Infinity && max > MAX_REPEAT)) {
        this.fail('syntax', 'number too big in {} quantifier', at, end);
      }
      this.pos = end;
      return { min, max, at };
    }
    return null;
  }

  /** PCRE2 10.42 reads `{` as a quantifier only in the forms {n}, {n,} and {n,m}; else it is a literal. */
  quantifierBraceAt(i: number): number {
    let j = i + 1;
    const digits = () => {
      const s = j;
      while (j < this.src.length && isDigit(this.src[j])) j++;
      return j > s;
    };
    if (!digits()) return 0;
    if (this.src[j] === ch('}')) return j + 1;
    if (this.src[j] !== ch(',')) return 0;
    j++;
    digits();
    return this.src[j] === ch('}') ? j + 1 : 0;
  }

  lit(b: number, f: Flags): Node {
    return charNode(b, f.i, false);
  }

  /** `.` (and `\N`, which ignores (?s)): any byte but the newline of the rule's convention. */
  dot(dotAll: boolean): SetNode {
    if (dotAll) return { t: 'set', set: invert(emptySet()), item: { k: 'type', type: 'allany' } };
    const item: Item = { k: 'type', type: 'any' };
    // Under (*CRLF) only a CR that starts a CRLF is a newline: no byte set says that.
    if (this.newline === 'crlf') return { t: 'set', set: invert(emptySet()), crlf: true, item };
    return { t: 'set', set: invert(NEWLINE_BYTES[this.newline]), item };
  }

  parseAtom(f: Flags, depth: number): Node | null {
    const start = this.pos;
    const c = this.src[this.pos++];
    switch (c) {
      case ch('('):
        return this.parseGroup(f, depth, start);
      case ch('['): {
        // [[:<:]] and [[:>:]]: start and end of a word (PCRE's \b(?=\w) and \b(?<=\w)).
        if (this.startsWith('[:<:]]') || this.startsWith('[:>:]]')) {
          const kind = this.peek(2) === ch('<') ? 'wordstart' : 'wordend';
          this.pos += 6;
          return { t: 'assert', kind, nl: this.newline };
        }
        const c1 = this.peek();
        if ((c1 === ch(':') || c1 === ch('.') || c1 === ch('=')) && this.src.length - this.pos >= 3 && posixSyntaxEnd(this.src, this.pos) > 0) {
          this.fail('syntax', 'POSIX named classes are supported only within a class, as in [[:alpha:]]', start, posixSyntaxEnd(this.src, this.pos) + 2);
        }
        return this.parseClass(f, start);
      }
      case ch('.'):
        return this.dot(f.s);
      case ch('^'):
        return { t: 'assert', kind: f.m ? 'mbol' : 'bos', nl: this.newline };
      case ch('$'):
        return { t: 'assert', kind: f.m ? 'meol' : 'eosnl', nl: this.newline };
      case ch('\\'):
        return this.parseEscape(f, start);
      case ch('*'):
      case ch('+'):
      case ch('?'):
        this.fail('syntax', 'quantifier does not follow a repeatable item', start);
      // falls through (fail never returns)
      case ch('{'):
        if (this.quantifierBraceAt(start)) this.fail('syntax', 'quantifier does not follow a repeatable item', start);
        return this.lit(c, f);
      default:
        return this.lit(c, f);
    }
  }

  parseGroup(f: Flags, depth: number, start: number): Node | null {
    if (this.peek() === ch('*')) return this.verb(start);
    if (this.peek() !== ch('?')) {
      // A plain group captures unless (?n) is on.
      return this.finishGroup(f, depth, start, null, false, !f.n);
    }
    this.pos++;
    const c = this.peek();
    const two = this.peek(1);
    if (c === ch(':')) return (this.pos++, this.finishGroup(f, depth, start, null));
    if (c === ch('#')) return (this.pos--, this.skipComment(), null);
    if (c === ch('=') || c === ch('!')) this.unsupported('lookahead', 'a lookahead assertion (?= or (?!', start, this.pos + 1);
    if (c === ch('<') && (two === ch('=') || two === ch('!'))) {
      this.unsupported('lookbehind', 'a lookbehind assertion (?<= or (?<!', start, this.pos + 2);
    }
    if (c === ch('>')) this.unsupported('atomic', 'an atomic group (?>…)', start, this.pos + 1);
    if (c === ch('|')) return (this.pos++, this.finishGroup(f, depth, start, null, false, false, true));
    if (c === ch('(')) this.unsupported('conditional', 'a conditional group (?(…)…)', start, this.pos + 1);
    if (c === ch('C')) return (this.pos++, this.callout(start));
    if (c === ch('R') || isDigit(c) || ((c === ch('+') || c === ch('-')) && isDigit(two)) || c === ch('&')) {
      this.unsupported('recursion', 'recursion or a subroutine call such as (?R) or (?1)', start, this.pos + 1);
    }
    if (c === ch('P')) {
      if (two === ch('<')) return ((this.pos += 2), this.finishGroup(f, depth, start, this.readName(ch('>'))));
      if (two === ch('=')) this.unsupported('backreference', 'a backreference (?P=name)', start, this.pos + 2);
      if (two === ch('>')) this.unsupported('recursion', 'a subroutine call (?P>name)', start, this.pos + 2);
      this.fail('syntax', 'unrecognized character after (?P', this.pos, this.pos + 2);
    }
    if (c === ch('<')) return (this.pos++, this.finishGroup(f, depth, start, this.readName(ch('>'))));
    if (c === ch("'")) return (this.pos++, this.finishGroup(f, depth, start, this.readName(ch("'"))));
    return this.parseOptions(f, depth, start);
  }

  /** `(?imsxnU-imsxnU)` for the rest of the group, or `(?i:…)` for a group of its own. */
  parseOptions(f: Flags, depth: number, start: number): Node | null {
    const next = { ...f };
    let on = true;
    if (this.peek() === ch('^')) {
      this.pos++;
      Object.assign(next, { i: false, m: false, s: false, x: false, xx: false, n: false, U: false });
    }
    for (;;) {
      const c = this.peek();
      if (c === ch(')') || c === ch(':')) break;
      if (c === ch('-') && on) {
        on = false;
        this.pos++;
        continue;
      }
      if (c === ch('x') && this.peek(1) === ch('x')) {
        next.x = next.xx = on;
        this.pos += 2;
        continue;
      }
      const name = String.fromCharCode(c);
      if (c >= 0 && 'imsxnU'.includes(name)) {
        next[name as 'i'] = on;
        if (name === 'x' && !on) next.xx = false;
        this.pos++;
        continue;
      }
      if (c === ch('J')) {
        this.fail(
          'unsupported-dupnames',
          '(?J) is not supported: it allows several groups named tag, and which one the server would hash is not documented',
          start,
          this.pos + 1,
        );
      }
      if (c < 0) this.fail('syntax', 'missing ) after (? option setting', start, this.pos);
      this.fail('syntax', `unrecognized character after (? or (?-: ${name}`, this.pos);
    }
    if (this.src[this.pos++] === ch(')')) {
      Object.assign(f, next);
      return null;
    }
    return this.finishGroup(next, depth, start, null, true, false);
  }

  /**
   * `(*…)` after the start: a backtracking verb or an alpha assertion such as (*pla:…), which need
   * backtracking; a name PCRE does not know is its syntax error.
   */
  verb(start: number): never {
    let j = this.pos + 1;
    while (j < this.src.length && isWordByte(this.src[j])) j++;
    const name = String.fromCharCode(...this.src.subarray(this.pos + 1, j));
    const next = this.src[j];
    if (next === ch(':') && name.length > 0 && name === name.toLowerCase()) {
      this.unsupported('verb', `the alpha assertion (*${name}:…)`, start, j + 1);
    }
    if ((next === ch(')') || next === ch(':')) && VERBS.includes(name)) {
      this.unsupported('verb', `the backtracking control verb (*${name || ':NAME'})`, start, j + 1);
    }
    if (name.length === 0) this.fail('syntax', 'quantifier does not follow a repeatable item', this.pos);
    this.fail('syntax', '(*VERB) not recognized or malformed', start, j + 1);
  }

  /**
   * A callout `(?C)`, `(?Cn)` or `(?C"text")`: with no callout function set (the server sets none) it
   * matches nothing and changes nothing, so it is skipped like a comment.
   */
  callout(start: number): null {
    const c = this.peek();
    if (isDigit(c)) {
      let n = 0;
      while (isDigit(this.peek())) n = n * 10 + this.src[this.pos++] - 0x30;
      if (n > 255) this.fail('syntax', 'number after (?C is greater than 255', start, this.pos);
    } else if (c >= 0 && c !== ch(')')) {
      const open = String.fromCharCode(c);
      const close = open === '{' ? ch('}') : c;
      if (!'`\'"^%#${'.includes(open)) this.fail('syntax', 'unrecognized string delimiter follows (?C', this.pos);
      this.pos++;
      for (;;) {
        if (this.pos >= this.src.length) this.fail('syntax', 'missing terminating delimiter for callout with string argument', start, this.src.length);
        if (this.src[this.pos] === close) {
          // A doubled delimiter stands for itself.
          if (this.peek(1) === close) this.pos += 2;
          else break;
        } else this.pos++;
      }
      this.pos++;
    }
    if (this.peek() !== ch(')')) this.fail('syntax', 'closing parenthesis for (?C expected', this.pos);
    this.pos++;
    return null;
  }

  readName(term: number): string {
    const s = this.pos;
    if (isDigit(this.peek())) this.fail('syntax', 'a group name must not start with a digit', s);
    while (isWordByte(this.peek())) this.pos++;
    const name = String.fromCharCode(...this.src.subarray(s, this.pos));
    if (this.peek() !== term) {
      this.fail('syntax', `syntax error in group name: expected ${String.fromCharCode(term)}`, this.pos);
    }
    if (name.length === 0) this.fail('syntax', 'a group name is expected', s);
    if (name.length > 32) this.fail('syntax', 'group name is too long (maximum 32 characters)', s, this.pos);
    this.pos++;
    return name;
  }

  /**
   * A group up to its `)`. A named group captures; so does a plain one unless (?n) is on. In a branch
   * reset each alternative numbers its groups from the same point (PCRE: a name may then be given to
   * one number in several alternatives, but one number may not have two names).
   */
  finishGroup(f: Flags, depth: number, start: number, name: string | null, ownFlags = false, plain = false, reset = false): Node {
    let number = 0;
    if (name !== null || plain) {
      number = ++this.captures;
      this.topCapture = Math.max(this.topCapture, number);
      if (name !== null) this.nameGroup(name, number, start);
    }
    const flags = ownFlags ? f : { ...f };
    let body: Node;
    if (reset) {
      const base = this.captures;
      let top = base;
      const alts: Node[] = [];
      for (;;) {
        this.captures = base;
        alts.push(this.parseSequence({ ...flags }, depth + 1));
        top = Math.max(top, this.captures);
        if (this.peek() !== ch('|')) break;
        this.pos++;
      }
      this.captures = top;
      body = alts.length === 1 ? alts[0] : { t: 'alt', alts };
    } else body = this.parseAlternation(flags, depth + 1);
    if (this.peek() !== ch(')')) this.fail('syntax', 'missing closing parenthesis )', start, this.src.length);
    this.pos++;
    return { t: 'group', name, number, tag: false, body };
  }

  nameGroup(name: string, number: number, start: number): void {
    const had = this.numbers.get(name);
    if (had !== undefined && had !== number) {
      this.fail('syntax', `two named subpatterns have the same name: ${name}`, start, this.pos);
    }
    const other = this.nameOf.get(number);
    if (other !== undefined && other !== name) {
      this.fail('syntax', 'different names for subpatterns of the same number are not allowed', start, this.pos);
    }
    this.numbers.set(name, number);
    this.nameOf.set(number, name);
  }

  parseEscape(f: Flags, start: number): Node {
    if (this.pos >= this.src.length) this.fail('syntax', '\\ at end of pattern', start);
    const c = this.src[this.pos++];
    switch (c) {
      case ch('A'):
        return { t: 'assert', kind: 'bos', nl: this.newline };
      case ch('G'):
        return { t: 'assert', kind: 'bos', nl: this.newline }; // start of match = start of key (anchored)
      case ch('z'):
        return { t: 'assert', kind: 'eos', nl: this.newline };
      case ch('Z'):
        return { t: 'assert', kind: 'eosnl', nl: this.newline };
      case ch('b'):
        return { t: 'assert', kind: 'word', nl: this.newline };
      case ch('B'):
        return { t: 'assert', kind: 'nonword', nl: this.newline };
      case ch('R'):
        return { t: 'newline', anycrlf: this.bsrAnyCrlf };
      case ch('N'):
        // \N{3} is a repeated \N; \N{name} and \N{U+hhhh} are for UTF mode only.
        if (this.peek() === ch('{') && !this.quantifierBraceAt(this.pos)) {
          this.fail('syntax', '\\N{name} and \\N{U+hhhh} are supported only in UTF mode', start, this.pos + 1);
        }
        return this.dot(false);
      case ch('K'):
        this.unsupported('keep', '\\K (reset match start)', start, this.pos);
      // falls through
      case ch('X'):
        return { t: 'cluster' };
      case ch('C'):
        return this.dot(true);
      case ch('p'):
      case ch('P'): {
        const p = this.readProperty(c === ch('P'), start);
        return { t: 'set', set: p.set, item: { k: 'prop', comparable: p.comparable, inClass: false } };
      }
      case ch('g'):
        if (this.peek() === ch('<') || this.peek() === ch("'")) {
          this.unsupported('recursion', 'a subroutine call \\g<…>', start, this.pos + 1);
        }
        this.unsupported('backreference', 'a backreference \\g', start, this.pos);
      // falls through
      case ch('k'):
        this.unsupported('backreference', 'a backreference \\k<name>', start, this.pos);
      // falls through
    }
    if (isDigit(c) && c !== ch('0')) {
      // PCRE2: a decimal number below 10, starting with 8 or 9, or naming an existing group is a
      // backreference; otherwise up to three octal digits are a character.
      let j = this.pos;
      while (isDigit(this.src[j] ?? -1)) j++;
      const number = Number(String.fromCharCode(...this.src.subarray(start + 1, j)));
      if (number < 10 || c >= ch('8') || number <= this.topCapture) {
        this.unsupported('backreference', `a backreference \\${number}`, start, j);
      }
    }
    const typeSet = this.typeEscape(c);
    if (typeSet) return { t: 'set', set: typeSet, item: { k: 'type', type: String.fromCharCode(c) as TypeName } };
    return this.lit(this.literalEscape(c, start, false), f);
  }

  /** `\pL`, `\p{Lu}`, `\p{^Lu}` (after the p or P). */
  readProperty(negated: boolean, start: number): { set: ByteSet; comparable: boolean } {
    let name: string;
    let negate = negated;
    if (this.peek() === ch('{')) {
      const close = this.src.indexOf(ch('}'), this.pos);
      if (close < 0) this.fail('syntax', 'malformed \\P or \\p sequence', start, this.src.length);
      name = String.fromCharCode(...this.src.subarray(this.pos + 1, close));
      if (name.startsWith('^')) {
        negate = !negate;
        name = name.slice(1);
      }
      this.pos = close + 1;
    } else {
      if (this.pos >= this.src.length) this.fail('syntax', 'malformed \\P or \\p sequence', start, this.pos);
      name = String.fromCharCode(this.src[this.pos++]);
    }
    const p = property(name, negate);
    if (!p) {
      this.fail(
        'unsupported-unicode-property',
        `the property ${String.fromCharCode(...this.src.subarray(start, this.pos))} is not supported: this tool knows ${PROPERTY_NAMES}, ` +
          'spelled as PCRE1 spells them (script names mean different sets in PCRE1 and PCRE2)',
        start,
        this.pos,
      );
    }
    return p;
  }

  /** \d \D \s \S \w \W \h \H \v \V, or null. */
  typeEscape(c: number): ByteSet | null {
    const lower = String.fromCharCode(c | 0x20) as 'd';
    if (!'dswhv'.includes(lower)) return null;
    const set = CLASS_SETS[lower]();
    return c >= 0x61 ? set : invert(set);
  }

  /** Escapes that stand for one byte: \a \e \f \n \r \t \0oo \ooo \o{…} \xhh \x{…} \cX, or escaped punctuation. */
  literalEscape(c: number, start: number, inClass: boolean): number {
    switch (c) {
      case ch('a'):
        return 0x07;
      case ch('e'):
        return 0x1b;
      case ch('f'):
        return 0x0c;
      case ch('n'):
        return 0x0a;
      case ch('r'):
        return 0x0d;
      case ch('t'):
        return 0x09;
      case ch('b'):
        if (inClass) return 0x08;
        break;
      case ch('c'): {
        const x = this.peek();
        if (x < 0x20 || x > 0x7e) this.fail('syntax', '\\c must be followed by a printable ASCII character', start, this.pos + 1);
        this.pos++;
        return (x >= 0x61 && x <= 0x7a ? x - 32 : x) ^ 0x40;
      }
      case ch('x'): {
        if (this.peek() === ch('{')) return this.readBraced(16, start);
        let v = 0;
        for (let k = 0; k < 2 && hexDigit(this.peek()) >= 0; k++) v = v * 16 + hexDigit(this.src[this.pos++]);
        return v;
      }
      case ch('o'): {
        if (this.peek() !== ch('{')) this.fail('syntax', 'missing opening brace after \\o', start, this.pos);
        return this.readBraced(8, start);
      }
    }
    if (c >= 0x30 && c <= 0x37) {
      // \0 and up to two more octal digits; or, in a class, \1-\7 with up to three digits.
      let v = c - 0x30;
      for (let k = 0; k < 2 && this.peek() >= 0x30 && this.peek() <= 0x37; k++) v = v * 8 + this.src[this.pos++] - 0x30;
      if (v > 0xff) this.fail('syntax', 'octal value is greater than \\377 in 8-bit non-UTF mode', start, this.pos);
      return v;
    }
    if (isDigit(c)) return c; // \8 and \9 in a class are the digits themselves
    if ((c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a)) {
      this.fail('syntax', `unrecognized character follows \\: \\${String.fromCharCode(c)}`, start, this.pos);
    }
    return c;
  }

  readBraced(radix: number, start: number): number {
    this.pos++;
    const s = this.pos;
    let v = 0;
    while (this.peek() >= 0 && this.peek() !== ch('}')) {
      const d = hexDigit(this.peek());
      if (d < 0 || d >= radix) this.fail('syntax', radix === 16 ? 'non-hex character in \\x{}' : 'non-octal character in \\o{}', this.pos);
      v = v * radix + d;
      if (v > 0xff) this.fail('syntax', 'character code point value in \\x{} or \\o{} is too large', start, this.pos + 1);
      this.pos++;
    }
    if (this.peek() !== ch('}')) this.fail('syntax', 'missing closing brace', start, this.pos);
    if (this.pos === s) this.fail('syntax', 'digits missing in \\x{} or \\o{}', start, this.pos + 1);
    this.pos++;
    return v;
  }

  /**
   * A bracketed class. What PCRE compiles it to matters to auto-possessification: a class of exactly
   * one literal character is OP_CHAR (OP_NOT when negated), one holding a property is compared with
   * nothing, any other is a bitmap.
   */
  parseClass(f: Flags, start: number): SetNode {
    let set = emptySet();
    let negate = false;
    if (this.peek() === ch('^')) {
      negate = true;
      this.pos++;
    }
    let first = true;
    let items = 0;
    let literal = -1;
    let hasProperty = false;
    for (;;) {
      this.skipClassIgnorable();
      if (this.pos >= this.src.length) this.fail('syntax', 'missing terminating ] for character class', start, this.src.length);
      const c = this.src[this.pos];
      if (c === ch(']') && !first) {
        this.pos++;
        break;
      }
      first = false;
      if (f.xx && (c === 0x20 || c === 0x09)) {
        this.pos++;
        continue;
      }
      items++;
      const c1 = this.peek(1);
      if (c === ch('[') && (c1 === ch(':') || c1 === ch('.') || c1 === ch('=')) && this.src.length - this.pos - 1 >= 3) {
        const end = posixSyntaxEnd(this.src, this.pos + 1);
        if (end > 0) {
          addSet(set, this.readPosix(f, end));
          this.skipClassIgnorable();
          if (this.peek() === ch('-') && this.peek(1) !== ch(']') && this.peek(1) >= 0) {
            this.fail('syntax', 'invalid range in character class', this.pos, this.pos + 1);
          }
          continue;
        }
      }
      if (c === ch('\\') && this.peek(1) === ch('Q')) {
        this.pos += 2;
        while (this.pos < this.src.length && !this.startsWith('\\E')) {
          literal = this.src[this.pos];
          addByte(set, this.src[this.pos++]);
          items++;
        }
        items--;
        if (this.startsWith('\\E')) this.pos += 2;
        continue;
      }
      const atStart = this.pos;
      const lo = this.classAtom(start);
      this.skipClassIgnorable();
      if (typeof lo !== 'number') {
        // PCRE2 10.42 refuses a range that starts at a class type, such as [\d-z].
        if (this.peek() === ch('-') && this.peek(1) !== ch(']') && this.peek(1) >= 0) {
          this.fail('syntax', 'invalid range in character class', atStart, this.pos + 1);
        }
        if (lo.property) hasProperty = true;
        addSet(set, lo.set);
        continue;
      }
      // A range, unless the '-' is last or is followed by a class type such as \d.
      if (this.peek() === ch('-') && this.peek(1) !== ch(']') && this.peek(1) >= 0) {
        this.pos++;
        this.skipClassIgnorable();
        if (this.peek() === ch('[') && this.peek(1) === ch(':')) {
          this.fail('syntax', 'invalid range in character class', atStart, this.pos + 1);
        }
        const hi = this.classAtom(start);
        if (typeof hi !== 'number') {
          this.fail('syntax', 'invalid range in character class', atStart, this.pos);
        }
        if (hi < lo) this.fail('syntax', 'range out of order in character class', atStart, this.pos);
        addRange(set, lo, hi);
        items++; // a range is never "one literal"
        continue;
      }
      literal = lo;
      addByte(set, lo);
    }
    if (items === 1 && literal >= 0) {
      const one = charNode(literal, f.i, negate);
      return one;
    }
    if (f.i) set = foldCase(set);
    const item: Item = hasProperty ? { k: 'prop', comparable: false, inClass: true } : { k: 'class' };
    return { t: 'set', set: negate ? invert(set) : set, item };
  }

  classAtom(classStart: number): number | { set: ByteSet; property: boolean } {
    const c = this.src[this.pos++];
    if (c !== ch('\\')) return c;
    if (this.pos >= this.src.length) this.fail('syntax', 'missing terminating ] for character class', classStart, this.src.length);
    const e = this.src[this.pos++];
    const typeSet = this.typeEscape(e);
    if (typeSet) return { set: typeSet, property: false };
    if (e === ch('N') || e === ch('R') || e === ch('X') || e === ch('B')) {
      this.fail('syntax', `escape sequence \\${String.fromCharCode(e)} is invalid in a character class`, this.pos - 2, this.pos);
    }
    if (e === ch('p') || e === ch('P')) return { set: this.readProperty(e === ch('P'), this.pos - 2).set, property: true };
    return this.literalEscape(e, this.pos - 2, true);
  }

  /** Inside a class PCRE ignores `\E` and an empty `\Q\E` entirely (they do not even end "`]` first"). */
  skipClassIgnorable(): void {
    for (;;) {
      if (this.startsWith('\\Q\\E')) this.pos += 4;
      else if (this.startsWith('\\E')) this.pos += 2;
      else return;
    }
  }

  /** `[:name:]` from `[` at this.pos, whose closing `:` is at `end` (see posixSyntaxEnd). */
  readPosix(f: Flags, end: number): ByteSet {
    const open = this.src[this.pos + 1];
    if (open !== ch(':')) this.fail('syntax', 'POSIX collating elements are not supported', this.pos, end + 2);
    let j = this.pos + 2;
    const negated = this.src[j] === ch('^');
    if (negated) j++;
    const written = String.fromCharCode(...this.src.subarray(j, end));
    // Caseless, PCRE2 reads [:upper:] and [:lower:] as [:alpha:], so their negations exclude all letters.
    const name = f.i && (written === 'upper' || written === 'lower') ? 'alpha' : written;
    const set = posixClass(name);
    if (!set) this.fail('syntax', `unknown POSIX class name: ${written}`, this.pos, end + 2);
    this.pos = end + 2;
    return negated ? invert(set) : set;
  }
}

/** A literal byte (or a class of just that byte): OP_CHAR, OP_NOT when negated; caseless, with its other case. */
function charNode(b: number, caseless: boolean, negated: boolean): SetNode {
  let set = setOf(b);
  if (caseless) set = foldCase(set);
  const chars = [b];
  if (caseless) for (let o = 0; o < 256; o++) if (o !== b && hasByte(set, o)) chars.push(o);
  return { t: 'set', set: negated ? invert(set) : set, item: { k: negated ? 'not' : 'char', chars } };
}

/** The bytes that are (or start) a newline under each convention. */
export const NEWLINE_BYTES: Record<NewlineKind, ByteSet> = {
  lf: setOf(0x0a),
  cr: setOf(0x0d),
  crlf: setOf(0x0d),
  anycrlf: setOf(0x0a, 0x0d),
  any: setOf(0x0a, 0x0b, 0x0c, 0x0d, 0x85),
  nul: setOf(0x00),
};

/** The length of the newline of convention `nl` at `bytes[p]` (CRLF is 2), or 0. */
export function newlineAt(bytes: Uint8Array, p: number, end: number, nl: NewlineKind): number {
  if (p >= end) return 0;
  const c = bytes[p];
  const crlf = c === 0x0d && p + 1 < end && bytes[p + 1] === 0x0a;
  switch (nl) {
    case 'lf':
      return c === 0x0a ? 1 : 0;
    case 'cr':
      return c === 0x0d ? 1 : 0;
    case 'crlf':
      return crlf ? 2 : 0;
    case 'anycrlf':
      return crlf ? 2 : c === 0x0a || c === 0x0d ? 1 : 0;
    case 'any':
      return crlf ? 2 : (c >= 0x0a && c <= 0x0d) || c === 0x85 ? 1 : 0;
    case 'nul':
      return c === 0 ? 1 : 0;
  }
}

/**
 * PCRE2's check_posix_syntax: from the `:` (or `.`, `=`) after a `[`, the index of the matching `:]`
 * (any text in between, `\]` and `\\` skipped), or 0 when a `]` or another `[:` comes first.
 */
export function posixSyntaxEnd(src: Uint8Array, at: number): number {
  const term = src[at];
  for (let p = at + 1; src.length - p >= 2; p++) {
    if (src[p] === ch('\\') && (src[p + 1] === ch(']') || src[p + 1] === ch('\\'))) p++;
    else if ((src[p] === ch('[') && src[p + 1] === term) || src[p] === ch(']')) return 0;
    else if (src[p] === term && src[p + 1] === ch(']')) return p;
  }
  return 0;
}
