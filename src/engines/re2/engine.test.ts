import { createRequire } from 'node:module';
import { beforeAll, describe, expect, test } from 'vitest';
import { utf8 } from '../../core/bytes.ts';
import { createBytecodeEngine } from '../../core/rules/bytecode-engine.ts';
import type { CompiledRule, ParsedRule, RegexEngine } from '../../core/rules/engine.ts';
import { parseRules } from '../../core/rules/ruleset.ts';
import { newSpan } from '../../core/slots/span.ts';
import { createRe2Engine, RE2_MAX_KEY_BYTES, type Re2Constructor } from './engine.ts';
import { loadRe2Node } from './load-node.ts';
import { toRe2Pattern, type Re2Pattern } from './translate.ts';
import { rng as prng } from '../../core/random.ts';

let RE2: Re2Constructor;
let re2: RegexEngine;
const bytecode = createBytecodeEngine();

beforeAll(async () => {
  RE2 = await loadRe2Node();
  re2 = createRe2Engine(RE2);
});

function rulesOf(text: string): ParsedRule[] {
  const set = parseRules(text);
  const errors = set.diagnostics.filter((d) => d.severity === 'error');
  if (errors.length > 0) throw new Error(`${text}: ${errors.map((d) => d.message).join('; ')}`);
  return set.rules;
}

function translate(source: string): Re2Pattern {
  const t = toRe2Pattern(rulesOf(source)[0].ast);
  if ('unsupported' in t) throw new Error(`${source}: ${t.unsupported}`);
  return t;
}

function unsupported(source: string): string {
  const t = toRe2Pattern(rulesOf(source)[0].ast);
  return 'unsupported' in t ? t.unsupported : `translated: ${t.pattern}`;
}

const b = (...parts: (string | number[])[]) => Uint8Array.from(parts.flatMap((p) => (typeof p === 'string' ? [...utf8(p)] : p)));

type Result = { matched: boolean | null; start: number; end: number };

function run(rule: CompiledRule, key: Uint8Array, start = 0, end = key.length): Result {
  const out = newSpan();
  const matched = rule.exec(key, start, end, out);
  return matched ? { matched, start: out.start, end: out.end } : { matched, start: 0, end: 0 };
}

/** The first rule that matches, as the policy uses them: [rule number, start, end] or null. */
function firstMatch(rules: CompiledRule[], key: Uint8Array): [number, number, number] | null {
  for (let r = 0; r < rules.length; r++) {
    const res = run(rules[r], key);
    if (res.matched === null) throw new Error('engine gave up on a short key');
    if (res.matched) return [r + 1, res.start, res.end];
  }
  return null;
}

/** Random keys over an alphabet rich in the bytes the rules care about, plus some structured ones. */
function randomKeys(seed: number, count: number, alphabet: number[]): Uint8Array[] {
  const rnd = prng(seed);
  const pick = <T>(xs: T[]) => xs[Math.floor(rnd() * xs.length)];
  const keys: Uint8Array[] = [new Uint8Array(0)];
  while (keys.length < count) {
    const len = Math.floor(rnd() * (rnd() < 0.8 ? 16 : 64));
    const key = new Uint8Array(len);
    for (let i = 0; i < len; i++) key[i] = rnd() < 0.05 ? Math.floor(rnd() * 256) : pick(alphabet);
    if (rnd() < 0.3) {
      const head = utf8(pick(['user:', 'user:12:', 'user:345:', 'user:7', 'USER:3:', 'xx', 'xxxxxx', '{', 'a{b}', '}{', 'ab\r\n', '\n']));
      const both = new Uint8Array(head.length + key.length);
      both.set(head);
      both.set(key, head.length);
      keys.push(both);
    } else keys.push(key);
  }
  return keys;
}

const bytesOf = (s: string) => [...s].map((c) => c.charCodeAt(0));
const COMMON = [...bytesOf('{}:aAbxzZ09_ \n\r\0'), 0x80, 0xe9, 0xff];

