import { describe, expect, it } from 'vitest';
import { utf8 } from '../../bytes.ts';
import { keyAt, parseKeyList } from '../../input/keylist.ts';
import { createBytecodeEngine } from '../../rules/bytecode-engine.ts';
import { parseRules } from '../../rules/ruleset.ts';
import { slotOfBytes } from '../../slots/crc16.ts';
import { createCustomPolicy, redisPolicy, standardPolicy, type Policy } from '../../slots/policy.ts';
import { STANDARD_RULES } from '../../slots/standard.ts';
import { parseKeyPatterns, parsePatternSyntax } from '../language/parse.ts';
import { createReasoner } from './reason.ts';
import { instantiate } from '../language/expand.ts';
import { rng } from '../../random.ts';

/** Patterns (constants allowed) with one schema, and the reasoner's answers by index. */
function setup(policy: Policy, patterns: string[], options = {}) {
  const doc = parseKeyPatterns(utf8(patterns.join('\n')));
  if (doc.diagnostics.length) throw new Error(JSON.stringify(doc.diagnostics));
  const parts = patterns.map((p) => parsePatternSyntax(utf8(p)).parts);
  const reasoner = createReasoner(policy, doc.schema, options);
  return {
    reasoner,
    hashing: (i: number) => reasoner.hashing(parts[i]),
    group: (...idx: number[]) => reasoner.group(idx.map((i) => parts[i])),
  };
}
const custom = (rules: string) => {
  const set = parseRules(rules);
  return { policy: createCustomPolicy(set, createBytecodeEngine()), ruleSet: set };
};

