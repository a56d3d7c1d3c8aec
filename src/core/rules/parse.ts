import { addByte, addRange, addSet, CLASS_SETS, emptySet, foldCase, invert, posixClass, setOf, type ByteSet, type Node } from './ast.ts';

/** A problem in one rule; offsets are byte offsets into the rule's UTF-8 bytes. */
export interface RuleProblem {
  code: string;
  message: string;
  at: number;
  endAt: number;
}

export type ParseResult = { ok: true; ast: Node; names: string[] } | { ok: false; problem: RuleProblem };

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
    const ast = p.parseAlternation({ i: false, m: false, s: false, x: false, xx: false, n: false, U: false }, 0);
    if (p.pos < src.length) p.fail('syntax', 'unmatched closing parenthesis )', p.pos, p.pos + 1);
    return { ok: true, ast, names: p.names };
  } catch (e) {
    if (e instanceof Fail) return { ok: false, problem: e.problem };
    throw e;
  }
}

const ch = (s: string) => s.charCodeAt(0);
const isDigit = (c: number) => c >= 0x30 && c <= 0x39;
const isWordByte = (c: number) => isDigit(c) || (c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a) || c === 0x5f;
const isSpaceX = (c: number) => c === 0x20 || (c >= 0x09 && c <= 0x0d);
const hexDigit = (c: number) => (isDigit(c) ? c - 0x30 : c >= 0x61 && c <= 0x66 ? c - 0x57 : c >= 0x41 && c <= 0x46 ? c - 0x37 : -1);