describe('toRe2Pattern', () => {
  test('anchors at the start only, spells sets out over 0..255', () => {
    expect(translate('(?<tag>.)').pattern).toBe('^(?:(?P<tag>[\\x{00}-\\x{09}\\x{0b}-\\x{ff}]))');
    expect(translate('(?s)(?<tag>.)').pattern).toBe('^(?:(?P<tag>[\\x{00}-\\x{ff}]))');
    expect(translate('(?<tag>\\x00)').pattern).toBe('^(?:(?P<tag>\\x{00}))');
    expect(translate('(?<tag>[^\\x00-\\xff])').pattern).toBe('^(?:(?P<tag>[^\\x{0}-\\x{10ffff}]))');
    expect(translate('(?i)(?<tag>k)').pattern).toBe('^(?:(?P<tag>[Kk]))');
    expect(translate('(?<tag>[\\]\\\\^-])').pattern).toBe('^(?:(?P<tag>[\\x{2d}\\x{5c}-\\x{5e}]))');
    expect(translate('(?<x>a)(?<tag>b)(c)').pattern).toBe('^(?:(?:a)(?P<tag>b)(?:c))');
  });

  test('repeats, greedy and lazy', () => {
    expect(translate('(?<tag>a*b+?c?d??e{2}f{2,}?g{2,5})').pattern).toBe('^(?:(?P<tag>a*b+?c?d??e{2}f{2,}?g{2,5}))');
    expect(translate('(?<tag>(?:ab)*)').pattern).toBe('^(?:(?P<tag>(?:ab)*))');
    expect(translate('(?<tag>a{1000})').pattern).toBe('^(?:(?P<tag>a{1000}))');
    expect(unsupported('(?<tag>a{1001})')).toMatch(/above 1000/);
    expect(unsupported('(?<tag>a{3,1001})')).toMatch(/above 1000/);
  });

  test('helper captures locate the tag', () => {
    // Fixed-width prefix: a constant; variable: a capture.
    expect(translate('ab.(?<tag>c)').layout).toEqual({ group: 1, constant: 3, plus: [], minus: [] });
    expect(translate('a+(?<tag>c)')).toEqual({
      pattern: '^(?:(a+)(?P<tag>c))',
      layout: { group: 2, constant: 0, plus: [1], minus: [] },
    });
    // A tag inside a repeat is in its last iteration: whole repeat minus that iteration.
    expect(translate('(?:a(?<tag>b+))+')).toEqual({
      pattern: '^(?:(((?:a(?P<tag>b+)))+))',
      layout: { group: 3, constant: 1, plus: [1], minus: [2] },
    });
  });

  test('assertions', () => {
    expect(translate('\\A(?<tag>a)\\z').pattern).toBe('^(?:\\A(?P<tag>a)\\z)');
    expect(translate('\\b(?<tag>a)\\B').pattern).toBe('^(?:\\b(?P<tag>a)\\B)');
    // Exact at the end of a rule, outside the tag; ^ in (?m) exact at its start.
    expect(translate('(?<tag>a)$').pattern).toBe('^(?:(?P<tag>a)(?:\\x{0a}?\\z))');
    expect(translate('(?<tag>a)(?:b|$)').pattern).toBe('^(?:(?P<tag>a)(?:b|(?:\\x{0a}?\\z)))');
    expect(translate('(?m)^(?<tag>a)$').pattern).toBe('^(?:\\A(?P<tag>a)(?:\\x{0a}|\\z))');
    expect(translate('(?<tag>a)\\R').pattern).toBe('^(?:(?P<tag>a)(?:\\x{0d}\\x{0a}|[\\x{0a}-\\x{0d}\\x{85}]))');
  });

  test('refuses what RE2 cannot do exactly, with a plain reason', () => {
    expect(unsupported('(?<tag>a)$b')).toMatch(/lookahead/);
    expect(unsupported('(?<tag>a$)')).toMatch(/inside the tag group/);
    expect(unsupported('(?<tag>a)(?:$)*')).not.toMatch(/^translated/);
    expect(unsupported('(?m)a^(?<tag>b)')).toMatch(/multiline/);
    expect(unsupported('(?m)(?<tag>a)$b')).toMatch(/multiline/);
    expect(unsupported('(?<tag>a)\\R\\n')).toMatch(/atomic/);
    expect(unsupported('(?:a|(?<tag>b))+')).toMatch(/iterations need not all set it/);
  });
});

