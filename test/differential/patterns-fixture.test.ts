import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  analyzePatterns,
  createBytecodeEngine,
  createCustomPolicy,
  parsePatternDocuments,
  parseRules,
  redisPolicy,
  STANDARD_RULES,
  standardPolicy,
  TARGETS,
  verdictMatrix,
  type PatternReport,
  type Policy,
} from '../../src/core/index.ts';
import { startRedisCluster, type RedisOracle } from '../oracles/redis-server.ts';
import { pcreSlots, redisSlots, type SlotOracle } from '../support/oracle-slots.ts';
import { chanceBound, checkTemplates, crossCheck, type Question } from '../support/pattern-check.ts';

/**
 * The "must show" of issue 9: a realistic schema of ten patterns (user profile / cart / orders /
 * settings, sessions, Bull queue jobs, rate limits, a search cache) and five command templates gets
 * the matrix and verdicts a reviewer can act on, and the sampling cross-check passes for all of it.
 */
const fixture = (name: string) => new Uint8Array(readFileSync(new URL(`../../fixtures/${name}`, import.meta.url)));
const docs = parsePatternDocuments({ keys: fixture('patterns-schema.txt'), commands: fixture('pattern-commands.txt') });

let redis: RedisOracle;
beforeAll(async () => {
  redis = await startRedisCluster();
});
afterAll(async () => {
  await redis?.stop();
});

/** The matrix as rows of letters: A always, N never, D depends, - diagonal; lower case when sampled. */
function letters(r: PatternReport): string[] {
  const sampled = new Set(r.pairs.filter((p) => p.sampled).map((p) => `${p.a},${p.b}`));
  return verdictMatrix(r).map((row, a) =>
    row.map((v, b) => (v === null ? '-' : sampled.has(`${Math.min(a, b)},${Math.max(a, b)}`) ? v[0] : v[0].toUpperCase())).join(' '),
  );
}

const templateTable = (r: PatternReport) =>
  r.templates.filter((t) => t.kind === 'command').map((t) => [t.line, t.command, ...TARGETS.map((x) => t.verdicts[x].verdict)].join(' '));

const questions = (r: PatternReport): Question[] =>
  r.pairs.map((p) => ({
    label: `${r.patterns[p.a].text} ~ ${r.patterns[p.b].text}`,
    keys: [docs.keys.patterns[p.a].parts, docs.keys.patterns[p.b].parts],
    names: [...new Set([...r.patterns[p.a].names, ...r.patterns[p.b].names])],
    verdict: p,
  }));

async function crossChecked(r: PatternReport, oracle: SlotOracle, seed: number, withSampled = false) {
  const result = await crossCheck(oracle, docs.schema, questions(r), { samples: 200, seed, withSampled });
  expect(result.contradictions).toEqual([]);
  expect(result.badExamples).toEqual([]);
  expect(result.coincidences).toBeLessThanOrEqual(chanceBound(result.neverSamples));
}

