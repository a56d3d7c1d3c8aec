import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { analyzeKeyText, createBytecodeEngine, prepareAnalysis, slotOfBytes, utf8, type Settings } from '../index.ts';
import { portabilityOf } from './portability.ts';
import { setupProblems } from './setups.ts';

const slot = (s: string) => slotOfBytes(utf8(s));

/** A Redis-policy analysis on three even shards, no comparison. */
const REDIS: Settings = {
  policy: 'redis',
  compare: null,
  target: 'oss-cluster',
  implicitShardKey: false,
  layout: { kind: 'even', count: 3 },
  patternSamples: 8,
};

describe('portability between Redis and Standard (empty hash tags, several braces)', () => {
  it('flags exactly the keys Redis Cloud advises against, with both slots and a name that keeps today’s slot', () => {
    expect(portabilityOf(utf8('user:{42}:cart'))).toBeNull();
    expect(portabilityOf(utf8('plain'))).toBeNull();
    expect(portabilityOf(utf8('a}b{c'))).toBeNull(); // two braces, no pair: the same under both
    expect(portabilityOf(utf8('order:{2024}{eu}:7781'))).toEqual({
      kind: 'several-braces',
      redisSlot: slot('2024'),
      standardSlot: slot('eu'),
      fix: 'order:{2024}eu:7781',
    });
    // The fix keeps the slot of the policy in use: under Standard, the last tag.
    expect(portabilityOf(utf8('order:{2024}{eu}:7781'), 'standard')?.fix).toBe('order:2024{eu}:7781');
    expect(portabilityOf(utf8('inventory:sku:{}:A-113'))).toEqual({
      kind: 'empty-tag',
      redisSlot: slot('inventory:sku:{}:A-113'),
      standardSlot: 0,
      fix: null,
    });
    // {a}{a}: several braces, the same slot under both today (still flagged: the style is the risk).
    expect(portabilityOf(utf8('{a}{a}'))).toMatchObject({ kind: 'several-braces', redisSlot: slot('a'), standardSlot: slot('a'), fix: '{a}a' });
    // A fix is itself portable and keeps the slot under both policies.
    for (const key of ['x{ab}{cd}y', 'cache:{}{home}', 'm:{page}{/checkout}:p99']) {
      for (const policy of ['redis', 'standard'] as const) {
        const issue = portabilityOf(utf8(key), policy)!;
        if (!issue.fix) continue;
        expect(portabilityOf(utf8(issue.fix))).toBeNull();
        expect(slot(issue.fix.slice(issue.fix.indexOf('{') + 1, issue.fix.indexOf('}')))).toBe(policy === 'redis' ? issue.redisSlot : issue.standardSlot);
      }
    }
  });

  it('the e-commerce example: exactly its {} and multi-brace keys, as warnings on their lines', () => {
    const text = readFileSync(new URL('../../../fixtures/keys-ecommerce.txt', import.meta.url), 'utf8');
    const settings = REDIS;
    const a = prepareAnalysis({ rules: '', rulesB: '', commands: '', topology: '' }, settings, { engine: createBytecodeEngine() }, utf8(text));
    if (!a.ready) throw new Error('not ready');
    const keys = analyzeKeyText(a, utf8(text));
    const expected = text.split('\n').filter((k) => k.includes('{}') || (k.match(/[{}]/g)?.length ?? 0) > 2);
    expect(expected).toHaveLength(8);
    expect(keys.summary.portability).toMatchObject({ count: 8, differ: 8, estimated: false });
    expect(keys.summary.portability.examples.map((e) => e.key)).toEqual(expected);
    const marked = keys.diagnostics.filter((d) => d.code === 'not-portable').map((d) => text.split('\n')[d.line - 1]);
    expect(marked).toEqual(expected);
  });

  it('a key pattern written with an empty tag or several braces gets a warning on its line; a placeholder in braces does not', () => {
    const settings: Settings = { ...REDIS, patternSamples: 4 };
    const keys = utf8('search:{<q:str>}:results\nlog:{}:<n:int>\norder:{<y:int>}{<region>}');
    const a = prepareAnalysis({ rules: '', rulesB: '', commands: '', topology: '' }, settings, { engine: createBytecodeEngine() }, keys);
    expect(a.problems.keys.filter((d) => d.code === 'not-portable').map((d) => d.line)).toEqual([2, 3]);
  });
});

describe('setups Redis does not offer', () => {
  it('the OSS Cluster API needs Standard, on either side; open-source clusters hash only the Redis way (main side)', () => {
    expect(setupProblems({ policy: 'standard', compare: null, target: 'enterprise-oss-api' }, true)).toEqual([]);
    expect(setupProblems({ policy: 'redis', compare: 'standard', target: 'oss-cluster' }, true)).toEqual([]);
    expect(setupProblems({ policy: 'custom', compare: null, target: 'enterprise-proxy' }, true)).toEqual([]);
    expect(setupProblems({ policy: 'custom', compare: null, target: 'enterprise-oss-api' }, true)).toMatchObject([
      {
        code: 'oss-api-needs-standard',
        side: 'main',
        message:
          'Redis Software / Cloud with OSS Cluster API with the Custom policy is a setup Redis does not offer: ' +
          'the OSS Cluster API needs the Standard hashing policy.',
        source: 'https://redis.io/docs/latest/operate/rc/databases/configuration/clustering/#oss-cluster-api',
      },
    ]);
    expect(setupProblems({ policy: 'standard', compare: 'redis', target: 'enterprise-oss-api' }, true).map((p) => [p.code, p.side])).toEqual([
      ['oss-api-needs-standard', 'compare'],
    ]);
    expect(setupProblems({ policy: 'custom', compare: null, target: 'oss-cluster' }, true).map((p) => p.code)).toEqual(['oss-cluster-redis-only']);
    // Without commands nothing depends on the deployment: slots under Standard need no warning.
    expect(setupProblems({ policy: 'standard', compare: null, target: 'oss-cluster' }, false)).toEqual([]);
    expect(setupProblems({ policy: 'custom', compare: null, target: 'enterprise-oss-api' }, false).map((p) => p.code)).toEqual(['oss-api-needs-standard']);
  });
});
