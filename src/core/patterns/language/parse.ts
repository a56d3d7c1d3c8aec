import { append } from '../../arrays.ts';
import { columnOf, decodeUtf8Lenient, latin1 } from '../../bytes.ts';
import { diagnostic, type Diagnostic, type Severity } from '../../diagnostics.ts';
import { parseKeyList, type KeyList } from '../../input/keylist.ts';
import { resolveSchema, type Schema, type SchemaSite } from './schema.ts';
import { parseTypeName, type PlaceholderType } from './types.ts';

/**
 * The key-pattern language: a key written with placeholders, `user:{<uid>}:cart`,
 * `session:<sid:hex32>`, `bull:{<queue>}:<job:int>`, `geo:<region:eu|us|ap>`.
 *
 * - `<name>` or `<name:type>`; a name is `[A-Za-z_][A-Za-z0-9_-]*`; an untyped placeholder takes the
 *   type declared for the same name elsewhere, else `word` (see DEFAULT_TYPE).
 * - `<name:a|b|c>` is an enumeration; in it `\|`, `\>` and `\\` stand for `|`, `>` and `\`.
 * - Outside placeholders `\<` is a literal `<` and `\\` a literal `\`; every other byte, backslashes
 *   before anything else included, is itself. A `<` not followed by a name start is literal too.
 * Patterns are bytes, like keys: literal parts keep the exact bytes of the line.
 */
export type PatternPart =
  | { kind: 'lit'; bytes: Uint8Array }
  | {
      kind: 'ph';
      name: string;
      /** The declared type, or null for `<name>` (resolved through a Schema). */
      type: PlaceholderType | null;
      /** Byte offsets of `<` and after `>` in the source, for diagnostics and highlighting. */
      at: number;
      end: number;
    };

/** A problem in one pattern, at byte offsets of its source. */
export interface PatternProblem {
  severity: Severity;
  code: string;
  message: string;
  at: number;
  endAt: number;
}

export interface PatternSyntax {
  parts: PatternPart[];
  problems: PatternProblem[];
  /** No error-level problem: the pattern can be reasoned about and expanded. */
  ok: boolean;
}

const LT = 0x3c;
const GT = 0x3e;
const BACKSLASH = 0x5c;
const COLON = 0x3a;
const PIPE = 0x7c;
const isNameStart = (b: number) => (b >= 0x41 && b <= 0x5a) || (b >= 0x61 && b <= 0x7a) || b === 0x5f;
const isNameByte = (b: number) => isNameStart(b) || (b >= 0x30 && b <= 0x39) || b === 0x2d;

/**
 * Whether `src[start, end)` holds a placeholder: an unescaped `<` followed by a name start. Such a
 * line of a key list is a pattern (malformed ones get diagnostics rather than silently becoming keys);
 * a key that really contains `<x` is written `\<x`, or quoted.
 */
export function hasPlaceholder(src: Uint8Array, start = 0, end = src.length): boolean {
  for (let i = start; i < end - 1; i++) {
    if (src[i] === BACKSLASH && (src[i + 1] === LT || src[i + 1] === BACKSLASH)) i++;
    else if (src[i] === LT && isNameStart(src[i + 1])) return true;
  }
  return false;
}

/** Whether a key-list line is a pattern: unquoted (a quoted line is always a plain key) with a placeholder. */
export function isPatternLine(line: Uint8Array): boolean {
  return line.length > 0 && line[0] !== 0x22 && hasPlaceholder(line);
}

/** Reads one pattern. Never throws: problems come back with byte offsets. */
export function parsePatternSyntax(src: Uint8Array, start = 0, end = src.length): PatternSyntax {
  const parts: PatternPart[] = [];
  const problems: PatternProblem[] = [];
  let lit: number[] = [];
  const flush = () => {
    if (lit.length) parts.push({ kind: 'lit', bytes: Uint8Array.from(lit) });
    lit = [];
  };
  let i = start;
  while (i < end) {
    const c = src[i];
    if (c === BACKSLASH && i + 1 < end && (src[i + 1] === LT || src[i + 1] === BACKSLASH)) {
      lit.push(src[i + 1]);
      i += 2;
    } else if (c === LT && i + 1 < end && isNameStart(src[i + 1])) {
      const ph = placeholder(src, i, end, problems);
      if (!ph) {
        // Unreadable to the end of the line: keep the rest as text so later parts still show.
        for (; i < end; i++) lit.push(src[i]);
        break;
      }
      flush();
      parts.push(ph);
      i = ph.end;
    } else {
      lit.push(c);
      i++;
    }
  }
  flush();
  return { parts, problems, ok: !problems.some((p) => p.severity === 'error') };
}

type Placeholder = Extract<PatternPart, { kind: 'ph' }>;