describe('what a pattern hashes', () => {
  it.each([
    // pattern, Redis, Standard
    ['user:{<uid>}:cart', 'tag <uid>', 'tag <uid>'],
    ['user:<uid>:cart', 'key user:<uid>:cart', 'key user:<uid>:cart'],
    ['a{b}{<x>}', 'tag b', 'tag <x>'],
    ['foo{}{<x>}', 'key foo{}{<x>}', 'tag <x>'],
    ['{<t>}:{<u:int>}', 'tag <t>', 'tag <u>'],
    ['order:{<y:int>}{<r:eu|us>}:<id:int>', 'tag <y>', 'tag <r>'],
    ['{user:<uid>}:x', 'tag user:<uid>', 'tag user:<uid>'],
    ['\\<a>{<x:date>}', 'tag <x>', 'tag <x>'],
  ])('%s: Redis %s, Standard %s', (pattern, redis, standard) => {
    for (const [policy, want] of [
      [redisPolicy, redis],
      [standardPolicy, standard],
    ] as const) {
      const h = setup(policy, [pattern]).hashing(0);
      expect(`${h.hashing.kind} ${h.hashing.expr}`).toBe(want);
      expect(h.warnings).toEqual([]);
      expect(h.sampled).toBe(false);
    }
  });
  it('warns where a str value changes the hashed part, with a key that shows it', () => {
    const redis = setup(redisPolicy, ['user:{<q:str>}:cart']).hashing(0);
    expect(redis.hashing).toEqual({ expr: '<q>', kind: 'tag' });
    expect(redis.warnings.map((w) => [w.message, w.example.keys[0]])).toEqual([
      ['when <q> is empty, it hashes the whole key instead of <q>', 'user:{}:cart'],
      ['when <q> contains `}`, it hashes <part of q> instead of <q>', expect.stringMatching(/^user:\{[a-z]*\}[a-z]*\}:cart$/)],
    ]);
    const standard = setup(standardPolicy, ['user:{<q:str>}:cart']).hashing(0);
    expect(standard.hashing).toEqual({ expr: '<q>', kind: 'tag', rule: 1 });
    expect(standard.warnings.map((w) => [w.code, w.example.keys[0]])).toEqual([
      ['empty-tag', 'user:{}:cart'],
      ['value-changes-hashed-part', expect.stringMatching(/^user:\{[a-z]*\{[a-z]*\}:cart$/)],
      ['value-changes-hashed-part', expect.stringMatching(/^"user:\{[a-z]*\\n/)],
    ]);
    expect(standard.warnings[2].message).toBe('when <q> contains a line feed, it hashes the first line, user:{<part of q> instead of <q>');
  });
  it('an enumeration value with braces is its own case', () => {
    const h = setup(redisPolicy, ['k:<r:x|{y}>:z']).hashing(0);
    expect(h.hashing).toEqual({ expr: 'k:<r>:z', kind: 'key' });
    expect(h.warnings.map((w) => w.message)).toEqual(['when <r> is {y}, it hashes y instead of the whole key']);
  });
});

describe('do two patterns share a slot for the same values', () => {
  const redis = setup(redisPolicy, [
    'user:{<uid>}:profile',
    'user:{<uid>}:cart',
    'user:<uid>:profile',
    'user:<uid>:cart',
    '{<x:str>}:a',
    '{<x:str>}:b',
    '{<r:eu|us>}:a',
    '{<q:eu|us>}:b',
    '{cfg}:a',
    '{cfg}:b',
    'a',
    'b',
    'order:{<oid:int>}',
  ]);
  it('always when they hash the same expression', () => {
    const v = redis.group(0, 1);
    expect(v).toMatchObject({ verdict: 'always', exact: true, sampled: false, reason: 'all hash <uid>' });
    expect(new Set(v.same!.slots).size).toBe(1);
    expect(redis.group(8, 9)).toMatchObject({ verdict: 'always', reason: 'all hash cfg' });
  });
  it('never (except by chance) when they hash different expressions of the same values', () => {
    const v = redis.group(2, 3);
    expect(v).toMatchObject({
      verdict: 'never',
      exact: false,
      reason: 'they hash user:<uid>:profile (whole key) vs user:<uid>:cart (whole key): one slot only by chance (1 in 16384)',
    });
    expect(v.different!.slots[0]).not.toBe(v.different!.slots[1]);
    // Issue 20: different placeholders whose values can be equal (<uid> is a word, <oid> an int: "7").
    expect(redis.group(0, 12)).toMatchObject({ verdict: 'depends', reason: 'different slots (<uid> vs <oid>), except when <oid> is the same as <uid>' });
    expect(redis.group(0, 12).same!.binding.uid).toBe(redis.group(0, 12).same!.binding.oid);
  });
  it('never, exactly, for constant keys in different slots', () => {
    expect(redis.group(10, 11)).toMatchObject({ verdict: 'never', exact: true });
  });
  it('depends, with keys for each outcome: an empty str turns {<x>} into {}', () => {
    const v = redis.group(4, 5);
    expect(v.verdict).toBe('depends');
    // Complete: an <x> that starts with `}` also leaves `{}` (issue 20).
    expect(v.reason).toBe('one slot, except when <x> is empty, or <x> starts with `}` (then {}:a (whole key) vs {}:b (whole key))');
    expect(new Set(v.same!.slots).size).toBe(1);
    expect(v.different!.keys).toEqual(['{}:a', '{}:b']);
    expect(new Set(v.different!.slots).size).toBe(2);
  });
  it('Standard hashes the same str in every case (an empty tag is slot 0 for both)', () => {
    expect(setup(standardPolicy, ['{<x:str>}:a', '{<x:str>}:b']).group(0, 1)).toMatchObject({ verdict: 'always', reason: 'all hash <x> in every case' });
  });
  it('depends for independent enumerations: same slot when the values are equal', () => {
    const v = redis.group(6, 7);
    expect(v.verdict).toBe('depends');
    expect(v.same!.keys).toEqual(['{eu}:a', '{eu}:b']);
    expect(v.different!.keys).toEqual(['{eu}:a', '{us}:b']);
  });
  it('three keys: always only when every key shares the slot', () => {
    expect(redis.group(0, 1, 0).verdict).toBe('always');
    expect(redis.group(0, 1, 2).verdict).toBe('never');
  });
});

describe('CRC linearity decides different expressions exactly', () => {
  // Two 3-letter strings in one slot exist (17576 > 16384): find the first pair.
  const bySlot = new Map<number, string>();
  let pair: [string, string] | null = null;
  for (let i = 0; i < 26 ** 3 && !pair; i++) {
    const s = String.fromCharCode(97 + Math.floor(i / 676), 97 + (Math.floor(i / 26) % 26), 97 + (i % 26));
    const slot = slotOfBytes(utf8(s));
    const other = bySlot.get(slot);
    if (other) pair = [other, s];
    else bySlot.set(slot, s);
  }
  it('same-length literals that collide give "always" whatever the value before them', () => {
    const [a, b] = pair!;
    const v = setup(redisPolicy, [`<id:int>:${a}`, `<id:int>:${b}`]).group(0, 1);
    expect(v).toMatchObject({ verdict: 'always', exact: true });
    expect(v.reason).toContain('give one slot for every value');
  });
  it('prefixes of different lengths before a value: same slot exactly for the lengths where the CRCs meet', () => {
    // Brute force over the window the reasoner uses (values up to 128 bytes).
    for (const [p, q] of [
      ['cart:', 'orders:'],
      ['a', 'bb'],
      ['user:', 'usr:'],
      ['x', 'y'],
    ]) {
      const v = setup(redisPolicy, [`${p}<id:word>`, `${q}<id:word>`]).group(0, 1);
      const lengths = Array.from({ length: 128 }, (_, n) => n + 1).filter((n) => slotOfBytes(utf8(p + 'a'.repeat(n))) === slotOfBytes(utf8(q + 'a'.repeat(n))));
      expect([p, q, v.verdict]).toEqual([p, q, lengths.length ? 'depends' : 'never']);
      if (lengths.length) expect(lengths).toContain(v.same!.binding.id.length);
    }
  });
});

describe('custom rules', () => {
  const rules = custom('(?<tag>user:\\d+):.*\n(?<tag>.*)');
  it('are sampled through the policy, and say so', () => {
    const s = setup(rules.policy, ['user:<uid:int>:cart', 'user:<uid:int>:orders', 'user:<w>:cart', 'user:<w>:orders'], { ruleSet: rules.ruleSet });
    expect(s.reasoner.mode).toBe('sampled');
    expect(s.hashing(0)).toEqual({ hashing: { expr: 'user:<uid>', kind: 'tag', rule: 1 }, warnings: [], sampled: true });
    expect(s.group(0, 1)).toMatchObject({ verdict: 'always', sampled: true });
    // A word is sometimes all digits (rule 1, one slot), usually not (rule 2, whole key).
    const v = s.group(2, 3);
    expect(v.verdict).toBe('depends');
    expect(v.same!.binding.w).toMatch(/^\d+$/);
    expect(s.hashing(2).warnings[0].message).toMatch(/^for \d+ of 400 sampled values, rule 1 hashes user:<w> instead of user:<w>:cart$/);
  });
  it('are exact when every placeholder has few values', () => {
    const s = setup(rules.policy, ['user:<n:1|2|x>:a', 'user:<n>:b'], { ruleSet: rules.ruleSet });
    expect(s.group(0, 1)).toMatchObject({ verdict: 'depends', sampled: false, reason: 'one slot for 2 of the 3 possible values, different slots for 1' });
  });
  it('report keys no rule matches: the server refuses them', () => {
    const only = custom('(?<tag>user:\\d+):.*');
    const s = setup(only.policy, ['session:<sid>', 'user:<uid:int>:a'], { ruleSet: only.ruleSet });
    expect(s.hashing(0).warnings.map((w) => w.code)).toEqual(['no-rule-matched']);
    expect(s.group(0, 1)).toMatchObject({ verdict: 'never', reason: 'no rule matches these keys: the server refuses them' });
  });
  it("equal to Standard's rules, are reasoned about exactly", () => {
    const std = custom(STANDARD_RULES.join('\n'));
    const s = setup(std.policy, ['{<x:str>}:a', '{<x:str>}:b'], { ruleSet: std.ruleSet });
    expect(s.reasoner.mode).toBe('symbolic');
    expect(s.group(0, 1)).toMatchObject({ verdict: 'always', sampled: false });
  });
});

describe('examples are real', () => {
  it('example keys, read back from their display form, have the slots shown and the outcome claimed', () => {
    const s = setup(redisPolicy, ['a:{<s:str>}', 'b:{<s:str>}x', '<s:str>:{<t>}', '{<t>}', '<s:str>\n{<t>}']);
    const read = (shown: string) => keyAt(parseKeyList(utf8(shown)), 0);
    let checked = 0;
    for (const [i, j] of [
      [0, 1],
      [0, 2],
      [1, 2],
      [2, 3],
      [3, 4],
      [2, 4],
    ]) {
      const v = s.group(i, j);
      for (const [kind, e] of [
        ['same', v.same],
        ['different', v.different],
      ] as const) {
        if (!e) continue;
        const slots = e.keys.map((k) => redisPolicy.locate(read(k), 0, read(k).length, { start: 0, end: 0, rule: 0 }));
        expect(slots).toEqual(e.slots);
        expect(new Set(slots).size === 1).toBe(kind === 'same');
        checked++;
      }
    }
    expect(checked).toBeGreaterThan(6);
  });
});

describe('differences that depend on lengths only', () => {
  it('prefixes of one length and one CRC always share a slot (user: and zrem:), and so does a NUL prefix', () => {
    for (const policy of [redisPolicy, standardPolicy]) {
      for (const [a, b] of [
        ['user:<uid>', 'zrem:<uid>'],
        ['user:<uid>:a', 'zrem:<uid>:a'],
        ['\\x00<c>', '<c>'],
        ['{\\x00<c>}', '{<c>}'],
        ['<c>', '\\x00<c>'],
      ]) {
        const read = (p: string) => p.replace('\\x00', '\0');
        const v = setup(policy, [read(a), read(b)]).group(0, 1);
        expect([policy.name, a, b, v.verdict, v.exact]).toEqual([policy.name, a, b, 'always', true]);
        expect(new Set(v.same!.slots).size).toBe(1);
      }
    }
  });
  it('four ids of open length: the slot difference depends on their total length only, and the reason says so', () => {
    const patterns = ['device:<a:int>:<b:int>:<c:int>:<d:int>', 'tokens:<a:int>:<b:int>:<c:int>:<d:int>'];
    for (const policy of [redisPolicy, standardPolicy]) {
      const v = setup(policy, patterns).group(0, 1);
      expect(v).toMatchObject({ verdict: 'depends', exact: true, sampled: false });
      expect(v.reason).toMatch(/except when <a>\+<b>\+<c>\+<d> together are 40 bytes long$/);
      const ids = Object.values(v.same!.binding);
      expect(ids.join('').length).toBe(40);
    }
    // Every binding of four 10-digit ids (40 bytes) shares a slot; 39 bytes never does.
    const doc = parseKeyPatterns(utf8(patterns.join('\n')));
    const rand = rng(5);
    for (const [length, same] of [
      [10, true],
      [9, false],
    ] as const) {
      for (let i = 0; i < 40; i++) {
        const id = () => String(1 + Math.floor(rand() * 9)) + Array.from({ length: length - 1 }, () => Math.floor(rand() * 10)).join('');
        const b = new Map(['a', 'b', 'c', 'd'].map((n) => [n, utf8(id())]));
        const slots = doc.patterns.map((p) => slotOfBytes(instantiate(p.parts, b)));
        expect(slots[0] === slots[1]).toBe(same);
      }
    }
  });
  it('five words of open length: same', () => {
    const v = setup(redisPolicy, ['device:<a>:<b>:<c>:<d>:<e>', 'tokens:<a>:<b>:<c>:<d>:<e>']).group(0, 1);
    expect(v.verdict).toBe('depends');
    expect(v.reason).toMatch(/except when <a>\+<b>\+<c>\+<d>\+<e> together are 39 bytes long$/);
  });
  it('three keys: the lengths that put all of them in one slot are solved together, whatever the seed', () => {
    // Keys 1 and 2 meet when <a> is 10 bytes long, keys 1 and 3 when <d> and <a> together are 11.
    const patterns = ['a!<d>:::::::::::::q!!<a>', 'a!<d>:::::::::::::r5g<a>', '!!)<d>:::::::::::::q!!<a>'];
    for (let seed = 1; seed <= 10; seed++) {
      const v = setup(redisPolicy, patterns, { seed }).group(0, 1, 2);
      expect(v.verdict).toBe('depends');
      expect(v.reason).toMatch(/except when <d> is 1 byte long and <a> is 10 bytes long$/);
      expect(new Set(v.same!.slots).size).toBe(1);
      expect(new Set(v.different!.slots).size).toBeGreaterThan(1);
    }
  });
});

describe('values of one finite type may be equal', () => {
  it('two hex2 values in tags: one slot when they are equal, decided exactly (not by sampling)', () => {
    for (const policy of [redisPolicy, standardPolicy]) {
      const s = setup(policy, ['{<a:hex2>}:<c:hex2>', '{<b:hex2>}:<c:hex2>', '{<a:hex2><b:hex2>}', '{<b:hex2><a:hex2>}']);
      for (const [i, j] of [
        [0, 1],
        [2, 3],
      ]) {
        const v = s.group(i, j);
        expect(v).toMatchObject({
          verdict: 'depends',
          sampled: false,
          reason: expect.stringMatching(/^different slots \(.+\), except when <b> is the same as <a>$/),
        });
        expect(v.same!.binding.a).toBe(v.same!.binding.b);
        expect(new Set(v.same!.slots).size).toBe(1);
      }
    }
  });
  it('custom rules: sampled bindings give values of one finite type equal values too, and the samples budget is kept', () => {
    const rules = custom('(?<tag>x):.*\n(?<tag>.*)');
    const s = setup(rules.policy, ['{<a:hex2>}:<c:hex2>', '{<b:hex2>}:<c:hex2>'], { ruleSet: rules.ruleSet, samples: 100 });
    const v = s.group(0, 1);
    expect(v).toMatchObject({ verdict: 'depends', sampled: true });
    expect(v.reason).toMatch(/^one slot for \d+ of 100 sampled values/);
    // 256 values of one hex2 fit a budget of 400, not one of 100.
    const one = setup(rules.policy, ['a:<a:hex2>', 'b:<a:hex2>'], { ruleSet: rules.ruleSet, samples: 400 });
    expect(one.group(0, 1)).toMatchObject({ sampled: false, reason: 'different slots for 256 of the 256 possible values' });
    const few = setup(rules.policy, ['a:<a:hex2>', 'b:<a:hex2>'], { ruleSet: rules.ruleSet, samples: 100 });
    expect(few.group(0, 1)).toMatchObject({ sampled: true, reason: expect.stringMatching(/of 100 sampled values/) });
  });
});
