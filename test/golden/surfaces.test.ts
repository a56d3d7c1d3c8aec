import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { createBytecodeEngine, type Inputs, type Settings } from '../../src/core/index.ts';
import { AnalysisSession } from '../../src/worker/session.ts';
import { BIN, FIXTURES } from '../support/cli-env.ts';

/**
 * Same input, same answer: every fixture goes through the CLI (report, dist, diff, check, patterns,
 * slots) and through the page's session and its exports, and the two must agree field by field — the
 * Markdown report byte for byte.
 */

const run = promisify(execFile);
const read = (name: string) => readFileSync(`${FIXTURES}${name}`, 'utf8');
const lines = (stdout: string) =>
  stdout
    .trimEnd()
    .split('\n')
    .filter((l) => l !== '')
    .map((l) => JSON.parse(l));

async function cli(args: string[]): Promise<string> {
  return (await run('node', [BIN, ...args], { maxBuffer: 1 << 26 })).stdout;
}

interface Case {
  name: string;
  keys: string;
  inputs: Partial<Inputs>;
  settings: Partial<Settings>;
  /** The same analysis as CLI options (keys come from --input). */
  args: string[];
  compareArgs?: string[];
}

const CASES: Case[] = [
  {
    name: 'e-commerce, Redis → Standard, 3 masters',
    keys: 'keys-ecommerce.txt',
    inputs: { commands: read('commands-ecommerce.txt') },
    settings: { policy: 'redis', compare: 'standard', layout: { kind: 'masters', count: 3 } },
    args: ['--policy', 'redis', '--masters', '3', '--commands', `${FIXTURES}commands-ecommerce.txt`],
    compareArgs: ['--from', 'redis', '--to', 'standard', '--masters', '3', '--commands', `${FIXTURES}commands-ecommerce.txt`],
  },
  {
    name: 'e-commerce, custom rules → Redis, a topology with unowned slots',
    keys: 'keys-ecommerce.txt',
    inputs: { rules: read('rules-typical.txt'), commands: read('commands-ecommerce.txt'), topology: read('topology/unassigned-nodes.txt') },
    settings: { policy: 'custom', compare: 'redis', layout: { kind: 'paste' }, target: 'enterprise-proxy' },
    args: [
      '--policy',
      'custom',
      '--rules',
      `${FIXTURES}rules-typical.txt`,
      '--topology',
      `${FIXTURES}topology/unassigned-nodes.txt`,
      '--commands',
      `${FIXTURES}commands-ecommerce.txt`,
      '--target',
      'enterprise-proxy',
    ],
    compareArgs: [
      '--from',
      'custom',
      '--from-rules',
      `${FIXTURES}rules-typical.txt`,
      '--to',
      'redis',
      '--topology',
      `${FIXTURES}topology/unassigned-nodes.txt`,
      '--commands',
      `${FIXTURES}commands-ecommerce.txt`,
      '--target',
      'enterprise-proxy',
    ],
  },
  {
    name: 'schema review: key patterns and command templates under Standard',
    keys: 'patterns-schema.txt',
    inputs: { commands: read('pattern-commands.txt') },
    settings: { policy: 'standard', compare: 'redis' },
    args: ['--policy', 'standard', '--commands', `${FIXTURES}pattern-commands.txt`],
    compareArgs: ['--from', 'standard', '--to', 'redis', '--commands', `${FIXTURES}pattern-commands.txt`],
  },
];

const BASE_SETTINGS: Settings = {
  policy: 'redis',
  compare: null,
  target: 'oss-cluster',
  implicitShardKey: false,
  layout: { kind: 'even', count: 3 },
  patternSamples: 32,
};

function session(c: Case, compare: boolean) {
  const s = new AnalysisSession(createBytecodeEngine());
  const inputs: Inputs = { keys: read(c.keys), rules: '', rulesB: '', commands: '', topology: '', ...c.inputs };
  const settings: Settings = { ...BASE_SETTINGS, ...c.settings, compare: compare ? (c.settings.compare ?? null) : null };
  const result = s.analyze(inputs, settings);
  return { s, result, settings };
}

const target = (c: Case) => c.settings.target ?? 'oss-cluster';

/** The arguments without the given options and their values (each command takes its own). */
function without(args: string[], flags: string[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < args.length; i++) {
    if (flags.includes(args[i])) i++;
    else out.push(args[i]);
  }
  return out;
}

