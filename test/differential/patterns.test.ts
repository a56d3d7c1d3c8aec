import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  analyzePatterns,
  createReasoner,
  instantiate,
  parseKeyPatterns,
  parsePatternDocuments,
  redisPolicy,
  STANDARD_RULES,
  standardPolicy,
  utf8,
  type Policy,
} from '../../src/core/index.ts';
import { startRedisCluster, type RedisOracle } from '../oracles/redis-server.ts';
import { rng } from '../support/generate.ts';
import { pcreSlots, redisSlots, type SlotOracle } from '../support/oracle-slots.ts';
import { chanceBound, checkTemplates, crossCheck, keyFromDisplay, type Question } from '../support/pattern-check.ts';
import { NAME_TYPES, patternGroups, randomPattern, twinGroups, variants } from '../support/pattern-grammar.ts';

/**
 * Issue 9's cross-check: every symbolic verdict on random patterns (brace soup, str values that may
 * hold braces, line feeds or nothing, enumerations with odd values, shared names) against the real
 * engines — redis-server's CLUSTER KEYSLOT for the Redis policy, pcre2test running Standard's rules.
 * PATTERN_SEED / PATTERN_GROUPS to run it longer.
 */
const SEED = Number(process.env.PATTERN_SEED ?? 20260901);
const GROUPS = Number(process.env.PATTERN_GROUPS ?? 300);
const SAMPLES = 40;

let redis: RedisOracle;
beforeAll(async () => {
  redis = await startRedisCluster();
});
afterAll(async () => {
  await redis?.stop();
});

function questions(policy: Policy, groups: string[][]): { questions: Question[]; schemaOf: Map<Question, ReturnType<typeof parseKeyPatterns>['schema']> } {
  const schemaOf = new Map();
  const out: Question[] = [];
  for (const group of groups) {
    const doc = parseKeyPatterns(utf8(group.join('\n')));
    if (doc.diagnostics.some((d) => d.severity === 'error')) throw new Error(`bad generated patterns: ${group.join(' | ')}`);
    const parts = doc.patterns.map((p) => p.parts);
    const q: Question = {
      label: group.join('  |  '),
      keys: parts,
      names: [...new Set(doc.patterns.flatMap((p) => p.names))],
      verdict: createReasoner(policy, doc.schema).group(parts),
    };
    schemaOf.set(q, doc.schema);
    out.push(q);
  }
  return { questions: out, schemaOf };
}

async function checkPolicy(policy: Policy, oracle: SlotOracle, seed: number) {
  const rand = rng(seed);
  const groups = [...patternGroups(seed, GROUPS), ...patternGroups(seed + 1, GROUPS / 3, () => 2 + Math.floor(rand() * 2))];
  const { questions: qs, schemaOf } = questions(policy, groups);
  const result = await crossCheck(oracle, (q) => schemaOf.get(q)!, qs, { samples: SAMPLES, seed });
  if (process.env.PATTERN_DEBUG) console.log(policy.name, result.verdicts, result.coincidences, result.neverSamples);
  expect(result.contradictions.slice(0, 5)).toEqual([]);
  expect(result.badExamples.slice(0, 5)).toEqual([]);
  expect(result.coincidences).toBeLessThanOrEqual(chanceBound(result.neverSamples));
  // The corpus must exercise every verdict, or the check proves little.
  for (const v of ['always', 'never', 'depends']) expect(result.verdicts[v] ?? 0).toBeGreaterThan(GROUPS / 30);
  return result;
}

describe('pattern verdicts agree with the real engines on sampled bindings', () => {
  it('Redis policy, against redis-server CLUSTER KEYSLOT', async () => {
    await checkPolicy(redisPolicy, redisSlots(redis), SEED);
  });
  it('Standard policy, against pcre2test running its two rules', async () => {
    await checkPolicy(standardPolicy, pcreSlots(STANDARD_RULES), SEED + 1);
  });
  it('what a pattern hashes: every warning example has the slot the real server gives', async () => {
    const rand = rng(SEED + 2);
    const names = Object.keys(NAME_TYPES);
    const texts = Array.from({ length: 150 }, () => randomPattern(rand, names));
    const doc = parseKeyPatterns(utf8(texts.join('\n')));
    for (const [policy, oracle] of [
      [redisPolicy, redisSlots(redis)],
      [standardPolicy, pcreSlots(STANDARD_RULES)],
    ] as const) {
      const reasoner = createReasoner(policy, doc.schema);
      const examples = doc.patterns.flatMap((p) => reasoner.hashing(p.parts).warnings.map((w) => w.example));
      expect(examples.length).toBeGreaterThan(50);
      const real = await oracle(examples.map((e) => keyFromDisplay(e.keys[0])));
      expect(examples.map((e) => e.slots[0])).toEqual(real);
    }
  });
});