describe('re2-wasm engine', () => {
  test('tags on byte keys, with 0x80-0xFF, NUL and CR', () => {
    const [soup, all] = rulesOf('.*\\{(?<tag>.*)\\}.*\n(?<tag>.*)').map((r) => re2.compile(r));
    expect(run(soup, b('x{ab}y'))).toEqual({ matched: true, start: 2, end: 4 });
    // The greedy .* before \{ takes the last {.
    expect(run(soup, b('{a}{b}'))).toEqual({ matched: true, start: 4, end: 5 });
    expect(run(soup, b([0xff, 0x7b, 0x80, 0x00, 0x0d, 0xe9, 0x7d, 0xff]))).toEqual({ matched: true, start: 2, end: 6 });
    // . does not match LF.
    expect(run(soup, b('{a\n}'))).toEqual({ matched: false, start: 0, end: 0 });
    expect(run(soup, b('a\n{b}'))).toEqual({ matched: false, start: 0, end: 0 });
    expect(run(all, b('a\n{b}'))).toEqual({ matched: true, start: 0, end: 1 });
    expect(run(all, b([0x00, 0x0d, 0x80, 0xff, 0x0a, 0x41]))).toEqual({ matched: true, start: 0, end: 4 });
    expect(run(all, b(''))).toEqual({ matched: true, start: 0, end: 0 });
    // A key inside a larger buffer: offsets are absolute, assertions see [start, end) only.
    const buffer = b('zz{x}zz');
    expect(run(soup, buffer, 1, 6)).toEqual({ matched: true, start: 3, end: 4 });
    const [anchored] = rulesOf('\\A(?<tag>\\{.)\\z').map((r) => re2.compile(r));
    expect(run(anchored, buffer, 2, 4)).toEqual({ matched: true, start: 2, end: 4 });
    expect(run(anchored, buffer, 2, 5)).toEqual({ matched: false, start: 0, end: 0 });
    for (const r of [soup, all, anchored]) r.dispose();
  });

  test('a tag that takes no part gives -1/-1', () => {
    const [rule] = rulesOf('a(?:(?<tag>x)|y)').map((r) => re2.compile(r));
    expect(run(rule, b('ay'))).toEqual({ matched: true, start: -1, end: -1 });
    expect(run(rule, b('ax'))).toEqual({ matched: true, start: 1, end: 2 });
    rule.dispose();
    const [never] = rulesOf('a(?<tag>x){0}').map((r) => re2.compile(r));
    expect(run(never, b('ax'))).toEqual({ matched: true, start: -1, end: -1 });
    never.dispose();
  });

  test('bytes 0x80-0xFF are not word characters for \\b (as in PCRE without UCP)', () => {
    const [rule] = rulesOf('(?<tag>a)\\b').map((r) => re2.compile(r));
    expect(run(rule, b('a', [0xe9])).matched).toBe(true);
    expect(run(rule, b('a_')).matched).toBe(false);
    rule.dispose();
  });

  test('compile throws a plain Error when RE2 cannot take a rule', () => {
    const [eol, nested] = rulesOf('(?<tag>a)$b\n(?<tag>(?:a{30}){40})');
    expect(() => re2.compile(eol)).toThrow(/^RE2 cannot run rule 1 exactly: \$ .*lookahead/);
    // RE2 also limits nested counts (30 × 40 > 1000).
    expect(() => re2.compile(nested)).toThrow(/^RE2 refuses rule 2: invalid repetition size: \{40\}$/);
  });

  test('keys over the size limit give null; a key at the limit of 0xFF bytes works next to 32 rules', () => {
    const soup = '.*\\{(?<tag>.*)\\}.*x';
    const rules = rulesOf(Array.from({ length: 31 }, (_, k) => `${soup}${k}`).join('\n') + '\n(?s)(?<tag>.*)').map((r) => re2.compile(r));
    const big = new Uint8Array(RE2_MAX_KEY_BYTES).fill(0xff);
    const last = rules[rules.length - 1];
    expect(run(last, big)).toEqual({ matched: true, start: 0, end: RE2_MAX_KEY_BYTES });
    expect(run(rules[0], big).matched).toBe(false);
    const bigger = new Uint8Array(RE2_MAX_KEY_BYTES + 1).fill(0x41);
    expect(run(last, bigger).matched).toBe(null);
    expect(run(last, bigger, 1).matched).toBe(true);
    for (const r of rules) r.dispose();
  });

  test('10,000 compile/dispose cycles do not exhaust the WASM heap', () => {
    for (let i = 0; i < 10_000; i++) {
      const [rule] = rulesOf(`k${i}:.*\\{(?<tag>[^}]*)\\}(?:a|b|c)*`);
      const compiled = re2.compile(rule);
      if (i % 1000 === 0) expect(run(compiled, b(`k${i}:x{y}ab`))).toEqual({ matched: true, start: 4 + String(i).length, end: 5 + String(i).length });
      compiled.dispose();
      compiled.dispose(); // idempotent
    }
  });

  test('a disposed rule refuses to run', () => {
    const rule = re2.compile(rulesOf('(?<tag>a)')[0]);
    rule.dispose();
    expect(() => run(rule, b('a'))).toThrow(/disposed/);
  });
});

