import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  analyzeKeyText,
  createBytecodeEngine,
  keyListRecords,
  markdownReport,
  prepareAnalysis,
  reportInput,
  slotOfBytes,
  utf8,
  VERSION,
  type AnalysisSources,
  type Settings,
} from '../index.ts';

const engine = createBytecodeEngine();
const SOURCES: AnalysisSources = { rules: '', rulesB: '', commands: 'MGET a b', topology: '' };
const SETTINGS: Settings = {
  policy: 'redis',
  compare: null,
  target: 'oss-cluster',
  implicitShardKey: false,
  layout: { kind: 'even', count: 3 },
  patternSamples: 8,
};
const prepare = (sources: Partial<AnalysisSources>, settings: Partial<Settings>, keys = 'a\nb') =>
  prepareAnalysis({ ...SOURCES, ...sources }, { ...SETTINGS, ...settings }, { engine }, utf8(keys));

describe('prepareAnalysis: a result is computed under what its label says, or not at all', () => {
  it('custom rules with an error: nothing is computed (never Standard in their place), the blocker names the error', () => {
    const a = prepare({ rules: '(?<tag>user:\\d+' }, { policy: 'custom' });
    expect(a.ready).toBe(false);
    expect(a.blockers).toEqual([
      {
        input: 'rules',
        scope: 'analysis',
        message: 'The custom rules have errors, so no result is shown under Custom until they are fixed — line 1, column 1: missing closing parenthesis ).',
      },
    ]);
    expect(a.problems.rules).toMatchObject([{ severity: 'error', code: 'syntax', line: 1 }]);
    // What the other inputs say about themselves stays visible.
    expect(prepare({ rules: '(', commands: 'GET "x' }, { policy: 'custom' }, '"k').problems).toMatchObject({
      keys: [{ code: 'unbalanced-quote' }],
      commands: [{ code: 'unbalanced-quote' }],
    });
  });

  it('no custom rules, or rules the engine refuses: blocked, with the reason', () => {
    expect(prepare({ rules: '\n\n' }, { policy: 'custom' }).blockers[0].message).toBe(
      'The custom rules are empty: write at least one rule with a group named tag; no result is shown under Custom until they are fixed.',
    );
    const refusing = { name: 'refusing', compile: () => ({}) as never };
    refusing.compile = () => {
      throw new Error('too big for this engine');
    };
    const a = prepareAnalysis({ ...SOURCES, rules: '(?<tag>.*)' }, { ...SETTINGS, policy: 'custom' }, { engine: refusing });
    expect(a.blockers[0].message).toBe(
      'The custom rules could not be prepared (too big for this engine), so no result is shown under Custom until they are fixed.',
    );
  });

  it('a broken compared rule set leaves the main results and blocks only the comparison', () => {
    const a = prepare({ rules: '(?<tag>a' }, { policy: 'standard', compare: 'custom' });
    expect(a.ready).toBe(true);
    if (!a.ready) return;
    expect(a.compare).toBeNull();
    expect(a.commands.verdictChanges).toBeNull();
    expect(a.blockers).toMatchObject([{ input: 'rules', scope: 'compare' }]);
    expect(a.blockers[0].message).toMatch(/^The custom rules have errors, so the comparison with Custom is not shown until they are fixed/);
    // Custom → Custom: rule set B is the compared one.
    const b = prepare({ rules: '(?<tag>.*)', rulesB: '(' }, { policy: 'custom', compare: 'custom' });
    expect(b.blockers).toMatchObject([{ input: 'rulesB', scope: 'compare' }]);
    expect(b.blockers[0].message).toMatch(/^Rule set B have errors|^Rule set B/);
  });

  it('a pasted topology that cannot be read, or a bad count: no layout stands in', () => {
    const pasted = prepare({ topology: 'hello' }, { layout: { kind: 'paste' } });
    expect(pasted.ready).toBe(false);
    expect(pasted.blockers).toMatchObject([{ input: 'topology', scope: 'analysis' }]);
    expect(pasted.blockers[0].message).toMatch(/^The pasted topology could not be read, so no result is shown for it until it is fixed — line 1, column 1: /);
    expect(prepare({}, { layout: { kind: 'paste' } }).blockers[0].message).toMatch(/could not be read/);
    const count = prepare({}, { layout: { kind: 'even', count: 0 } });
    expect(count.blockers).toMatchObject([{ input: 'layout', scope: 'analysis' }]);
    expect(count.blockers[0].message).toMatch(/^The layout cannot be used, so no result is shown: the number of shards must be/);
  });

  it('every label says what the result was computed with', () => {
    const a = prepare(
      { rules: '(?<tag>user:\\d+):.*' },
      { policy: 'custom', compare: 'standard', layout: { kind: 'masters', count: 3 } },
      'user:1:a\nuser:1:b\nother',
    );
    if (!a.ready) throw new Error('not ready');
    expect([a.main.name, a.main.rules, a.compare?.name, a.layout.description]).toEqual([
      'custom',
      ['(?<tag>user:\\d+):.*'],
      'standard',
      '3 masters (redis-cli --cluster create split)',
    ]);
    const text = analyzeKeyText(a, utf8('user:1:a\nuser:1:b\nother'));
    const md = markdownReport(reportInput(a, text.summary));
    expect(md).toContain('policy **Custom** · compared with **Standard**');
    expect(md).toContain('   1. `(?<tag>user:\\d+):.*`');
    // A report is never written about an analysis with blockers.
    const blocked = prepare({ rules: '(?<tag>user:\\d+):.*', rulesB: '(' }, { policy: 'custom', compare: 'custom' });
    if (!blocked.ready) throw new Error('main side should be ready');
    expect(() => reportInput(blocked, analyzeKeyText(blocked, utf8('k')).summary)).toThrow(/blockers/);
  });
});

describe('per-key records: one shape on every surface', () => {
  it('a placed key, a key error, an unreadable line, a moved key', () => {
    const a = prepare({ rules: '(?<tag>user:\\d+):.*' }, { policy: 'custom', compare: 'redis' });
    if (!a.ready) throw new Error('not ready');
    const text = analyzeKeyText(a, utf8('user:1:a\nnope\n"broken\n'));
    const records = keyListRecords(text.list, { name: 'custom', table: text.main }, { name: 'redis', table: text.compare! }, a.layout);
    expect(records).toEqual([
      {
        line: 1,
        key: 'user:1:a',
        slot: slotOfBytes(utf8('user:1')),
        tag: 'user:1',
        rule: 1,
        shard: 'Shard 2',
        to: { slot: slotOfBytes(utf8('user:1:a')), tag: 'user:1:a', shard: 'Shard 1' },
        moved: true,
      },
      {
        line: 2,
        key: 'nope',
        error: 'no-rule-matched',
        message: 'no custom rule matches this key: the server would refuse it',
        to: { slot: slotOfBytes(utf8('nope')), tag: 'nope', shard: 'Shard 3' },
        moved: true,
      },
      { line: 3, key: null, error: 'unbalanced-quote', column: 1, message: 'unbalanced quote: no closing " on this line' },
    ]);
  });
});

it('VERSION is the package version (reports and --version name it)', () => {
  expect(VERSION).toBe(JSON.parse(readFileSync(new URL('../../../package.json', import.meta.url), 'utf8')).version);
});