describe('differences that only lengths or CRC-neutral bytes make, against the real engines', () => {
  // Keys whose CRCs differ by a function of lengths alone: prefixes with one CRC (always), prefixes
  // whose difference cancels for one total length of the ids (depends), three keys solved together.
  const LENGTH_GROUPS = [
    ['device:<a:int>:<b:int>:<c:int>:<d:int>', 'tokens:<a:int>:<b:int>:<c:int>:<d:int>'],
    ['device:<a>:<b>:<c>:<d>:<e>', 'tokens:<a>:<b>:<c>:<d>:<e>'],
    ['a!<d>:::::::::::::q!!<a>', 'a!<d>:::::::::::::r5g<a>', '!!)<d>:::::::::::::q!!<a>'],
    ['xc<a:int>:<b:int>', 'a<a:int>:<b:int>'],
    ['a<a:int>a<b:int>', 'b<a:int>z<b:int>'],
  ];
  for (const [policy, oracle] of [
    [redisPolicy, () => redisSlots(redis)],
    [standardPolicy, () => pcreSlots(STANDARD_RULES)],
  ] as const) {
    it(`${policy.name}: verdicts hold and every example shows its outcome`, async () => {
      const { questions: qs, schemaOf } = questions(policy, [...twinGroups(SEED + 4, 120), ...LENGTH_GROUPS]);
      const result = await crossCheck(oracle(), (q) => schemaOf.get(q)!, qs, { samples: SAMPLES, seed: SEED + 4 });
      expect(result.contradictions.slice(0, 5)).toEqual([]);
      expect(result.badExamples.slice(0, 5)).toEqual([]);
      expect(result.coincidences).toBeLessThanOrEqual(chanceBound(result.neverSamples));
      // The length-dependent groups are "depends", with the condition in their reason.
      const lengthVerdicts = qs.slice(-LENGTH_GROUPS.length).map((q) => q.verdict);
      expect(lengthVerdicts.map((v) => v.verdict)).toEqual(LENGTH_GROUPS.map(() => 'depends'));
      expect(lengthVerdicts[0].reason).toMatch(/<a>\+<b>\+<c>\+<d> together are 40 bytes long$/);
      // Four 10-digit ids (40 bytes in all) put both keys in one slot on the real engine, every time.
      const doc = parseKeyPatterns(utf8(LENGTH_GROUPS[0].join('\n')));
      const rand = rng(SEED + 5);
      const keys = Array.from({ length: 50 }, () => {
        const b = new Map(['a', 'b', 'c', 'd'].map((n) => [n, utf8(String(1e9 + Math.floor(rand() * 9e9)))]));
        return doc.patterns.map((p) => instantiate(p.parts, b));
      });
      const slots = await oracle()(keys.flat());
      for (let i = 0; i < keys.length; i++) expect(slots[2 * i]).toBe(slots[2 * i + 1]);
    });
  }
});

/** Command families with key placeholders K (each becomes a random pattern of the unit's names). */
const FAMILIES = [
  'MSET K 1 K 2',
  'MGET K K',
  'DEL K K K',
  'SUNIONSTORE K K K',
  'RENAME K K',
  'LMOVE K K LEFT RIGHT',
  'EXISTS K K',
  'MULTI\nSET K v\nINCR K\nEXEC',
];

describe('command template verdicts agree with a real cluster node (CROSSSLOT or not)', () => {
  it('on random templates: always is never refused, never only by chance, depends shows both', async () => {
    const rand = rng(SEED + 3);
    const names = Object.keys(NAME_TYPES);
    const units: string[] = [];
    for (let i = 0; i < 160; i++) {
      const shared = names.filter(() => rand() < 0.3);
      if (!shared.length) shared.push('u');
      const family = FAMILIES[Math.floor(rand() * FAMILIES.length)];
      // Keys of a unit are variants of one pattern, as in real code. Generated patterns hold no blanks
      // or quotes: each is one redis-cli argument as it stands.
      const r = rand();
      const keys = r < 0.2 ? Array.from({ length: 3 }, () => randomPattern(rand, shared, 5)) : variants(rand, shared, 3, r < 0.5);
      let k = 0;
      units.push(family.replace(/K/g, () => keys[k++]));
    }
    const text = units.join('\n');
    const docs = parsePatternDocuments({ keys: new Uint8Array(), commands: utf8(text) });
    const report = analyzePatterns(docs, redisPolicy);
    expect(report.commandDiagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    const { problems, counts, coincidences, neverSamples } = await checkTemplates(redis, docs, report, SEED);
    expect(problems.slice(0, 5)).toEqual([]);
    expect(coincidences).toBeLessThanOrEqual(chanceBound(neverSamples));
    if (process.env.PATTERN_DEBUG) console.log('templates', counts, coincidences, neverSamples);
    for (const v of ['always', 'never', 'depends']) expect(counts[v] ?? 0).toBeGreaterThan(5);
  });
});