describe('re2-wasm agrees with the bytecode engine', () => {
  /**
   * Runs every rule on every key in both engines: same match, same tag, and the same first rule.
   * Returns how many keys the first rule matched.
   */
  function crossCheck(rulesText: string, keys: Uint8Array[]): number {
    const rules = rulesOf(rulesText);
    const ours = rules.map((r) => bytecode.compile(r));
    const theirs = rules.map((r) => re2.compile(r));
    let matched = 0;
    try {
      for (const key of keys) {
        for (let r = 0; r < rules.length; r++) {
          const a = run(ours[r], key);
          const c = run(theirs[r], key);
          if (a.matched !== c.matched || a.start !== c.start || a.end !== c.end) {
            expect.fail(`rule ${JSON.stringify(rules[r].source)} on key [${[...key].join(',')}]: bytecode ${JSON.stringify(a)}, re2 ${JSON.stringify(c)}`);
          }
        }
        const first = firstMatch(theirs, key);
        expect(first).toEqual(firstMatch(ours, key));
        if (first?.[0] === 1) matched++;
      }
    } finally {
      for (const r of theirs) r.dispose();
    }
    return matched;
  }

  const N = 3000;
  test.each([
    ['brace soup', '.*\\{(?<tag>.*)\\}.*\n(?<tag>.*)', 1],
    ['brace soup, lazy and first-brace', '[^{]*\\{(?<tag>[^}]+)\\}\n.*?\\{(?<tag>.+?)\\}.*\n(?s)(?<tag>.*)', 2],
    ['user id', '(?<tag>user:\\d+):.*', 3],
    ['case-insensitive word', '(?i)(?<tag>[a-z]+)\\d*', 4],
    ['counted repeat', 'x{2,5}(?<tag>.)', 5],
    ['lazy up to }', '(?<tag>.*?)\\}', 6],
  ])('%s', (_name, rules, seed) => {
    const keys = randomKeys(seed, N, [...COMMON, ...bytesOf('useruser:12345xxxxx')]);
    const matched = crossCheck(rules as string, keys);
    // The keys must exercise both outcomes of the first rule.
    expect(matched).toBeGreaterThan(N / 50);
    expect(matched).toBeLessThan(N - N / 50);
  });

  test('every construct the translation handles specially', () => {
    const rules = [
      '^(?<tag>[^:]*):\\d+$',
      '(?<tag>.{2,4}?)(?:\\r|\\n|$)',
      '(?m)^(?<tag>\\w+)$',
      '(?s)(?<tag>.*?)\\Z',
      '(?<tag>\\w+)\\b.*',
      '.\\B(?<tag>.)',
      '(?:a(?<tag>b+)c)+',
      '(?:ab(?<tag>c))*x',
      '(?:(?<tag>[ab]){3})',
      '(?:(?<tag>ab|a)c?)+?:',
      '(?<tag>a|ab)(?:c|bcd)',
      '(?:x|(?<tag>y))z',
      'a(?<tag>)',
      '(?s)(?<tag>.*)\\R',
      '(?<tag>.*?)\\R',
      '[\\x80-\\xff]+(?<tag>[^\\x00-\\x7f]*)\\x00?',
      '\\A(?<tag>[\\0\\r\\n]+)',
      '(?:u|us|use)(?<tag>r?):',
      '(?<tag>(?:ab)*?)b*c',
      '.{3}(?<tag>.{0,3})',
      '(?:.{1,2}){2}(?<tag>.)',
      '(?:\\{(?:[^}]|\\}\\})*\\}){1,3}?(?<tag>.*)',
      '(?:(?:a|b)(?<tag>c|cc)){2,}d?',
      '(?i)(?<tag>\\x{e9}|[^\\W\\d]+)\\z',
    ];
    const keys = randomKeys(7, 2000, [...COMMON, ...bytesOf('abccccdduusser:')]);
    for (const rule of rules) crossCheck(rule, keys);
  });

  test('known difference: an empty last iteration of a repeated group (PCRE counts it, RE2 does not)', () => {
    const [rule] = rulesOf('(?:(?<tag>a?))*');
    const key = b('aa');
    expect(run(bytecode.compile(rule), key)).toEqual({ matched: true, start: 2, end: 2 });
    const theirs = re2.compile(rule);
    expect(run(theirs, key)).toEqual({ matched: true, start: 1, end: 2 });
    theirs.dispose();
  });
});

