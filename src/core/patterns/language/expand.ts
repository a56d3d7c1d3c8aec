import { concatBytes, fromLatin1, latin1, utf8 } from '../../bytes.ts';
import type { KeyList } from '../../input/keylist.ts';
import { rng } from '../../random.ts';
import type { KeyPatternList, PatternPart } from './parse.ts';
import { typeOf, type Schema } from './schema.ts';
import { daysInMonth, finiteValues, type PlaceholderType } from './types.ts';

/** Values for placeholder names. The same name has the same value in every pattern of a binding. */
export type Binding = ReadonlyMap<string, Uint8Array>;

/** The key a pattern stands for under a binding (a name missing from the binding is a caller bug). */
export function instantiate(parts: readonly PatternPart[], binding: Binding): Uint8Array {
  return concatBytes(parts.map((p) => (p.kind === 'lit' ? p.bytes : valueOf(binding, p.name))));
}

/** Like {@link instantiate}, with where each part landed in the key (start offsets, plus the end). */
export function instantiateWithOffsets(parts: readonly PatternPart[], binding: Binding): { key: Uint8Array; offsets: number[] } {
  const pieces = parts.map((p) => (p.kind === 'lit' ? p.bytes : valueOf(binding, p.name)));
  const offsets = [0];
  for (const p of pieces) offsets.push(offsets[offsets.length - 1] + p.length);
  return { key: concatBytes(pieces), offsets };
}

function valueOf(binding: Binding, name: string): Uint8Array {
  const v = binding.get(name);
  if (!v) throw new Error(`instantiate: no value for <${name}>`);
  return v;
}

const pick = <T>(rand: () => number, items: readonly T[] | string): T => items[Math.floor(rand() * items.length)] as T;
const ALNUM = 'abcdefghijklmnopqrstuvwxyz0123456789';
const HEX = '0123456789abcdef';
const string = (rand: () => number, alphabet: string, n: number) => Array.from({ length: n }, () => pick(rand, alphabet)).join('');
const between = (rand: () => number, lo: number, hi: number) => lo + Math.floor(rand() * (hi - lo + 1));

/**
 * A value of the type such as applications produce: ids of varied lengths, words that are sometimes
 * all digits or non-ASCII (custom rules often test `\d` or `[a-z]`), text without braces. With
 * `length`, a value of exactly that many bytes (used to build examples for length-dependent cases).
 */
export function sampleValue(t: PlaceholderType, rand: () => number, length?: number): Uint8Array {
  switch (t.kind) {
    case 'int': {
      const n = length ?? pick(rand, [1, 1, 2, 3, 4, 5, 6, 7, 10, 13]);
      return utf8(n === 1 ? pick(rand, '0123456789') : pick(rand, '123456789') + string(rand, '0123456789', n - 1));
    }
    case 'hex':
      return utf8(string(rand, HEX, t.length));
    case 'uuid': {
      const h = (n: number) => string(rand, HEX, n);
      return utf8(`${h(8)}-${h(4)}-4${h(3)}-${pick(rand, '89ab')}${h(3)}-${h(12)}`);
    }
    case 'date': {
      const y = between(rand, 1970, 2037);
      const m = between(rand, 1, 12);
      const d = between(rand, 1, daysInMonth(y, m));
      return utf8(`${y}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`);
    }
    case 'enum': {
      const fits = length === undefined ? t.values : t.values.filter((v) => v.length === length);
      return pick(rand, fits.length ? fits : t.values);
    }
    case 'word':
      return length !== undefined ? utf8(string(rand, ALNUM, length)) : typicalWord(rand);
    case 'str':
      // Free text as it usually is: words, separators, sometimes a digit. Edge values come from edgeValues.
      return utf8(length !== undefined ? string(rand, ALNUM, length) : typicalText(rand));
  }
}

function typicalText(rand: () => number): string {
  const words = Array.from({ length: between(rand, 1, 3) }, () => string(rand, 'abcdefghijklmnopqrstuvwxyz', between(rand, 2, 7)));
  return words.reduce((text, w) => text + pick(rand, [' ', ':', '-', '/', '.', ' ']) + w) + (rand() < 0.3 ? String(between(rand, 0, 99)) : '');
}

function typicalWord(rand: () => number): Uint8Array {
  const r = rand();
  const n = between(rand, 1, 12);
  if (r < 0.2) return utf8(String(between(rand, 1, 99999)));
  if (r < 0.55) return utf8(string(rand, 'abcdefghijklmnopqrstuvwxyz', n));
  if (r < 0.85) return utf8(string(rand, ALNUM + 'ABCXYZ-_.', n));
  return utf8(pick(rand, ['café', 'zürich', '東京', 'ünï', 'ß']) + string(rand, ALNUM, between(rand, 0, 4)));
}

/** Values at the edges of each type, for reasoning and tests: empty text, braces, newlines, NUL, extremes. */
export function edgeValues(t: PlaceholderType): Uint8Array[] {
  const finite = finiteValues(t);
  if (finite) return finite;
  const list = (...s: string[]) => s.map(fromLatin1);
  switch (t.kind) {
    case 'int':
      return list('0', '7', '10', '999', '1700000000', '18446744073709551615', '9'.repeat(40));
    case 'hex':
      return list('0'.repeat(t.length), 'f'.repeat(t.length), 'a'.repeat(t.length));
    case 'uuid':
      return list('00000000-0000-0000-0000-000000000000', 'ffffffff-ffff-ffff-ffff-ffffffffffff');
    case 'date':
      return list('1970-01-01', '2000-02-29', '2024-12-31', '9999-12-31');
    case 'word':
      return [...list('a', 'Z', '0', '-', '_', '.', '<', '>', '|', '\\', '"', "'", 'x'.repeat(200), '\xff', '\x80\x80'), utf8('é'), utf8('東')];
    default:
      return list(
        '',
        '{',
        '}',
        '{}',
        '}{',
        '{x}',
        'a}b',
        'a{b',
        '{a}b{c}',
        '}}',
        '{{x}}',
        '\n',
        'a\nb',
        '{\n}',
        '}\n{',
        'x{y\n}',
        '\r',
        '\0',
        '\xff\x80',
        ':',
        ' ',
        'x'.repeat(300),
        '\\',
        '<u>',
      );
  }
}

