import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  createBytecodeEngine,
  createCustomPolicy,
  KEY_TOO_LONG,
  MAX_RULES,
  newSpan,
  NO_RULE_MATCHED,
  parseRules,
  slotOfBytes,
  utf8,
  type RuleSet,
} from '../../src/core/index.ts';
import { concat, editorLength, keyBytes, opts, runs } from './support.ts';

/** Characters and fragments that stress a PCRE parser: metacharacters, group syntaxes, unsupported constructs. */
const META = fc.constantFrom(..."()[]{}?*+|\\^$.-:,<>'=!#PpKkQEx0123456789aAbBdDsSwWnrtzZG}{ \t".split(''));
const FRAGMENTS = fc.constantFrom(
  '(?<tag>',
  '(?P<tag>',
  "(?'tag'",
  '(?<tag>.*)',
  '(?<tag>[^}]+)',
  '(?<Tag>',
  '(?<tag2>',
  '(?<>',
  '(?<tag>)',
  '(?P=tag)',
  '\\k<tag>',
  '\\{',
  '\\}',
  '(?:',
  '(?=',
  '(?!',
  '(?<=',
  '(?<!',
  '(?>',
  '\\K',
  '(?R)',
  '(?1)',
  '(?&tag)',
  '\\1',
  '\\g1',
  '(?(1)a|b)',
  '(*FAIL)',
  '(*SKIP)',
  '(?C)',
  '(?C1)',
  '(?i)',
  '(?s)',
  '(?m)',
  '(?x)',
  '(?xx)',
  '(?n)',
  '(?U)',
  '(?-i)',
  '(?i:',
  '(?^)',
  '(?|',
  '(?#c)',
  '\\Q',
  '\\E',
  '\\Q{(\\E',
  '[[:alpha:]]',
  '[[:foo:]]',
  '[a-',
  '[z-a]',
  '[]',
  '[^]',
  '[]a]',
  '[\\d-z]',
  '\\x{41}',
  '\\x{110000}',
  '\\x',
  '\\xg',
  '\\p{L}',
  '\\P{Lu}',
  '\\o{17}',
  '\\0',
  '\\07',
  '\\400',
  '\\c',
  '\\cA',
  '\\N',
  '\\R',
  '\\X',
  '\\C',
  '\\h',
  '\\v',
  '\\e',
  '\\f',
  '\\u0041',
  '\\U',
  '\\L',
  '{2,3}',
  '{,3}',
  '{3,}',
  '{99999}',
  '{65535}',
  '{1000}{1000}',
  '{3,2}',
  '*+',
  '++',
  '?+',
  '**',
  '.*',
  '|',
  ')',
  '(',
  '((',
  '))',
  'é',
  '日',
  '\ufeff',
  '\u00a0',
  '\r',
  '\n',
  '\r\n',
  '\x00',
  '#',
);

/** A rules text of hostile characters and fragments, several lines (LF or CRLF). */
const soupRule = fc
  .array(fc.oneof({ arbitrary: META, weight: 3 }, { arbitrary: FRAGMENTS, weight: 2 }, { arbitrary: fc.string({ maxLength: 3 }), weight: 1 }), {
    maxLength: 24,
  })
  .map((xs) => xs.join(''));
const soupText = fc.array(soupRule, { maxLength: 6 }).chain((lines) => fc.constantFrom('\n', '\r\n').map((nl) => lines.join(nl)));

/** Rules from a grammar of what the engine supports, each with a `tag` group: mostly valid, so the matcher runs. */
const atom = fc.constantFrom(
  'a',
  'b',
  'x',
  ':',
  '\\{',
  '\\}',
  '{',
  '}',
  '.',
  '[ab]',
  '[^a]',
  '[a-c{]',
  '[^}]',
  '[^{}]',
  '\\d',
  '\\w',
  '\\s',
  '\\W',
  '\\D',
  '\\S',
  '\\n',
  '\\r',
  '\\xff',
  '\\x00',
  '\\\\',
  'é',
  '(?:)',
  '[[:digit:]]',
);
const assertion = fc.constantFrom('^', '$', '\\b', '\\B', '\\z', '\\Z', '\\A');
const quant = fc.constantFrom('', '', '', '*', '+', '?', '*?', '+?', '??', '{2}', '{0,2}', '{1,}', '{1,3}?', '{0}', '{3}');
const { expr } = fc.letrec<{ expr: string; item: string }>((tie) => ({
  item: fc.oneof(
    { maxDepth: 2, depthIdentifier: 'rule', withCrossShrink: true },
    fc.tuple(atom, quant).map(([a, q]) => a + q),
    assertion,
    fc.tuple(fc.constantFrom('(?:', '(', '(?i:', '(?s:'), tie('expr'), quant).map(([open, e, q]) => `${open}${e})${q}`),
    fc.tuple(tie('expr'), tie('expr')).map(([a, b]) => `(?:${a}|${b})`),
  ),
  expr: fc.array(tie('item'), { maxLength: 3, depthIdentifier: 'rule' }).map((xs) => xs.join('')),
}));
const grammarRule = fc
  .tuple(
    fc.constantFrom('', '', '', '(?i)', '(?s)', '(?m)', '(?U)', '(?x)'),
    expr,
    fc.constantFrom('(?<tag>', '(?P<tag>', "(?'tag'"),
    expr,
    fc.constantFrom('', '', '', '?', '*', '+', '{0,1}'),
    fc.constantFrom('', '', '|', '|b'),
    expr,
  )
  .map(([flags, before, open, inside, q, alt, after]) => `${flags}${before}${open}${inside})${q}${alt}${after}`);
