/**
 * Issue 8, limits on custom rules: 33 rules, a 257-byte rule, catastrophic-backtracking shapes and
 * deeply nested groups — each refused with the message the user sees, or run to the right answer.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createBytecodeEngine,
  createCustomPolicy,
  latin1,
  MAX_RULE_BYTES,
  MAX_RULES,
  newSpan,
  NO_RULE_MATCHED,
  parseRules,
  utf8,
} from '../../src/core/index.ts';
import { parseRule } from '../../src/core/rules/parse.ts';
import { pcreMatchMany } from '../oracles/pcre2.ts';
import { hashslot } from './cli.ts';

let dir: string;
beforeAll(() => void (dir = mkdtempSync(join(tmpdir(), 'limits-rules-'))));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const problems = (rules: string) =>
  parseRules(rules).diagnostics.map((d) => ({ severity: d.severity, code: d.code, message: d.message, line: d.line, column: d.column }));

/** `hashslot slots --policy custom --rules FILE` on one key: what a user of the CLI sees. */
async function cliWithRules(rules: string) {
  const file = join(dir, 'rules.txt');
  writeFileSync(file, rules);
  const run = await hashslot(['slots', '--policy', 'custom', '--rules', file, '--json'], utf8('k\n'));
  return { code: run.code, stderr: run.stderr.replaceAll(file, 'rules.txt').trim() };
}

/** The tag the bytecode engine finds for `key` under one rule, or null when nothing matches. */
function tagOf(rule: string, key: Uint8Array): string | null {
  const span = newSpan();
  const slot = createCustomPolicy(parseRules(rule), createBytecodeEngine()).locate(key, 0, key.length, span);
  return slot === NO_RULE_MATCHED ? null : latin1(key, span.start, span.end);
}

describe('rule count and size (Redis Cloud: 32 rules of 256 bytes)', () => {
  const rules = (n: number) => Array.from({ length: n }, (_, i) => `(?<tag>r${i})`).join('\n');

  it('32 rules are fine; rule 33 is refused on its line', () => {
    expect(MAX_RULES).toBe(32);
    expect(problems(rules(32))).toEqual([]);
    expect(problems(rules(33))).toEqual([{ severity: 'error', code: 'too-many-rules', message: 'rule 33: at most 32 rules are allowed', line: 33, column: 1 }]);
  });

  it('a 256-byte rule is fine; a 257-byte one is refused at byte 257', () => {
    expect(MAX_RULE_BYTES).toBe(256);
    expect(problems(`(?<tag>${'a'.repeat(248)})`)).toEqual([]);
    expect(problems(`(?<tag>${'a'.repeat(249)})`)).toEqual([
      { severity: 'error', code: 'rule-too-long', message: 'rule is 257 bytes long; at most 256 are allowed', line: 1, column: 257 },
    ]);
  });

  it('the limit is in bytes, as the server counts: 133 characters of which 125 are é make 258 bytes', () => {
    const rule = `(?<tag>${'é'.repeat(125)})`;
    expect(rule.length).toBe(133);
    // The 125th é (column 132) straddles bytes 256 and 257: the marker starts just after it.
    expect(problems(rule)).toEqual([
      { severity: 'error', code: 'rule-too-long', message: 'rule is 258 bytes long; at most 256 are allowed', line: 1, column: 133 },
    ]);
  });

  it('the CLI refuses such a rules file with the same messages, exit 2', async () => {
    expect(await cliWithRules(rules(33))).toEqual({ code: 2, stderr: 'hashslot slots: rules.txt:33:1: too-many-rules: rule 33: at most 32 rules are allowed' });
    expect(await cliWithRules(`(?<tag>${'a'.repeat(249)})`)).toEqual({
      code: 2,
      stderr: 'hashslot slots: rules.txt:1:257: rule-too-long: rule is 257 bytes long; at most 256 are allowed',
    });
  });
});