describe('the CLI and the page give the same answer for the same input', () => {
  for (const c of CASES) {
    describe(c.name, () => {
      it('report: the Markdown is byte for byte the page export', async () => {
        for (const withCompare of [false, true]) {
          const { s } = session(c, withCompare);
          const compareArgs = withCompare ? ['--compare', c.settings.compare!] : [];
          const printed = await cli(['report', ...c.args, ...compareArgs, '--input', `${FIXTURES}${c.keys}`]);
          expect(printed, `compare: ${withCompare}`).toBe(await s.export('markdown'));
        }
      });

      it('dist and slots: one record per key, equal to the page export; the summary equals the report input', async () => {
        const { s } = session(c, false);
        const exported = JSON.parse((await s.export('json')) as string);
        const dist = lines(await cli(['dist', ...without(c.args, ['--commands', '--target']), '--json', '--input', `${FIXTURES}${c.keys}`]));
        const summary = dist.pop().summary;
        expect(dist).toEqual(exported.keys);
        for (const field of ['usedSlots', 'maxShardOverMean', 'busiestSlot', 'hotTags', 'groupCount', 'groupedKeys', 'emptyShards', 'unassigned'] as const) {
          expect(summary[field], field).toEqual(exported.distribution[field]);
        }
        expect(summary.groups.slice(0, exported.distribution.groups.length)).toEqual(exported.distribution.groups);
        expect(summary.shards).toEqual(exported.shards);
        // slots: the same records without the layout.
        const slots = lines(
          await cli(['slots', ...without(c.args, ['--masters', '--topology', '--commands', '--target']), '--json', '--input', `${FIXTURES}${c.keys}`]),
        );
        expect(slots).toEqual(exported.keys.map(({ shard: _shard, ...rest }: { shard?: unknown }) => rest));
      });

      it('diff: per-key records with "to" equal the page export when comparing; the summary equals the migration', async () => {
        const { s } = session(c, true);
        const exported = JSON.parse((await s.export('json')) as string);
        const diff = lines(await cli(['diff', ...c.compareArgs!, '--json', '--input', `${FIXTURES}${c.keys}`]));
        const { summary } = diff.pop();
        expect(diff).toEqual(exported.keys);
        const { commands, ...migration } = exported.migration;
        for (const [k, v] of Object.entries(migration)) expect(summary[k], k).toEqual(v);
        expect(summary.commands).toEqual(commands);
      });

      it('check and patterns: the verdicts of the Commands and Patterns views', async () => {
        const { result } = session(c, false);
        const view = result.view!;
        const commandsFile = c.args[c.args.indexOf('--commands') + 1];
        const policyArgs = without(c.args, ['--masters', '--topology', '--commands']);
        const check = lines(await cli(['check', ...policyArgs, '--json', '--input', commandsFile]));
        const ordinary = check.filter((r) => !r.template);
        expect(ordinary.map((r) => [r.line, r.verdict === 'comment' ? 'no-keys' : r.verdict, r.keys, r.slots, r.suggestion])).toEqual(
          view.commands.map((r) => [r.line, r.verdict.verdict, r.keys, r.slots, r.verdict.verdict === 'crossslot' ? r.suggestion : undefined]),
        );
        const templates = check.filter((r) => r.template);
        const pageTemplates = (view.patterns?.templates ?? []).filter((t) => t.kind === 'command' && templates.some((x) => x.line === t.line));
        expect(templates.map((t) => [t.line, t.verdict, t.fix])).toEqual(pageTemplates.map((t) => [t.line, t.verdicts[target(c)].verdict, t.fix]));
        if (!view.patterns) return;
        const patterns = lines(await cli(['patterns', ...policyArgs, '--commands', commandsFile, '--json', '--input', `${FIXTURES}${c.keys}`]));
        const pairs = patterns.filter((r) => r.kind === 'pair').map(({ kind: _k, patterns: _p, ...rest }) => rest);
        expect(pairs).toEqual(JSON.parse(JSON.stringify(view.patterns.pairs)));
        const cliTemplates = patterns.filter((r) => r.kind === 'template' && r.template);
        expect(cliTemplates.map((t) => [t.line, t.verdict, t.fix])).toEqual(
          view.patterns.templates.filter((t) => t.template && t.kind === 'command').map((t) => [t.line, t.verdicts[target(c)].verdict, t.fix]),
        );
      });
    });
  }
});
