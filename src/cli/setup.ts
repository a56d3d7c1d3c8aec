import { readFile } from 'node:fs/promises';
import {
  createBytecodeEngine,
  prepareAnalysis,
  TARGETS,
  type AnalysisSources,
  type Diagnostic,
  type LayoutChoice,
  type PolicyName,
  type PreparedAnalysis,
  type ReadyAnalysis,
  type RegexEngine,
  type Settings,
  type Target,
} from '../core/index.ts';
import { UsageError } from './errors.ts';
import { warn } from './io.ts';

/**
 * Every command turns its options into the core's inputs and settings here, and gets its analysis from
 * prepareAnalysis — the same assembly as the page's — so the same inputs give the same answer.
 */

export interface SetupOptions {
  policy: string;
  rules?: string;
  /** A second policy (report --compare, diff --to) and its rules. */
  compare?: string;
  compareRules?: string;
  implicitShardKey: boolean;
  engine: string;
  shards?: string;
  masters?: string;
  topology?: string;
  target?: string;
  /** A commands file (diff, report, patterns). */
  commands?: string;
  /** Samples per key pattern. */
  samples?: string;
  /** Values per custom-rule pattern question (patterns --samples). */
  reviewSamples?: string;
}

/** How this command names the options (diff says --from / --to). */
export interface OptionNames {
  policy: string;
  rules: string;
  compare: string;
  compareRules: string;
}

export const DEFAULT_NAMES: OptionNames = { policy: '--policy', rules: '--rules', compare: '--compare', compareRules: '--compare-rules' };

export interface Setup {
  sources: AnalysisSources;
  settings: Settings;
  engine: RegexEngine;
  /** Where each input came from, for messages (`rules.txt:3:8: …`). */
  origin: { rules: string; rulesB: string; topology: string; commands: string };
}

const POLICIES = ['redis', 'standard', 'custom'];

async function readText(file: string, what: string): Promise<string> {
  try {
    // Editors on Windows may save a BOM; it is not part of the first line.
    return (await readFile(file, 'utf8')).replace(/^\uFEFF/, '');
  } catch (e) {
    throw new UsageError(`cannot read ${what} file ${file}: ${(e as NodeJS.ErrnoException).code === 'EISDIR' ? 'it is a directory' : (e as Error).message}`);
  }
}

export async function readBytes(file: string, what: string): Promise<Uint8Array> {
  try {
    const buf = await readFile(file);
    return new Uint8Array(buf.buffer, buf.byteOffset, buf.length);
  } catch (e) {
    throw new UsageError(`cannot read ${what} file ${file}: ${(e as NodeJS.ErrnoException).code === 'EISDIR' ? 'it is a directory' : (e as Error).message}`);
  }
}

/** The target the option names. */
export function parseTarget(name: string | undefined): Target {
  const target = name ?? 'oss-cluster';
  if (!(TARGETS as readonly string[]).includes(target)) throw new UsageError(`unknown target "${target}": use ${TARGETS.join(', ')}`);
  return target as Target;
}

function count(value: string, flag: string): number {
  // A count the core refuses (0, 20000, 1.5) reaches it and comes back as a layout blocker with its reason.
  const n = Number(value);
  if (value.trim() === '' || Number.isNaN(n)) throw new UsageError(`${flag} must be a number, not "${value}"`);
  return n;
}

