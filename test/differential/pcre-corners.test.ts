import { describe, expect, it } from 'vitest';
import { latin1, parseRules, type RuleNode } from '../../src/core/index.ts';
import { pcreBincode, pcreMatchMany, type PcreJob } from '../oracles/pcre2.ts';
import { customPolicy, runPolicy } from '../support/run-core.ts';

/**
 * Issue 20's classes against the real PCRE2: auto-possessification pair by pair (with and without it),
 * Unicode properties byte by byte, start-of-pattern settings, and the constructs that used to be refused.
 */

const bytes = (...b: number[]) => Uint8Array.from(b);
/** Every key of up to two bytes over the bytes where the character types differ. */
const ALPHABET = [0x61, 0x31, 0x5f, 0x20, 0x09, 0x0a, 0x0b, 0x0c, 0x0d, 0x85, 0xa0, 0xff];
const SHORT_KEYS = [bytes(), ...ALPHABET.map((a) => bytes(a)), ...ALPHABET.flatMap((a) => ALPHABET.map((b) => bytes(a, b)))];

/** What one rule gives on each key: the tag as latin1 text, or null for no match. */
function ours(rule: string, keys: Uint8Array[]): (string | null)[] {
  return runPolicy(customPolicy(rule), keys).map((r) => (r.slot >= 0 ? latin1(r.tag!) : null));
}

async function theirs(jobs: PcreJob[]): Promise<(string | null)[][]> {
  const results = await pcreMatchMany(jobs);
  return results.map((rs) => rs.map((r) => (r.error ? `error: ${r.error}` : r.matched ? latin1(r.groups.tag ?? new Uint8Array()) : null)));
}

/** Every difference between our results and PCRE's, at most `max`. */
function differences(rules: string[], mine: (string | null)[][], pcre: (string | null)[][], keys: Uint8Array[], max = 12): object[] {
  const bad: object[] = [];
  rules.forEach((rule, r) =>
    keys.forEach((key, k) => {
      if (mine[r][k] !== pcre[r][k] && bad.length < max) bad.push({ rule, key: JSON.stringify(latin1(key)), ours: mine[r][k], pcre: pcre[r][k] });
    }),
  );
  return bad;
}

const REPEATED = [
  '\\d',
  '\\D',
  '\\s',
  '\\S',
  '\\w',
  '\\W',
  '.',
  '\\C',
  '\\N',
  '\\R',
  '\\h',
  '\\H',
  '\\v',
  '\\V',
  '\\X',
  'a',
  '[a1]',
  '[^a]',
  '\\x85',
  '\\xa0',
  '\\r',
  '\\pL',
  '\\p{Xsp}',
  '\\PN',
  '[\\pL_]',
  '[\\s\\S]',
];
const FOLLOWING = [...REPEATED, '\\n', '$', '\\z', '\\Z', '(?m:$)', '\\b', '(?:\\R|a)', '(?:\\d)?\\s', '[[:<:]]'];

/** `(?<tag>X*Y)` for every pair, greedy; lazy for a share of them (lazy repeats are possessified the same way). */
const PAIR_RULES = REPEATED.flatMap((x, i) => FOLLOWING.flatMap((y, j) => [`(?<tag>${x}*${y})`, ...((i + j) % 4 === 0 ? [`(?<tag>${x}+?${y})`] : [])]));