describe('the e-commerce schema under the Redis policy', () => {
  const r = analyzePatterns(docs, redisPolicy);
  it('hashes what a reviewer reads off the patterns, and warns about the free-text search query', () => {
    expect(r.patterns.map((p) => `${p.hashing!.hashing.kind} ${p.hashing!.hashing.expr}`)).toEqual([
      'tag <uid>',
      'tag <uid>',
      'tag <uid>',
      'key user:<uid>:settings',
      'key session:<sid>',
      'tag <queue>',
      'tag <queue>',
      'tag <ip>',
      'tag <q>',
      'tag <q>',
    ]);
    expect(r.patterns[8].hashing!.warnings.map((w) => w.message)).toEqual([
      'when <q> is empty, it hashes the whole key instead of <q>',
      'when <q> contains `}`, it hashes <part of q> instead of <q>',
    ]);
    expect(r.keyDiagnostics).toEqual([]);
  });
  it('matrix: the user keys and the queue keys live together; the settings key does not; the search cache depends on the query', () => {
    // Issue 20: placeholders whose values can be equal (<uid> and <ip>: "7"; <queue> and <q>: "emails";
    // <q> and a whole key) are "depends", not "never by chance".
    expect(letters(r)).toEqual([
      '- A A N N N N D D D',
      'A - A N N N N D D D',
      'A A - N N N N D D D',
      'N N N - N N N N D D',
      'N N N N - N N N D D',
      'N N N N N - A D D D',
      'N N N N N A - D D D',
      'D D D N N D D - D D',
      'D D D D D D D D - D',
      'D D D D D D D D D -',
    ]);
    const search = r.pairs.find((p) => p.a === 8 && p.b === 9)!;
    expect(search.reason).toBe(
      'one slot, except when <q> is empty, or <q> starts with `}` (then search:{}:results (whole key) vs search:{}:count (whole key))',
    );
    expect(search.different!.keys).toEqual(['search:{}:results', 'search:{}:count']);
  });
  it('templates per target (oss-cluster, enterprise-proxy, enterprise-oss-api, active-active), with fixes', () => {
    expect(templateTable(r)).toEqual([
      '2 MULTI no-keys no-keys no-keys no-keys',
      '3 HSET always always always always',
      '4 RPUSH always always always always',
      '5 DEL always always always always',
      '6 EXEC always always always always',
      '8 MGET never always never always',
      '10 LMOVE always always always always',
      '12 MSET depends always depends depends',
      '14 DEL never always never never',
    ]);
    const byLine = new Map(r.templates.map((t) => [t.line, t]));
    expect(byLine.get(6)!.transaction).toEqual({ from: 2, to: 6 });
    expect(byLine.get(8)!.fix).toEqual(['user:{<uid>}:profile', 'user:{<uid>}:settings']);
    expect(byLine.get(12)!.verdicts['oss-cluster'].refused).toMatch(/^MSET search:\{\}:results \S+ search:\{\}:count \d+$/);
    // Session and cart share no placeholder: only a constant tag would co-locate them, so no fix.
    expect(byLine.get(14)!.fix).toBeUndefined();
    expect(byLine.get(14)!.verdicts['enterprise-proxy'].reason).toMatch(/DEL is split across them \(not atomic\)/);
  });
  it('passes the sampling cross-check against redis-server (pairs and templates)', async () => {
    await crossChecked(r, redisSlots(redis), 101);
    const t = await checkTemplates(redis, docs, r, 101, 40);
    expect(t.problems).toEqual([]);
    expect(t.coincidences).toBeLessThanOrEqual(chanceBound(t.neverSamples));
  });
});

describe('the same schema under the Standard policy', () => {
  const r = analyzePatterns(docs, standardPolicy);
  it('the search cache always shares a slot: Standard hashes the last {…}, and an empty tag is slot 0 for both', () => {
    expect(letters(r)[8]).toBe('D D D D D D D D - A');
    expect(templateTable(r)[7]).toBe('12 MSET always always always always');
  });
  it("passes the sampling cross-check against pcre2test running Standard's rules", async () => {
    await crossChecked(r, pcreSlots(STANDARD_RULES), 202);
  });
});

describe('the same schema under custom rules (sampled through the rules, checked on pcre2test)', () => {
  const rules = readFileSync(new URL('../../fixtures/rules-typical.txt', import.meta.url), 'utf8');
  const ruleSet = parseRules(rules);
  const policy: Policy = createCustomPolicy(ruleSet, createBytecodeEngine());
  const r = analyzePatterns(docs, policy, { ruleSet });
  it('says which verdicts were sampled, and which keys no rule matches', () => {
    expect(r.mode).toBe('sampled');
    expect(letters(r)).toEqual([
      '- a a n n n n n n n',
      'a - a n n n n n n n',
      'a a - n n n n n n n',
      'n n n - n n n n n n',
      'n n n n - n n n n n',
      'n n n n n - a n n n',
      'n n n n n a - n n n',
      'n n n n n n n - n n',
      'n n n n n n n n - a',
      'n n n n n n n n a -',
    ]);
    expect(r.patterns[4].hashing).toMatchObject({ hashing: { kind: 'refused' }, warnings: [{ code: 'no-rule-matched' }] });
    expect(r.patterns[3].hashing!.hashing).toEqual({ expr: 'user:<uid>', kind: 'tag', rule: 1 });
    // The queue has three values: every one is tried, so the verdict is exact.
    expect(r.templates.find((t) => t.line === 10)).toMatchObject({ sampled: false, verdicts: { 'oss-cluster': { verdict: 'always' } } });
    expect(templateTable(r).slice(-2)).toEqual(['12 MSET error error error error', '14 DEL error error error error']);
  });
  it('sampled verdicts hold on fresh values through real PCRE2, and every example shows its outcome', async () => {
    await crossChecked(r, pcreSlots(ruleSet.rules.map((x) => x.source)), 303, true);
  });
});