class Parser {
  pos = 0;
  names: string[] = [];
  /** Capture groups opened so far: PCRE reads \NN as a backreference only if that many exist. */
  captures = 0;
  constructor(readonly src: Uint8Array) {}

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
        while (this.pos < this.src.length && this.src[this.pos] !== 0x0a) this.pos++;
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
    if (atom.t === 'assert') this.fail('syntax', 'quantifier does not follow a repeatable item', q.at, this.pos);
    let greedy = true;
    this.skipIgnorable(f);
    const suffix = this.peek();
    if (suffix === ch('?')) {
      greedy = false;
      this.pos++;
    } else if (suffix === ch('+')) {
      this.unsupported('possessive', 'a possessive quantifier (such as *+ or ++)', q.at, this.pos + 1);
    }
    if (f.U) greedy = !greedy;
    if (q.max !== Infinity && q.min > q.max) this.fail('syntax', 'numbers out of order in {} quantifier', q.at, this.pos);
    const node: Node = { t: 'repeat', min: q.min, max: q.max, greedy, body: atom };
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
    const s = setOf(b);
    return { t: 'set', set: f.i ? foldCase(s) : s };
  }

  parseAtom(f: Flags, depth: number): Node | null {
    const start = this.pos;
    const c = this.src[this.pos++];
    switch (c) {
      case ch('('):
        return this.parseGroup(f, depth, start);
      case ch('['):
        if ((this.peek() === ch(':') || this.peek() === ch('.') || this.peek() === ch('=')) && this.posixEndAt(start) > 0) {
          this.fail('syntax', 'POSIX named classes are supported only within a class, as in [[:alpha:]]', start, this.posixEndAt(start));
        }
        return { t: 'set', set: this.parseClass(f, start) };
      case ch('.'): {
        const s = f.s ? invert(emptySet()) : invert(setOf(0x0a));
        return { t: 'set', set: s };
      }
      case ch('^'):
        return { t: 'assert', kind: f.m ? 'mbol' : 'bos' };
      case ch('$'):
        return { t: 'assert', kind: f.m ? 'meol' : 'eosnl' };
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
    if (this.peek() === ch('*')) {
      this.unsupported('verb', 'a backtracking control verb such as (*SKIP) or (*UTF)', start, this.pos + 1);
    }
    if (this.peek() !== ch('?')) {
      // A plain group captures unless (?n) is on; only names matter to us, so it is a group either way.
      if (!f.n) this.captures++;
      return this.finishGroup(f, depth, start, null);
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
    if (c === ch('|')) this.unsupported('branch-reset', 'a branch-reset group (?|…)', start, this.pos + 1);
    if (c === ch('(')) this.unsupported('conditional', 'a conditional group (?(…)…)', start, this.pos + 1);
    if (c === ch('C')) this.unsupported('callout', 'a callout (?C…)', start, this.pos + 1);
    if (c === ch('R') || isDigit(c) || ((c === ch('+') || c === ch('-')) && isDigit(two)) || c === ch('&')) {
      this.unsupported('recursion', 'recursion or a subroutine call such as (?R) or (?1)', start, this.pos + 1);
    }
    if (c === ch('P')) {
      if (two === ch('<')) return ((this.pos += 2), this.finishGroup(f, depth, start, this.readName(ch('>'), start)));
      if (two === ch('=')) this.unsupported('backreference', 'a backreference (?P=name)', start, this.pos + 2);
      if (two === ch('>')) this.unsupported('recursion', 'a subroutine call (?P>name)', start, this.pos + 2);
      this.fail('syntax', 'unrecognized character after (?P', this.pos, this.pos + 2);
    }
    if (c === ch('<')) return (this.pos++, this.finishGroup(f, depth, start, this.readName(ch('>'), start)));
    if (c === ch("'")) return (this.pos++, this.finishGroup(f, depth, start, this.readName(ch("'"), start)));
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
      if (c === ch('J')) this.unsupported('dupnames', 'the option (?J) (duplicate group names)', start, this.pos + 1);
      if (c < 0) this.fail('syntax', 'missing ) after (? option setting', start, this.pos);
      this.fail('syntax', `unrecognized character after (? or (?-: ${name}`, this.pos);
    }
    if (this.src[this.pos++] === ch(')')) {
      Object.assign(f, next);
      return null;
    }
    return this.finishGroup(next, depth, start, null, true);
  }

  readName(term: number, groupStart: number): string {
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
    this.captures++;
    if (this.names.includes(name)) {
      this.fail('syntax', `two named groups have the same name: ${name}`, groupStart, this.pos);
    }
    this.names.push(name);
    return name;
  }

  finishGroup(f: Flags, depth: number, start: number, name: string | null, ownFlags = false): Node {
    const body = this.parseAlternation(ownFlags ? f : { ...f }, depth + 1);
    if (this.peek() !== ch(')')) this.fail('syntax', 'missing closing parenthesis )', start, this.src.length);
    this.pos++;
    return { t: 'group', name, body };
  }

  parseEscape(f: Flags, start: number): Node {
    if (this.pos >= this.src.length) this.fail('syntax', '\\ at end of pattern', start);
    const c = this.src[this.pos++];
    switch (c) {
      case ch('A'):
        return { t: 'assert', kind: 'bos' };
      case ch('G'):
        return { t: 'assert', kind: 'bos' }; // start of match = start of key (anchored)
      case ch('z'):
        return { t: 'assert', kind: 'eos' };
      case ch('Z'):
        return { t: 'assert', kind: 'eosnl' };
      case ch('b'):
        return { t: 'assert', kind: 'word' };
      case ch('B'):
        return { t: 'assert', kind: 'nonword' };
      case ch('R'):
        return { t: 'newline' };
      case ch('N'):
        if (this.peek() === ch('{')) this.fail('syntax', '\\N{name} is not supported in non-UTF mode', start, this.pos + 1);
        return { t: 'set', set: invert(setOf(0x0a)) };
      case ch('K'):
        this.unsupported('keep', '\\K (reset match start)', start, this.pos);
      // falls through
      case ch('X'):
        this.unsupported('grapheme', '\\X (extended grapheme cluster)', start, this.pos);
      // falls through
      case ch('C'):
        return { t: 'set', set: invert(emptySet()) };
      case ch('p'):
      case ch('P'):
        this.fail('unsupported-unicode-property', 'Unicode properties (\\p, \\P) are not supported: rules run on bytes', start, this.pos);
      // falls through
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
      if (number < 10 || c >= ch('8') || number <= this.captures) {
        this.unsupported('backreference', `a backreference \\${number}`, start, j);
      }
    }
    const typeSet = this.typeEscape(c);
    if (typeSet) return { t: 'set', set: typeSet };
    return this.lit(this.literalEscape(c, start, false), f);
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

  parseClass(f: Flags, start: number): ByteSet {
    let set = emptySet();
    let negate = false;
    if (this.peek() === ch('^')) {
      negate = true;
      this.pos++;
    }
    let first = true;
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
      if (c === ch('[') && (this.peek(1) === ch(':') || this.peek(1) === ch('.') || this.peek(1) === ch('='))) {
        const posix = this.readPosix(f);
        if (posix) {
          this.skipClassIgnorable();
          if (this.peek() === ch('-') && this.peek(1) !== ch(']') && this.peek(1) >= 0) {
            this.fail('syntax', 'invalid range in character class', this.pos, this.pos + 1);
          }
          addSet(set, posix);
          continue;
        }
      }
      if (c === ch('\\') && this.peek(1) === ch('Q')) {
        this.pos += 2;
        while (this.pos < this.src.length && !this.startsWith('\\E')) addByte(set, this.src[this.pos++]);
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
        addSet(set, lo);
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
        continue;
      }
      addByte(set, lo);
    }
    if (f.i) set = foldCase(set);
    return negate ? invert(set) : set;
  }

  classAtom(classStart: number): number | ByteSet {
    const c = this.src[this.pos++];
    if (c !== ch('\\')) return c;
    if (this.pos >= this.src.length) this.fail('syntax', 'missing terminating ] for character class', classStart, this.src.length);
    const e = this.src[this.pos++];
    const typeSet = this.typeEscape(e);
    if (typeSet) return typeSet;
    if (e === ch('N') || e === ch('R') || e === ch('X') || e === ch('B')) {
      this.fail('syntax', `escape sequence \\${String.fromCharCode(e)} is invalid in a character class`, this.pos - 2, this.pos);
    }
    if (e === ch('p') || e === ch('P')) {
      this.fail('unsupported-unicode-property', 'Unicode properties (\\p, \\P) are not supported: rules run on bytes', this.pos - 2, this.pos);
    }
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

  /** End of a POSIX class `[:name:]` (or `[.x.]`, `[=x=]`) starting at `i`, or 0. */
  posixEndAt(i: number): number {
    const open = this.src[i + 1];
    let j = i + 2;
    if (open === ch(':') && this.src[j] === ch('^')) j++;
    while (j < this.src.length && this.src[j] >= 0x61 && this.src[j] <= 0x7a) j++;
    return this.src[j] === open && this.src[j + 1] === ch(']') ? j + 2 : 0;
  }

  readPosix(f: Flags): ByteSet | null {
    const open = this.src[this.pos + 1];
    let j = this.pos + 2;
    const negated = open === ch(':') && this.src[j] === ch('^');
    if (negated) j++;
    const nameStart = j;
    while (j < this.src.length && this.src[j] >= 0x61 && this.src[j] <= 0x7a) j++;
    if (this.src[j] !== open || this.src[j + 1] !== ch(']')) return null;
    if (open !== ch(':')) this.fail('syntax', 'POSIX collating elements are not supported', this.pos, j + 2);
    const written = String.fromCharCode(...this.src.subarray(nameStart, j));
    // Caseless, PCRE2 reads [:upper:] and [:lower:] as [:alpha:], so their negations exclude all letters.
    const name = f.i && (written === 'upper' || written === 'lower') ? 'alpha' : written;
    const set = posixClass(name);
    if (!set) this.fail('syntax', `unknown POSIX class name: ${written}`, this.pos, j + 2);
    this.pos = j + 2;
    return negated ? invert(set) : set;
  }
}