/** `<name>`, `<name:type>` or `<name:a|b>` at `src[at] === '<'`; null when it never closes or is malformed. */
function placeholder(src: Uint8Array, at: number, end: number, problems: PatternProblem[]): Placeholder | null {
  let i = at + 1;
  while (i < end && isNameByte(src[i])) i++;
  const name = latin1(src, at + 1, i);
  if (i < end && src[i] === GT) return { kind: 'ph', name, type: null, at, end: i + 1 };
  if (i >= end || src[i] !== COLON) {
    const close = src.subarray(i, end).indexOf(GT);
    const what = i >= end ? 'the line ends' : `'${decodeUtf8Lenient(src.subarray(i, i + 1))}' follows`;
    problems.push({
      severity: 'error',
      code: i >= end ? 'unterminated-placeholder' : 'bad-placeholder',
      message: `placeholder <${name}: ${what} where ':' or '>' was expected (write \\< for a literal <)`,
      at,
      endAt: close >= 0 ? i + close + 1 : end,
    });
    return null;
  }
  // The type or enumeration, up to the first unescaped '>'.
  const alternatives: number[][] = [[]];
  let enumeration = false;
  let j = i + 1;
  for (; j < end && src[j] !== GT; j++) {
    const b = src[j];
    if (b === BACKSLASH && j + 1 < end && (src[j + 1] === GT || src[j + 1] === PIPE || src[j + 1] === BACKSLASH)) {
      alternatives[alternatives.length - 1].push(src[++j]);
    } else if (b === PIPE) {
      enumeration = true;
      alternatives.push([]);
    } else alternatives[alternatives.length - 1].push(b);
  }
  if (j >= end) {
    problems.push({
      severity: 'error',
      code: 'unterminated-placeholder',
      message: `placeholder <${name}:… has no closing '>' (write \\< for a literal <)`,
      at,
      endAt: end,
    });
    return null;
  }
  const ph: Placeholder = { kind: 'ph', name, type: null, at, end: j + 1 };
  if (enumeration) {
    const values = alternatives.map((a) => Uint8Array.from(a));
    const seen = new Set<string>();
    for (const v of values) {
      const key = latin1(v);
      if (seen.has(key)) {
        problems.push({ severity: 'warning', code: 'duplicate-alternative', message: `<${name}> lists '${decodeUtf8Lenient(v)}' twice`, at, endAt: j + 1 });
      }
      seen.add(key);
    }
    ph.type = { kind: 'enum', values: values.filter((v, k) => values.findIndex((w) => latin1(w) === latin1(v)) === k) };
    return ph;
  }
  const typeText = latin1(Uint8Array.from(alternatives[0]));
  const type = typeText === '' ? { error: `placeholder <${name}:> has an empty type` } : parseTypeName(typeText);
  if ('error' in type) {
    problems.push({ severity: 'error', code: 'unknown-placeholder-type', message: type.error, at: i + 1, endAt: j });
    return ph;
  }
  ph.type = type;
  return ph;
}

/** One pattern line of a Keys text. */
export interface KeyPattern {
  /** 0-based position among the patterns of the text. */
  index: number;
  /** 1-based line in the text. */
  line: number;
  /** The line as typed (decoded for display only). */
  text: string;
  parts: PatternPart[];
  /** Placeholder names, in order of first appearance. */
  names: string[];
  /** False when the line has a syntax error: reasoning and expansion leave it out. */
  ok: boolean;
  /** The line's bytes: part offsets (`at`, `end`) index into them. */
  bytes: Uint8Array;
}

/** A Keys text that mixes plain keys and patterns. */
export interface KeyPatternList {
  /** The plain keys, numbered by their input lines (pattern lines are left out). */
  keys: KeyList;
  patterns: KeyPattern[];
  /** The type of every placeholder name (declared somewhere in the text, else the default). */
  schema: Schema;
  /** Key-list and pattern diagnostics, by line. */
  diagnostics: Diagnostic[];
}

/**
 * Splits a Keys text into plain keys (the ordinary key-list format, byte-exact) and pattern lines (see
 * {@link isPatternLine}). Placeholder names are shared across the text: the same name is the same value
 * and must have one type.
 */
export function parseKeyPatterns(input: Uint8Array): KeyPatternList {
  const patterns: KeyPattern[] = [];
  const diagnostics: Diagnostic[] = [];
  // The plain keys are the input with every pattern line emptied: parseKeyList skips empty lines and
  // keeps the others' numbers.
  const plain = new Uint8Array(input.length);
  let used = 0;
  let line = 0;
  for (let start = 0; start <= input.length;) {
    line++;
    let nl = input.indexOf(0x0a, start);
    if (nl < 0) nl = input.length;
    const end = nl > start && input[nl - 1] === 0x0d ? nl - 1 : nl;
    const bytes = input.subarray(start, end);
    if (isPatternLine(bytes)) {
      const syntax = parsePatternSyntax(bytes);
      for (const p of syntax.problems) diagnostics.push(diagnostic(p.severity, p.code, p.message, line, columnOf(bytes, p.at), columnOf(bytes, p.endAt)));
      const own = bytes.slice();
      patterns.push({
        index: patterns.length,
        line,
        text: decodeUtf8Lenient(own),
        parts: syntax.parts,
        names: namesOf(syntax.parts),
        ok: syntax.ok,
        bytes: own,
      });
    } else {
      plain.set(input.subarray(start, nl), used);
      used += nl - start;
    }
    if (nl < input.length) plain[used++] = 0x0a;
    start = nl + 1;
  }
  const keys = parseKeyList(plain.subarray(0, used));
  const resolved = resolveSchema(patterns.map(keyPatternSite));
  append(diagnostics, keys.diagnostics);
  append(
    diagnostics,
    resolved.diagnostics.map((d) => d.diagnostic),
  );
  for (const d of resolved.diagnostics) patterns[d.site].ok = false;
  diagnostics.sort((a, b) => a.line - b.line || a.column - b.column);
  return { keys, patterns, schema: resolved.schema, diagnostics };
}

/** Distinct placeholder names of a pattern, in order. */
export function namesOf(parts: readonly PatternPart[]): string[] {
  return [...new Set(parts.flatMap((p) => (p.kind === 'ph' ? [p.name] : [])))];
}

/** Where a key pattern's placeholders are, for type resolution across texts. */
export function keyPatternSite(p: KeyPattern): SchemaSite {
  return { line: p.line, parts: p.parts, column: (offset) => columnOf(p.bytes, offset) };
}