/** An adversarial text: a few pieces that steer hashing, in random order. */
function adversarialStr(rand: () => number): Uint8Array {
  const pieces = ['{', '}', '{}', '}{', 'a', 'b', ':', '\n', 'x', '\r', '\xff', ' ', '0', '{a}'];
  return fromLatin1(Array.from({ length: between(rand, 0, 6) }, () => pick(rand, pieces)).join(''));
}

/** One value: typical, or with `adversarial` an edge value or (for str) a random brace soup. */
export function drawValue(t: PlaceholderType, rand: () => number, adversarial: boolean): Uint8Array {
  if (!adversarial) return sampleValue(t, rand);
  if (t.kind === 'str' && rand() < 0.5) return adversarialStr(rand);
  return rand() < 0.7 ? pick(rand, edgeValues(t)) : sampleValue(t, rand);
}

export interface BindingOptions {
  count: number;
  seed: number;
  /** Share of the bindings, from the end, drawn from edge and adversarial values (0..1). */
  adversarial?: number;
}

/**
 * Deterministic bindings for the names. Different names get different values where the types allow
 * (a few redraws), so that `<uid>` and `<oid>` only coincide when their domain is small: equal values
 * of unrelated names would otherwise look like co-location.
 */
export function sampleBindings(names: readonly string[], schema: Schema, opts: BindingOptions): Binding[] {
  const rand = rng(opts.seed);
  const typical = Math.round(opts.count * (1 - (opts.adversarial ?? 0)));
  const out: Binding[] = [];
  for (let i = 0; i < opts.count; i++) {
    const binding = new Map<string, Uint8Array>();
    const taken = new Set<string>();
    for (const name of names) {
      const t = typeOf(schema, name);
      let v = drawValue(t, rand, i >= typical);
      for (let tries = 0; tries < 8 && !finiteValues(t) && taken.has(latin1(v)); tries++) v = drawValue(t, rand, tries < 4 && i >= typical);
      taken.add(latin1(v));
      binding.set(name, v);
    }
    out.push(binding);
  }
  return out;
}

/** Plain keys and samples of every pattern, as one key list for the views that need concrete keys. */
export interface ExpandedKeys {
  /** In input order; a pattern's samples carry the pattern's line number. */
  list: KeyList;
  /** For each entry: the index of the pattern it was expanded from, or -1 for a plain key. */
  pattern: Int32Array;
}

/**
 * Replaces every pattern line by `samples` (default 32) deterministic keys (typical values; one binding per sample
 * index, shared by all patterns so `user:<uid>:cart` and `user:<uid>:orders` expand for the same
 * users). Duplicate samples of one pattern (small enumerations) are dropped. Patterns with errors are
 * left out; their diagnostics are in the pattern list.
 */
export function expandKeyList(source: KeyPatternList, opts: { samples?: number; seed?: number; schema?: Schema } = {}): ExpandedKeys {
  const samples = opts.samples ?? 32;
  const ok = source.patterns.filter((p) => p.ok);
  const names = [...new Set(ok.flatMap((p) => p.names))];
  // With the Commands text: the joint schema (parsePatternDocuments), so a type declared there counts.
  const bindings = sampleBindings(names, opts.schema ?? source.schema, { count: samples, seed: opts.seed ?? 1 });
  const keys = source.keys;
  const parts: Uint8Array[] = [];
  const lines: number[] = [];
  const invalid: number[] = [];
  const quoted: number[] = [];
  const origin: number[] = [];
  let k = 0;
  const plainUpTo = (line: number) => {
    for (; k < keys.count && keys.lines[k] < line; k++) {
      parts.push(keys.bytes.subarray(keys.offsets[k], keys.offsets[k + 1]));
      lines.push(keys.lines[k]);
      invalid.push(keys.invalid[k]);
      quoted.push(keys.quoted[k]);
      origin.push(-1);
    }
  };
  for (const p of ok) {
    plainUpTo(p.line);
    const seen = new Set<string>();
    for (const b of bindings) {
      const key = instantiate(p.parts, b);
      if (seen.has(latin1(key))) continue;
      seen.add(latin1(key));
      parts.push(key);
      lines.push(p.line);
      invalid.push(0);
      quoted.push(0);
      origin.push(p.index);
    }
  }
  plainUpTo(Infinity);
  const offsets = new Uint32Array(parts.length + 1);
  parts.forEach((p, i) => (offsets[i + 1] = offsets[i] + p.length));
  const list: KeyList = {
    count: parts.length,
    bytes: concatBytes(parts),
    offsets,
    lines: Uint32Array.from(lines),
    invalid: Uint8Array.from(invalid),
    quoted: Uint8Array.from(quoted),
    diagnostics: keys.diagnostics,
  };
  return { list, pattern: Int32Array.from(origin) };
}