const grammarText = fc.array(grammarRule, { minLength: 1, maxLength: 5 }).map((xs) => xs.join('\n'));

/** A key placed inside a larger buffer, so absolute offsets are exercised. */
const placedKey = fc.tuple(fc.uint8Array({ maxLength: 4 }), keyBytes, fc.uint8Array({ maxLength: 4 }));

function checkRuleSet(text: string, set: RuleSet): void {
  const lines = text.split('\n').map((l) => (l.endsWith('\r') ? l.slice(0, -1) : l));
  const nonBlank = lines.map((l, n) => ({ l, n: n + 1 })).filter((x) => x.l.trim() !== '');
  const errors = set.diagnostics.filter((d) => d.severity === 'error');
  // Every non-blank line is either a rule or exactly one error; rules keep their 1-based position.
  expect(set.rules.length + errors.length).toBe(nonBlank.length);
  expect(set.ok).toBe(errors.length === 0);
  for (const r of set.rules) {
    expect(r.index).toBeLessThanOrEqual(MAX_RULES);
    expect(nonBlank[r.index - 1].n).toBe(r.line);
    expect(r.source).toBe(lines[r.line - 1]);
  }
  for (const d of set.diagnostics) {
    expect(d.line).toBeGreaterThanOrEqual(1);
    expect(d.line).toBeLessThanOrEqual(lines.length);
    expect(d.endLine).toBe(d.line);
    expect(d.column).toBeGreaterThanOrEqual(1);
    expect(d.endColumn).toBeGreaterThan(d.column);
    expect(d.endColumn).toBeLessThanOrEqual(editorLength(utf8(lines[d.line - 1])) + 1);
  }
}

function checkLocate(set: RuleSet, keys: [Uint8Array, Uint8Array, Uint8Array][], implicitShardKey: boolean): void {
  const policy = createCustomPolicy(set, createBytecodeEngine(), { implicitShardKey });
  const span = newSpan();
  for (const [pre, key, post] of keys) {
    const buf = concat([pre, key, post]);
    const start = pre.length;
    const end = start + key.length;
    span.start = span.end = span.rule = 12345;
    const slot = policy.locate(buf, start, end, span);
    expect(Number.isInteger(slot)).toBe(true);
    if (slot < 0) {
      expect([NO_RULE_MATCHED, KEY_TOO_LONG]).toContain(slot);
      if (implicitShardKey) expect(slot).not.toBe(NO_RULE_MATCHED);
      continue;
    }
    expect(slot).toBeLessThanOrEqual(16383);
    // The tag lies within the key, and the slot is the hash of the tag.
    expect(span.start).toBeGreaterThanOrEqual(start);
    expect(span.end).toBeGreaterThanOrEqual(span.start);
    expect(span.end).toBeLessThanOrEqual(end);
    expect(slot).toBe(slotOfBytes(buf, span.start, span.end));
    expect(span.rule).toBeGreaterThanOrEqual(0);
    expect(span.rule).toBeLessThanOrEqual(set.rules.length);
    if (span.rule === 0) expect(implicitShardKey).toBe(true);
  }
  policy.dispose();
}

describe('property: custom rules (parseRules + createCustomPolicy)', () => {
  it('parseRules never throws on hostile text; every non-blank line is a rule or one error, positions within the line', () => {
    fc.assert(
      fc.property(fc.oneof(soupText, fc.string({ maxLength: 60 }), fc.string({ unit: 'binary', maxLength: 60 })), (text) => {
        checkRuleSet(text, parseRules(text));
      }),
      opts(1000),
    );
  });

  it('a rule set with errors cannot make a policy', () => {
    fc.assert(
      fc.property(soupText, (text) => {
        const set = parseRules(text);
        if (!set.ok) expect(() => createCustomPolicy(set, createBytecodeEngine())).toThrow(/errors/);
      }),
      opts(300),
    );
  });

  it('hostile rules that parse: locate never throws, slot in [0, 16383] or a key error, tag within the key', () => {
    // Soup lines, also wrapped in a tag group, keeping those that parse on their own: valid but odd rules.
    const validSoup = fc
      .array(
        fc.tuple(soupRule, fc.boolean()).map(([r, wrap]) => (wrap ? `(?<tag>${r})` : r)),
        { minLength: 1, maxLength: 8 },
      )
      .map((rules) => rules.filter((r) => parseRules(r).ok && parseRules(r).rules.length === 1).join('\n'));
    let usable = 0;
    fc.assert(
      fc.property(validSoup, fc.array(placedKey, { minLength: 1, maxLength: 6 }), fc.boolean(), (text, keys, implicit) => {
        const set = parseRules(text);
        if (!set.ok) return;
        if (set.rules.length > 0) usable++;
        checkLocate(set, keys, implicit);
      }),
      opts(1000),
    );
    expect(usable).toBeGreaterThan(runs(1000) / 4);
  });

  it('grammar rules (mostly valid): positions, locate never throws, slot in range, tag within the key', () => {
    let usable = 0;
    fc.assert(
      fc.property(grammarText, fc.array(placedKey, { minLength: 1, maxLength: 8 }), fc.boolean(), (text, keys, implicit) => {
        const set = parseRules(text);
        checkRuleSet(text, set);
        if (!set.ok) return;
        if (set.rules.length > 0) usable++;
        checkLocate(set, keys, implicit);
      }),
      opts(600),
    );
    // The grammar is meant to produce usable rule sets: most of them should be.
    expect(usable).toBeGreaterThan(Math.floor(runs(600) / 2));
  });
});
