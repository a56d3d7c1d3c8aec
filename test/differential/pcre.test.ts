import { describe, expect, it } from 'vitest';
import { fromLatin1, latin1, STANDARD_RULES, utf8 } from '../../src/core/index.ts';
import { pcreMatchMany, type PcreResult } from '../oracles/pcre2.ts';
import { adversarialKey, keyCorpus, rng } from '../support/generate.ts';
import { customPolicy, runPolicy, standardPolicy, type CoreResult } from '../support/run-core.ts';

/** What the server does with a rule set, computed from real PCRE: first rule that matches, its tag. */
async function pcreFirstMatch(rules: string[], keys: Uint8Array[]): Promise<CoreResult[]> {
  // pcre2test reads pattern bytes; rules are text, so hand it their UTF-8 bytes.
  const results: PcreResult[][] = await pcreMatchMany(rules.map((r) => ({ pattern: latin1(utf8(r)), subjects: keys })));
  for (const r of results) if (r[0]?.error?.startsWith('compile error')) throw new Error(r[0].error);
  return keys.map((_, k) => {
    for (let r = 0; r < rules.length; r++) {
      const res = results[r][k];
      if (res.error) throw new Error(`pcre2test: ${res.error}`);
      if (res.matched) return { slot: 0, tag: res.groups.tag ?? new Uint8Array(), rule: r + 1 };
    }
    return { slot: -1, tag: null, rule: 0 };
  });
}

function compare(keys: Uint8Array[], ours: CoreResult[], pcre: CoreResult[]) {
  const bad: object[] = [];
  keys.forEach((key, i) => {
    const a = ours[i];
    const b = pcre[i];
    const same = a.rule === b.rule && (a.tag === null) === (b.tag === null) && (a.tag === null || latin1(a.tag) === latin1(b.tag!));
    if (!same && bad.length < 8) {
      bad.push({
        key: JSON.stringify(latin1(key)),
        ours: [a.rule, a.tag && JSON.stringify(latin1(a.tag))],
        pcre: [b.rule, b.tag && JSON.stringify(latin1(b.tag))],
      });
    }
  });
  return bad;
}

describe('Standard policy equals real PCRE (pcre2test, non-UTF, anchored)', () => {
  it('on 20,000 adversarial keys', async () => {
    const keys = keyCorpus(7, 20_000);
    const pcre = await pcreFirstMatch([...STANDARD_RULES], keys);
    expect(compare(keys, runPolicy(standardPolicy, keys), pcre)).toEqual([]);
  });
});

/** Rule sets that exercise what users write, and the corners of PCRE's match order. */
const RULE_SETS: { name: string; rules: string[]; alphabet?: string[] }[] = [
  { name: 'typical', rules: ['(?<tag>user:\\d+):.*', 'bull:\\{(?<tag>[^}]+)\\}:.*', '.*\\{(?<tag>.*)\\}.*', '(?<tag>.*)'] },
  { name: 'prefix up to a colon', rules: ['(?<tag>[^:]+):(?:[^:]+:)*.*', '(?<tag>)'] },
  { name: 'lazy', rules: ['(?<tag>.*?)\\}', '.*?\\{(?<tag>.*?)\\}', '(?<tag>.+?)$'] },
  { name: 'case-insensitive and classes', rules: ['(?i)(?<tag>user|cart)[:_-]?\\w*', '(?i:[a-z]+)(?<tag>\\d{2,4})', '(?<tag>[[:alpha:]]+)[^[:alnum:]]'] },
  { name: 'counted', rules: ['x{2,5}(?<tag>.)', '(?<tag>a{0,3}?b{2})', '(?:ab){2,}(?<tag>.{1,3})', '(?<tag>(?:a|b){3})'] },
  { name: 'alternation priority', rules: ['(?<tag>a|ab)(?:c|bcd)(?<rest>d*)', '(?<tag>ab|a)(?:bc|c)?', '(?:(?<tag>a)|b)*c'] },
  { name: 'nullable loops', rules: ['(?:(?<tag>b*))*c', '(?:a|(?<tag>))*b', '(?<tag>(?:a?)*)\\}', '(?:(?<tag>x?)y?)+z'] },
  { name: 'anchors', rules: ['(?<tag>.*)$', '(?<tag>[^\\n]*)\\Z', '(?m)(?<tag>a$\\n^b)', '(?<tag>\\w+)\\b', '\\B(?<tag>.)', '(?<tag>a\\Rb)'] },
  { name: 'dotall and extended', rules: ['(?s)(?<tag>.*)\\}', '(?x) (?<tag> [a-z]+ ) \\s* \\d # comment', '(?<tag>\\N+)'] },
  { name: 'bytes', rules: ['(?<tag>é+)', '(?<tag>\\xff\\x00?)', '(?<tag>[\\x80-\\xff]+)', '(?<tag>\\C\\C)', '(?<tag>\\h+)\\v'] },
  { name: 'escapes', rules: ['(?<tag>\\Q{}*\\E)+', '(?<tag>\\x{7b}[^\\x7d]*)', '(?<tag>\\t|\\e|\\cA|\\o{101}|\\101)'] },
  // Found in review: quantifiers after \Q…\E, \E and comments; \E inside classes; caseless POSIX.
  {
    name: 'quoting and comments',
    rules: ['(?<tag>\\Qab\\E+)c', '(?<tag>a\\E+)c', '(?<tag>ab\\Q\\E+)c', '(?<tag>a\\Q\\E*)c', '(?<tag>a(?#c)+)c', '(?<tag>a*(?#c)?)c'],
  },
  {
    name: 'extended and classes',
    rules: ['(?x)(?<tag>a* ?)c', '(?x)(?<tag>a+ ?)b', '(?<tag>[a\\E-z]+)c', '(?<tag>[\\E]a]+)c', '(?<tag>[^\\Q\\E]a]+)c', '(?i)(?<tag>[[:^upper:]]+)'],
  },
];

describe('Custom rules equal real PCRE (pcre2test, non-UTF, anchored)', () => {
  for (const set of RULE_SETS) {
    it(`${set.name}: ${set.rules.join('  ')}`, async () => {
      const rand = rng(set.name.length * 7919);
      const keys = [...keyCorpus(set.name.length, 3000)];
      const letters = ['a', 'b', 'c', 'd', 'x', 'y', 'z', '{', '}', ':', 'user', 'CART', '12', '\n', '\r\n', 'é', '\xff', '\x00', ' ', '\\'];
      for (let i = 0; i < 3000; i++) {
        const n = Math.floor(rand() * 10);
        let s = '';
        for (let k = 0; k < n; k++) s += letters[Math.floor(rand() * letters.length)];
        keys.push(s.includes('é') ? utf8(s) : fromLatin1(s));
      }
      for (let i = 0; i < 200; i++) keys.push(adversarialKey(rand, 30));
      const pcre = await pcreFirstMatch(set.rules, keys);
      const ours = runPolicy(customPolicy(set.rules.join('\n')), keys);
      expect(compare(keys, ours, pcre)).toEqual([]);
    });
  }
});