describe("catastrophic-backtracking shapes run in linear time, with PCRE2's answers", () => {
  const a = (n: number, tail: string) => utf8('a'.repeat(n) + tail);
  const y = (n: number, tail: string) => utf8('y'.repeat(n) + tail);
  const cases: { rule: string; pattern: string; keys: Uint8Array[] }[] = [
    { rule: '(?<tag>(a+)+b)', pattern: '(?<tag>(a+)+b)', keys: [a(100_000, '!'), a(100_000, 'b'), a(100_000, 'bzz'), a(25, 'cb'), a(25, '')] },
    { rule: '(?<tag>(.*)*x)', pattern: '(?<tag>(.*)*x)', keys: [y(100_000, ''), y(100_000, 'x'), y(100_000, 'x\nx'), y(25, '\nx'), y(25, 'xx')] },
  ];

  it.each(cases)('$rule equals pcre2test where PCRE2 answers, and finishes where it gives up', async ({ rule, pattern, keys }) => {
    const [pcre] = await pcreMatchMany([{ pattern, subjects: keys }]);
    let answered = 0;
    keys.forEach((key, k) => {
      const ours = tagOf(rule, key);
      const theirs = pcre[k];
      if (theirs.error) {
        // PCRE2 backtracks exponentially here and stops at its match limit; the answer is still clear:
        // anchored, the repeat can only take the a's (or a line of y's), and what follows is not b (x).
        expect(theirs.error, `key ${k}`).toMatch(/match limit|depth limit|heap limit/);
        expect(ours, `key ${k}`).toBeNull();
        return;
      }
      answered++;
      expect(ours, `key ${k}`).toBe(theirs.matched ? latin1(theirs.groups.tag!) : null);
    });
    expect(answered).toBeGreaterThanOrEqual(3);
  });

  it('on a 4 MB key that does not match, both finish (no match) instead of hanging', () => {
    expect(tagOf('(?<tag>(a+)+b)', a(4 << 20, '!'))).toBeNull();
    expect(tagOf('(?<tag>(.*)*x)', y(4 << 20, ''))).toBeNull();
  });
});

describe('deeply nested groups: a clear diagnostic, never a stack overflow', () => {
  const nested = (n: number) => '('.repeat(n) + '(?<tag>a)' + ')'.repeat(n);

  it('10,000 nested parentheses in a rule: refused by its length, with the message', () => {
    expect(problems(nested(10_000))).toEqual([
      { severity: 'error', code: 'rule-too-long', message: 'rule is 20009 bytes long; at most 256 are allowed', line: 1, column: 257 },
    ]);
  });

  it('the rule parser itself stops at 250 levels with a syntax error (10,000 and 1,000,000 levels)', () => {
    for (const n of [10_000, 1_000_000]) {
      const r = parseRule(utf8(nested(n)));
      expect(r.ok).toBe(false);
      if (!r.ok) expect(r.problem).toMatchObject({ code: 'syntax', message: 'parentheses are too deeply nested', at: 251 });
    }
  });

  it('the deepest nesting a 256-byte rule can hold is accepted and matches as PCRE2 does', async () => {
    const rule = '(?:'.repeat(41) + '(?<tag>a+)' + ')'.repeat(41) + 'b'.repeat(256 - 41 * 4 - 10);
    expect(utf8(rule).length).toBe(256);
    expect(problems(rule)).toEqual([]);
    const keys = [utf8('aaa' + 'b'.repeat(82)), utf8('aaab')];
    const [pcre] = await pcreMatchMany([{ pattern: rule, subjects: keys }]);
    expect(keys.map((k) => tagOf(rule, k))).toEqual(pcre.map((p) => (p.matched ? latin1(p.groups.tag!) : null)));
    expect(keys.map((k) => tagOf(rule, k))).toEqual(['aaa', null]);
  });

  it('the CLI refuses a rules file of 10,000 nested parentheses with the message, exit 2', async () => {
    expect(await cliWithRules(nested(10_000))).toEqual({
      code: 2,
      stderr: 'hashslot slots: rules.txt:1:257: rule-too-long: rule is 20009 bytes long; at most 256 are allowed',
    });
  });
});