describe('abort of the WASM instance', () => {
  test('turns into a plain Error, on every later call too', () => {
    // A private re2-wasm instance, so that aborting it leaves the shared one alone.
    const require = createRequire(import.meta.url);
    const main = require.resolve('re2-wasm');
    const glue = require.resolve('re2-wasm/build/wasm/re2.js');
    const saved = [main, glue].map((id) => [id, require.cache[id]] as const);
    for (const [id] of saved) delete require.cache[id];
    let Fresh: Re2Constructor;
    try {
      Fresh = (require('re2-wasm') as { RE2: Re2Constructor }).RE2;
    } finally {
      for (const [id, mod] of saved) if (mod) require.cache[id] = mod;
    }
    expect(Fresh).not.toBe(RE2);
    const engine = createRe2Engine(Fresh);
    // Rules whose DFA needs many states: their caches outgrow the 16 MiB heap on an 8 KB key.
    const rules = rulesOf(Array.from({ length: 32 }, (_, k) => `.*a.{${15 + (k % 5)}}(?<tag>b${k})`).join('\n')).map((r) => engine.compile(r));
    const rnd = prng(1);
    const key = Uint8Array.from({ length: 8000 }, () => (rnd() < 0.5 ? 0x61 : 0xe1));
    expect(() => {
      for (const r of rules) run(r, key);
    }).toThrow(/^re2-wasm aborted \(Cannot enlarge memory arrays .*\): its WASM instance is unusable from now on/);
    expect(() => run(rules[0], b('a'))).toThrow(/^re2-wasm aborted/);
    expect(() => engine.compile(rulesOf('(?<tag>a)')[0])).toThrow(/^re2-wasm aborted/);
    for (const r of rules) r.dispose();
    // The shared instance still works.
    const ok = re2.compile(rulesOf('(?<tag>a)')[0]);
    expect(run(ok, b('a'))).toEqual({ matched: true, start: 0, end: 1 });
    ok.dispose();
  });
});