describe('auto-possessification: PCRE makes some repeats possessive, and the server runs them so', () => {
  it('every pair of items: the same tag as PCRE with it, and as PCRE without it under (*NO_AUTO_POSSESS)', async () => {
    const off = PAIR_RULES.map((r) => `(*NO_AUTO_POSSESS)${r}`);
    const pcre = await theirs([
      ...PAIR_RULES.map((pattern) => ({ pattern, subjects: SHORT_KEYS })),
      ...PAIR_RULES.map((pattern) => ({ pattern, subjects: SHORT_KEYS, noAutoPossess: true })),
    ]);
    const mine = [...PAIR_RULES, ...off].map((r) => ours(r, SHORT_KEYS));
    expect(differences([...PAIR_RULES, ...off], mine, pcre, SHORT_KEYS)).toEqual([]);
    // The pairs are where it matters: PCRE's judgement is wider than the sets for some of them.
    const changed = PAIR_RULES.filter((_, r) => pcre[r].some((t, k) => t !== pcre[r + PAIR_RULES.length][k]));
    expect(changed).toEqual(expect.arrayContaining(['(?<tag>.*\\R)', '(?<tag>\\S*\\h)', '(?<tag>\\R*\\s)']));
  });

  it('the repeats PCRE possessifies are the ones we do (pcre2test -B lists them with a trailing +)', async () => {
    const structural = [
      'a*(?:b|c)d(?<tag>)',
      'a*(?:b|a)(?<tag>)',
      'a*(?:b)?a(?<tag>)',
      'a*(?:b)?c(?<tag>)',
      'a*(?:b)*c(?<tag>)',
      'a*(?:b?)*c(?<tag>)',
      '(?:a*)+b(?<tag>)',
      '(?:a*b){2}(?<tag>c)',
      '(?:a*|b){2}c(?<tag>)',
      '(?<tag>a*)$',
      '(?<tag>a*?)b',
      'a{2,5}b[ab]{2,5}c\\d{3,}x(?<tag>)',
      '(?:a\\d*){0}\\d(?<tag>)',
      '(?<tag>\\d*(?:\\w|\\s))',
      '(?|a*(?<tag>b)|(c*)d)',
    ];
    const rules = [...PAIR_RULES, ...structural].filter((r) => !r.includes('\\p') && !r.includes('\\P'));
    const listings = await pcreBincode(rules);
    const bad: object[] = [];
    rules.forEach((rule, k) => {
      const pcre = listings[k]!.filter((line) => /[*+?}]\+$/.test(line)).length;
      const set = parseRules(rule);
      const mine = set.rules.length ? possessified(set.rules[0].ast) : -1;
      if (pcre !== mine) bad.push({ rule, pcre: listings[k], ours: mine });
    });
    expect(bad.slice(0, 8)).toEqual([]);
  });
});

/** How many emitted repeats auto-possessification made possessive. */
function possessified(n: RuleNode): number {
  const own = n.t === 'repeat' ? (n.auto ?? []).filter(Boolean).length : 0;
  const kids = n.t === 'seq' ? n.items : n.t === 'alt' ? n.alts : n.t === 'group' || n.t === 'repeat' ? [n.body] : [];
  return own + kids.reduce((k, kid) => k + possessified(kid), 0);
}

const ALL_BYTES = Array.from({ length: 256 }, (_, b) => bytes(b));

describe('Unicode properties in byte mode: the code points 0–255', () => {
  const names = ['L', 'Lu', 'Ll', 'Lt', 'Lm', 'Lo', 'L&', 'M', 'N', 'Nd', 'Nl', 'No', 'P', 'Pc', 'Pd', 'Ps', 'Pe', 'Pi', 'Pf', 'Po', 'S'];
  names.push('Sm', 'Sc', 'Sk', 'So', 'Z', 'Zs', 'Zl', 'Zp', 'C', 'Cc', 'Cf', 'Co', 'Cn', 'Cs', 'Any', 'Xan', 'Xps', 'Xsp', 'Xwd', 'Xuc');
  it('\\p{…}, \\P{…}, \\p{^…}, \\pL and in a class match the bytes PCRE matches', async () => {
    const rules = names.flatMap((n) => [`(?<tag>\\p{${n}})`, `(?<tag>\\P{${n}})`, `(?<tag>[\\p{^${n}}])`]).concat(['(?<tag>\\pL)', '(?<tag>(?i)\\p{Lu})']);
    const pcre = await theirs(rules.map((pattern) => ({ pattern, subjects: ALL_BYTES })));
    expect(
      differences(
        rules,
        rules.map((r) => ours(r, ALL_BYTES)),
        pcre,
        ALL_BYTES,
      ),
    ).toEqual([]);
  });

  it('a name this tool does not take is refused with what it takes', () => {
    expect(parseRules('(?<tag>\\p{Latin})').diagnostics).toMatchObject([
      {
        code: 'unsupported-unicode-property',
        message:
          'the property \\p{Latin} is not supported: this tool knows the general categories (L, Lu, Nd …), L&, Any, Xan, Xps, Xsp, Xwd and Xuc, ' +
          'spelled as PCRE1 spells them (script names mean different sets in PCRE1 and PCRE2)',
      },
    ]);
  });
});

/** Keys where newline conventions differ: CR, LF, CRLF, NEL, VT, NUL alone, at the end and inside. */
const NEWLINE_KEYS = [
  '',
  'a',
  '\r',
  '\n',
  '\r\n',
  'a\r',
  'a\n',
  'a\r\n',
  'a\rb',
  'a\nb',
  'a\r\nb',
  'a\x85',
  'a\x85b',
  'a\x0b',
  'a\0',
  'a\0b',
  '\r\n\r\n',
  'ab\n\n',
].map((s) => Uint8Array.from(s, (c) => c.charCodeAt(0)));

