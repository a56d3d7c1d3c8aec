import { readFile } from 'node:fs/promises';
import {
  analyzeCommands,
  describeLayout,
  markdownReport,
  parseRules,
  shardRows,
  SLOT_COUNT,
  summarizeStream,
  TARGETS,
  verdictChanges,
  type CommandLine,
  type KeyStream,
  type PolicyName,
  type ReportInput,
} from '../core/index.ts';
import { parseTarget, readCommands, unknownTarget } from './analysis.ts';
import { Out } from './io.ts';
import { streamKeys } from './keys.ts';
import { makePolicy, POLICY_HELP, type PolicyOptions } from './policy.ts';
import { makeShardMap, TOPOLOGY_HELP, type TopologyOptions } from './topology.ts';

export interface ReportOptions extends PolicyOptions, TopologyOptions {
  compare?: string;
  compareRules?: string;
  commands?: string;
  target: string;
  failOn?: string;
  title?: string;
  input?: string;
}

export const REPORT_USAGE = `Usage: hashslot report --policy redis|standard|custom [--rules FILE] [--compare P] [--compare-rules F]
                      [--commands FILE] [--target T] [--shards N | --masters N | --topology FILE]
                      [--fail-on crossslot|error] [--title T] [--input KEYS]

A Markdown review report for a schema review or CI: summary and verdict, policy and layout, how the
keys spread over shards, hot tags, co-location groups, commands refused with CROSSSLOT (with fixes)
and, with --compare, what changing the policy would move.

Keys come from stdin or --input (a terminal on stdin counts as no keys): without keys the distribution
sections are left out, so "--commands FILE" alone checks commands.

${POLICY_HELP}
  --compare P            a second policy (redis, standard or custom): adds the Migration section
  --compare-rules FILE   custom rules of --compare custom
  --commands FILE        commands to check (redis-cli syntax, as for hashslot check)
  --target T             deployment for command verdicts (default oss-cluster):
                         ${TARGETS.join(' | ')}
${TOPOLOGY_HELP}
  --fail-on V            exit 1 when a command has verdict crossslot on the target ("error": crossslot or
                         error); the report is printed either way
  --title T              the report's title (default "Hash-slot review")
  --input FILE           read keys from FILE instead of stdin

Exit status: 0, 1 for --fail-on findings, 2 for bad usage or a bad rules, commands or topology file.`;

const FAIL_ON = ['crossslot', 'error'] as const;

/** `hashslot report`: returns the exit code. */
export async function runReport(opts: ReportOptions): Promise<number> {
  const target = parseTarget(opts.target);
  if (!target) return fail(unknownTarget(opts.target));
  if (opts.failOn !== undefined && !(FAIL_ON as readonly string[]).includes(opts.failOn))
    return fail(`unknown --fail-on "${opts.failOn}": use crossslot or error`);
  if (opts.compare !== 'custom' && opts.compareRules !== undefined) return fail('--compare-rules only applies to --compare custom');
  if (opts.compare === 'custom' && opts.compareRules === undefined) return fail('--compare custom needs --compare-rules FILE');
  const policy = await makePolicy(opts);
  if ('error' in policy) return fail(policy.error);
  let other = null;
  if (opts.compare !== undefined) {
    other = await makePolicy({ ...opts, policy: opts.compare, rules: opts.compareRules });
    if ('error' in other) return fail(`--compare: ${other.error}`);
  }
  const shards = await makeShardMap(opts);
  if ('error' in shards) return fail(shards.error);
  let lines: CommandLine[] = [];
  const warnings: ReportInput['warnings'] = [];
  if (opts.commands !== undefined) {
    const parsed = await readCommands(opts.commands);
    if ('error' in parsed) return fail(parsed.error);
    lines = parsed.lines;
    for (const d of parsed.diagnostics) if (d.severity === 'warning') warnings.push({ line: d.line, message: d.message });
  }

  let stream: KeyStream;
  try {
    stream = await streamKeys(opts.input, { main: policy, compare: other, shards });
  } catch (e) {
    return fail(`cannot read ${opts.input ?? 'stdin'}: ${(e as Error).message}`);
  }
  // Every co-location group (at most one per slot), so the report can say how many it leaves out.
  const { distribution: d, migration: diff, sampled } = summarizeStream(stream, policy, other, shards, { groups: SLOT_COUNT });
  const analysis = analyzeCommands(lines, policy);
  for (const diag of analysis.diagnostics) if (diag.severity === 'warning') warnings.push({ line: diag.line, message: diag.message });
  warnings.sort((a, b) => a.line - b.line);

  let migration: ReportInput['migration'] = null;
  if (other && diff) {
    const { moved: _moved, ...rest } = diff;
    migration = { ...rest, commands: verdictChanges(analysis.reports, analyzeCommands(lines, other).reports, target) };
  }

  const report = markdownReport({
    title: opts.title,
    policy: policy.name,
    compare: other ? other.name : null,
    target,
    layout: describeLayout(shards.source, shards.labels.length),
    keyCount: stream.keys,
    sampledKeys: sampled,
    unplaced: d.unplaced,
    distribution: d,
    shards: shardRows(shards, d.perShard),
    commands: analysis.reports,
    migration,
    generatedBy: await generatedBy(),
    rules: await ruleSources(policy.name, opts.rules),
    compareRules: other ? await ruleSources(other.name, opts.compareRules) : undefined,
    implicitShardKey: opts.implicitShardKey,
    warnings,
  });
  const out = new Out();
  out.line(report.trimEnd());
  await out.end();
  policy.dispose();
  other?.dispose();

  const failing = analysis.reports.some((r) => {
    const v = r.kind === 'command' ? r.verdicts[target].verdict : null;
    return v === 'crossslot' || (v === 'error' && opts.failOn === 'error');
  });
  return opts.failOn !== undefined && failing ? 1 : 0;
}

/** The rules as written, for the report (makePolicy has already read and checked the file). */
async function ruleSources(policy: PolicyName, file: string | undefined): Promise<string[] | undefined> {
  if (policy !== 'custom' || file === undefined) return undefined;
  return parseRules(await readFile(file, 'utf8')).rules.map((r) => r.source);
}

async function generatedBy(): Promise<string> {
  const pkg = JSON.parse(await readFile(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string };
  return `hashslot ${pkg.version}`;
}

function fail(message: string): number {
  process.stderr.write(`hashslot report: ${message}\n`);
  return 2;
}
