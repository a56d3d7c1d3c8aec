import { describe, expect, it } from 'vitest';
import { latin1, utf8 } from '../bytes.ts';
import { createCustomPolicy, NO_RULE_MATCHED } from '../slots/policy.ts';
import { newSpan } from '../slots/span.ts';
import { createBytecodeEngine } from './bytecode-engine.ts';
import { MAX_RULES, parseRules } from './ruleset.ts';

function policyOf(rules: string, implicitShardKey = false) {
  const set = parseRules(rules);
  expect(set.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
  return createCustomPolicy(set, createBytecodeEngine(), { implicitShardKey });
}

function tagOf(rules: string, key: string | Uint8Array) {
  const p = policyOf(rules);
  const bytes = typeof key === 'string' ? utf8(key) : key;
  const span = newSpan();
  const slot = p.locate(bytes, 0, bytes.length, span);
  return slot < 0 ? null : { tag: latin1(bytes, span.start, span.end), rule: span.rule };
}

const codes = (rules: string) => parseRules(rules).diagnostics.map((d) => d.code);

describe('rule validation', () => {
  it('accepts the three spellings of a named group', () => {
    for (const r of ['(?<tag>a)', '(?P<tag>a)', "(?'tag'a)"]) expect(codes(r)).toEqual([]);
  });
  it('needs a group named tag', () => {
    expect(codes('(?<tags>a)')).toEqual(['missing-tag']);
    expect(codes('(a)')).toEqual(['missing-tag']);
  });
  it('enforces the Redis Cloud limits', () => {
    const rules = Array.from({ length: MAX_RULES + 1 }, (_, i) => `(?<tag>r${i})`).join('\n');
    const d = parseRules(rules).diagnostics;
    expect(d.map((x) => [x.code, x.line])).toEqual([['too-many-rules', MAX_RULES + 1]]);
    expect(codes(`(?<tag>${'a'.repeat(248)})`)).toEqual([]);
    const long = parseRules(`(?<tag>${'a'.repeat(249)})`).diagnostics;
    expect(long.map((x) => [x.code, x.column])).toEqual([['rule-too-long', 257]]);
  });
  it.each([
    ['(?<tag>a', 'syntax'],
    ['(?<tag>a))', 'syntax'],
    ['(?<tag>[a-)', 'syntax'],
    ['(?<tag>[z-a])', 'syntax'],
    ['(?<tag>*a)', 'syntax'],
    ['(?<tag>a**)', 'syntax'],
    ['(?<tag>\\y)', 'syntax'],
    ['(?<tag>a{2,1})', 'syntax'],
    ['(?<tag>a)(?<tag>b)', 'syntax'],
    ['(?<tag>a)\\', 'syntax'],
    ['(?=a)(?<tag>a)', 'unsupported-lookahead'],
    ['(?<!a)(?<tag>a)', 'unsupported-lookbehind'],
    ['(?<tag>a)\\1', 'unsupported-backreference'],
    ['(?<tag>a)\\k<tag>', 'unsupported-backreference'],
    ['(?<tag>a)(?P=tag)', 'unsupported-backreference'],
    ['(?<tag>(?:ab)++)', 'unsupported-atomic'],
    ['(?<tag>(?>a))', 'unsupported-atomic'],
    ['a\\K(?<tag>b)', 'unsupported-keep'],
    ['(?<tag>a(?R)?)', 'unsupported-recursion'],
    ['(?<tag>(?(1)a|b))', 'unsupported-conditional'],
    ['(*SKIP)(?<tag>a)', 'unsupported-verb'],
    ['(?<tag>((?:ab){200}){200})', 'rule-too-complex'],
  ])('%s → %s', (rule, code) => {
    expect(codes(rule)).toEqual([code]);
  });
  it('points at the offending construct', () => {
    const [d] = parseRules('(?<tag>x)\n  ab(?=c)(?<tag>d)').diagnostics;
    expect(d).toMatchObject({ line: 2, column: 5, endColumn: 8 });
    expect(d.message).toMatch(/lookahead/);
  });
  it('warns when the tag may be unset', () => {
    expect(parseRules('(?<tag>a)?b').diagnostics.map((d) => [d.code, d.severity])).toEqual([['tag-may-be-unset', 'warning']]);
    expect(parseRules('(?<tag>a)|b').diagnostics[0]?.code).toBe('tag-may-be-unset');
    expect(parseRules('(?:x|y)(?<tag>a)+').diagnostics).toEqual([]);
  });
});

describe('custom policy semantics (PCRE byte mode, anchored)', () => {
  it('first matching rule wins, anchored at the start only', () => {
    const rules = '(?<tag>user:\\d+):.*\n(?<tag>cart)\n.*\\{(?<tag>.*)\\}.*';
    expect(tagOf(rules, 'user:42:cart')).toEqual({ tag: 'user:42', rule: 1 });
    expect(tagOf(rules, 'cartoon')).toEqual({ tag: 'cart', rule: 2 });
    expect(tagOf(rules, 'x{y}')).toEqual({ tag: 'y', rule: 3 });
    expect(tagOf(rules, 'xcart')).toBeNull();
  });
  it('a key no rule matches is an error unless implicit_shard_key', () => {
    const key = utf8('test');
    const span = newSpan();
    expect(policyOf('(?<tag>x)').locate(key, 0, 4, span)).toBe(NO_RULE_MATCHED);
    const implicit = policyOf('(?<tag>x)', true);
    expect(implicit.locate(key, 0, 4, span)).toBe(6918);
    expect([span.start, span.end, span.rule]).toEqual([0, 4, 0]);
  });
  it('.*(?<tag>) as the last rule sends everything to slot 0', () => {
    const p = policyOf('(?<tag>a)b\n.*(?<tag>)');
    const span = newSpan();
    expect(p.locate(utf8('zzz'), 0, 3, span)).toBe(0);
    expect(span.rule).toBe(2);
  });
  it('follows PCRE priority: greedy, lazy, alternation order', () => {
    expect(tagOf('(?<tag>a|ab)(c|bcd)', 'abcd')?.tag).toBe('a');
    expect(tagOf('(?<tag>.*?)\\}', 'a}b}')?.tag).toBe('a');
    expect(tagOf('(?<tag>.*)\\}', 'a}b}')?.tag).toBe('a}b');
    expect(tagOf('(?<tag>a{2,3}?)', 'aaaa')?.tag).toBe('aa');
    expect(tagOf('(?<tag>x*)(?:a|b)*c', 'xxababc')?.tag).toBe('xx');
    expect(tagOf('(?:(?<tag>a)|b)*', 'ab')?.tag).toBe('a');
  });
  it('runs on bytes: . is one byte, a UTF-8 literal is its bytes, (?i) folds ASCII only', () => {
    expect(tagOf('(?<tag>..)', 'é!')?.tag).toBe(latin1(utf8('é')));
    expect(tagOf('(?<tag>é)', 'é')?.tag).toBe(latin1(utf8('é')));
    expect(tagOf('(?i)(?<tag>abc)', 'AbC')?.tag).toBe('AbC');
    expect(tagOf('(?i)(?<tag>é)', 'É')).toBeNull();
    expect(tagOf('(?<tag>\\s+)', '\x0b\t x')?.tag).toBe('\x0b\t ');
    expect(tagOf('(?<tag>.*)', 'ab\ncd')?.tag).toBe('ab');
    expect(tagOf('(?s)(?<tag>.*)', 'ab\ncd')?.tag).toBe('ab\ncd');
    expect(tagOf('(?<tag>\\xff+)', new Uint8Array([0xff, 0xff, 0x61]))?.tag).toBe('\xff\xff');
  });
  it('handles anchors and boundaries', () => {
    expect(tagOf('(?<tag>\\w+)\\b', 'ab cd')?.tag).toBe('ab');
    expect(tagOf('(?<tag>.*)$', 'ab\n')?.tag).toBe('ab');
    expect(tagOf('(?<tag>.*)\\z', 'ab\n')).toBeNull();
    expect(tagOf('(?m)a$\\n^(?<tag>b)', 'a\nb')?.tag).toBe('b');
    expect(tagOf('a\\R(?<tag>b)', 'a\r\nb')?.tag).toBe('b');
  });
  it('an unset tag hashes as empty', () => {
    expect(tagOf('(?<tag>x)?y', 'y')).toEqual({ tag: '', rule: 1 });
  });
});

describe('hostile rules finish in linear time (the test times out if not)', () => {
  const long = 'a'.repeat(200_000);
  it.each(['(?<tag>(a+)+b)', '(?<tag>(.*)*x)', '(?<tag>(a|a)*b)', '(?<tag>(a*)*b)', '.*\\{(?<tag>.*)\\}.*x', '(?<tag>(?:a?){50}a{50})b'])('%s', (rule) => {
    expect(tagOf(rule, long + '!')).toBeNull();
  });
  it('brace soup under the standard rules', () => {
    expect(tagOf('.*\\{(?<tag>.*)\\}.*', '{'.repeat(200_000))).toBeNull();
  });
});

describe('rules whose matcher cost would explode are refused', () => {
  it('more than 8 nested repeats that can match empty', () => {
    const nested = (n: number) => `(?<tag>${'(?:'.repeat(n)}a*${')*'.repeat(n)})`;
    expect(parseRules(nested(8)).diagnostics).toEqual([]);
    expect(parseRules(nested(9)).diagnostics.map((d) => d.code)).toEqual(['rule-too-complex']);
  });
});