describe('start-of-pattern settings and the constructs that used to be refused', () => {
  const SETTINGS = ['', '(*CR)', '(*LF)', '(*CRLF)', '(*ANYCRLF)', '(*ANY)', '(*NUL)', '(*BSR_ANYCRLF)', '(*NOTEMPTY)', '(*NOTEMPTY_ATSTART)'];
  const BODIES = [
    '(?<tag>.*)',
    '(?<tag>.*)$',
    '(?<tag>.*?)$',
    '(?<tag>\\N*)\\Z',
    '(?m)(?<tag>.*$)',
    '(?m)a(?<tag>$.^)',
    '(?<tag>\\R+)',
    '(?<tag>a?)',
    '(?<tag>.+?)\\R',
  ];
  const extra = [
    '(*NO_START_OPT)(*NO_DOTSTAR_ANCHOR)(*NO_JIT)(*LIMIT_MATCH=100000)(*LIMIT_DEPTH=1000)(*LIMIT_HEAP=1000)(*LIMIT_RECURSION=1000)(?<tag>.*)',
    '(*CR)(?x)(?<tag>a # a comment that ends at a CR\r b)',
    '(?<tag>[[:<:]]\\w+)',
    '(?<tag>\\w+[[:>:]])\\W',
    '(?<tag>\\N{2})',
    '(?<tag>\\X+)',
    '(?<tag>\\X\\X)',
    '(?|(?<tag>a)|(b)|c(?<tag>\\r))',
    '(?|(x)|(?<tag>a))',
    '(?<tag>a(?C1)b(?C"te""xt")\\R?(?C{x})b?)',
    '(?<tag>.{0,65535})',
    '(?<tag>.{2,300}?)\\n',
    '(?<tag>[ab\\r]{3,}+)',
    '(?<tag>a*+)\\r',
    '(?<tag>\\R?+\\n)',
  ];
  const rules = [...SETTINGS.flatMap((s) => BODIES.map((b) => s + b)), ...extra];

  it('match and tag exactly as PCRE2 on keys that tell the conventions apart', async () => {
    const long = Uint8Array.from({ length: 70_000 }, (_, i) => (i % 97 === 96 ? 0x0a : 0x61 + (i % 26)));
    const keys = [...NEWLINE_KEYS, ...SHORT_KEYS, long];
    const pcre = await theirs(rules.map((pattern) => ({ pattern, subjects: keys })));
    expect(
      differences(
        rules,
        rules.map((r) => ours(r, keys)),
        pcre,
        keys,
      ),
    ).toEqual([]);
  });

  it('each refusal says what it is', () => {
    const cases: [string, string, string][] = [
      ['(*UTF)(?<tag>.)', 'unsupported-utf', 'it makes PCRE read the rule and keys as UTF-8 characters'],
      ['(*UTF8)(?<tag>.)', 'unsupported-utf', '(*UTF8) is not supported'],
      ['(*UCP)(?<tag>\\w)', 'unsupported-ucp', '(*UCP) is not supported'],
      ['(?J)(?<tag>a)|(?<tag>b)', 'unsupported-dupnames', 'which one the server would hash is not documented'],
      ['(?<tag>a)(*SKIP)', 'unsupported-verb', 'the backtracking control verb (*SKIP)'],
      ['(*pla:a)(?<tag>a)', 'unsupported-verb', 'the alpha assertion (*pla:…)'],
      ['(?<tag>(?:ab)*+)', 'unsupported-atomic', 'a possessive quantifier on a group (an atomic group)'],
      ['a(*CR)(?<tag>b)', 'syntax', '(*VERB) not recognized or malformed'],
      ['(?|(?<tag>a)|(?<x>b))', 'syntax', 'different names for subpatterns of the same number are not allowed'],
      ['(?<tag>a)[:-:]', 'syntax', 'POSIX named classes are supported only within a class'],
      ['(?<tag>)[:\\:]', 'syntax', 'POSIX named classes are supported only within a class'],
      ['(?<tag>[[:a<lpha:]]+)', 'syntax', 'unknown POSIX class name: a<lpha'],
      ['(?<tag>\\N{x})', 'syntax', '\\N{name} and \\N{U+hhhh} are supported only in UTF mode'],
      ['(?<tag>a(?C256))', 'syntax', 'number after (?C is greater than 255'],
    ];
    for (const [rule, code, text] of cases) {
      const d = parseRules(rule).diagnostics.find((x) => x.severity === 'error');
      expect({ rule, code: d?.code, has: d?.message.includes(text) }).toEqual({ rule, code, has: true });
    }
  });
});