/** Reads the files the options name and turns the options into the core's inputs and settings. */
export async function loadSetup(o: SetupOptions, names: OptionNames = DEFAULT_NAMES): Promise<Setup> {
  if (o.engine !== 'bytecode' && o.engine !== 're2') throw new UsageError(`unknown engine "${o.engine}": use bytecode or re2`);
  const policy = o.policy;
  if (!POLICIES.includes(policy)) throw new UsageError(`unknown policy "${policy}": use redis, standard or custom`);
  if (o.compare !== undefined && !POLICIES.includes(o.compare))
    throw new UsageError(`${names.compare}: unknown policy "${o.compare}": use redis, standard or custom`);
  if (policy !== 'custom' && o.rules !== undefined) throw new UsageError(`${names.rules} only applies to ${names.policy} custom`);
  if (policy === 'custom' && o.rules === undefined) throw new UsageError(`${names.policy} custom needs ${names.rules} FILE`);
  if (o.compare !== 'custom' && o.compareRules !== undefined) throw new UsageError(`${names.compareRules} only applies to ${names.compare} custom`);
  if (o.compare === 'custom' && o.compareRules === undefined) throw new UsageError(`${names.compare} custom needs ${names.compareRules} FILE`);
  const given = [o.shards, o.masters, o.topology].filter((v) => v !== undefined).length;
  if (given > 1) throw new UsageError('use only one of --shards, --masters, --topology');
  const samples = o.samples === undefined ? 32 : Number(o.samples);
  if (!(Number.isInteger(samples) && samples >= 1 && samples <= 1000)) throw new UsageError('--samples must be an integer from 1 to 1000');
  const reviewSamples = o.reviewSamples === undefined ? undefined : Number(o.reviewSamples);
  if (reviewSamples !== undefined && !(Number.isInteger(reviewSamples) && reviewSamples >= 1 && reviewSamples <= 100_000)) {
    throw new UsageError('--samples must be an integer from 1 to 100000');
  }

  // Rule set A feeds the custom side (the main one when both are); B is the compared rule set of Custom → Custom.
  const mainCustom = policy === 'custom';
  const compareCustom = o.compare === 'custom';
  const rulesFile = mainCustom ? o.rules : compareCustom ? o.compareRules : undefined;
  const rulesBFile = mainCustom && compareCustom ? o.compareRules : undefined;
  const layout: LayoutChoice =
    o.topology !== undefined
      ? { kind: 'paste' }
      : o.masters !== undefined
        ? { kind: 'masters', count: count(o.masters, '--masters') }
        : { kind: 'even', count: count(o.shards ?? '3', '--shards') };
  const sources: AnalysisSources = {
    rules: rulesFile !== undefined ? await readText(rulesFile, 'rules') : '',
    rulesB: rulesBFile !== undefined ? await readText(rulesBFile, 'rules') : '',
    commands: o.commands !== undefined ? await readBytes(o.commands, 'commands') : new Uint8Array(),
    topology: o.topology !== undefined ? await readText(o.topology, 'topology') : '',
  };
  const settings: Settings = {
    policy: policy as PolicyName,
    compare: (o.compare ?? null) as PolicyName | null,
    target: parseTarget(o.target),
    implicitShardKey: o.implicitShardKey,
    layout,
    patternSamples: samples,
    reviewSamples,
  };
  const layoutName = o.topology ?? (o.masters !== undefined ? '--masters' : '--shards');
  return {
    sources,
    settings,
    engine: await makeEngine(o.engine),
    origin: { rules: rulesFile ?? names.rules, rulesB: rulesBFile ?? names.compareRules, topology: layoutName, commands: o.commands ?? 'commands' },
  };
}

async function makeEngine(name: string): Promise<RegexEngine> {
  if (name === 're2') {
    const { loadRe2Node } = await import('../engines/re2/load-node.ts');
    const { createRe2Engine } = await import('../engines/re2/engine.ts');
    return createRe2Engine(await loadRe2Node());
  }
  return createBytecodeEngine();
}

/** `file:line:column: code: message`, the form editors and CI logs link to. */
export function located(file: string, d: Diagnostic, withSeverity = false): string {
  return `${file}:${d.line}:${d.column}: ${withSeverity ? `${d.severity} ` : ''}${d.code}: ${d.message}`;
}

/**
 * The analysis of a setup. Warnings about the rules and the topology go to stderr; an input the analysis
 * needs that cannot be used (bad rules, an unreadable topology, a bad count) ends the run with its
 * problems as `file:line:column` lines (UsageError: exit 2) — nothing is computed with a stand-in.
 */
export function prepare(setup: Setup, keyText: Uint8Array | null, names: OptionNames = DEFAULT_NAMES, review: 'auto' | 'always' = 'auto'): ReadyAnalysis {
  const a: PreparedAnalysis = prepareAnalysis(setup.sources, setup.settings, { engine: setup.engine }, keyText, { review });
  const { problems } = a;
  for (const [input, file] of [
    ['rules', setup.origin.rules],
    ['rulesB', setup.origin.rulesB],
  ] as const) {
    for (const d of problems[input]) if (d.severity !== 'error') warn(`${file}:${d.line}:${d.column}: ${d.severity}: ${d.code}: ${d.message}`);
  }
  const blocked = a.blockers.length > 0;
  for (const d of problems.topology) if (d.severity !== 'error' || !blocked) warn(`${located(setup.origin.topology, d, true)}`);
  if (!blocked && a.ready) {
    // Only with results: "the results are for it anyway" would be untrue of a run that stops.
    for (const p of a.setup) warn(`hashslot: warning: ${p.message} The results are for it anyway. (${p.source})`);
    return a;
  }
  a.dispose();
  const lines: string[] = [];
  for (const b of a.blockers) {
    const prefix = b.scope === 'compare' && names.compare !== '--compare' ? `${names.compare}: ` : '';
    const file = b.input === 'rules' ? setup.origin.rules : b.input === 'rulesB' ? setup.origin.rulesB : setup.origin.topology;
    const diagnostics = b.input === 'layout' ? problems.topology : problems[b.input];
    const errors = diagnostics.filter((d) => d.severity === 'error');
    // A count is an option, not a file: no line and column.
    if (b.input === 'layout') for (const d of errors) lines.push(`${prefix}${file}: ${d.code}: ${d.message}`);
    else if (errors.length) for (const d of errors) lines.push(`${prefix}${located(file, d)}`);
    else lines.push(`${prefix}${file}: ${b.message}`);
  }
  throw new UsageError(lines.join('\n'));
}
