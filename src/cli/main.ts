import { parseArgs, type ParseArgsConfig } from 'node:util';
import { VERSION } from '../core/index.ts';
import { UsageError } from './errors.ts';
import { warn } from './io.ts';
import { CHECK_USAGE, DIFF_USAGE, DIST_USAGE, PATTERNS_USAGE, REPORT_USAGE, SLOTS_USAGE } from './usage.ts';

const POLICY_ARGS = {
  policy: { type: 'string', default: 'redis' },
  rules: { type: 'string' },
  'implicit-shard-key': { type: 'boolean', default: false },
  engine: { type: 'string', default: 'bytecode' },
} as const;

const TOPOLOGY_ARGS = {
  shards: { type: 'string' },
  masters: { type: 'string' },
  topology: { type: 'string' },
} as const;

const USAGE = `Usage: hashslot <command> [options]
       hashslot slots KEY…        (the slot of each key, like CLUSTER KEYSLOT)

Commands:
  slots    hash slot and tag of each key under the Redis, Standard or Custom policy
  check    which commands a cluster refuses with CROSSSLOT, per deployment, with fixes
  dist     how keys spread over slots and shards: skew, hot tags, co-location groups
  diff     what moving keys from one policy (or rule set) to another changes
  report   a Markdown review report (distribution, failing commands, migration); --fail-on for CI
  patterns key patterns (user:{<uid>}:cart): what they hash, which share a slot for every id, and
           whether command templates are always single-slot; --fail-on for CI

Run "hashslot <command> --help" for its options; "hashslot --version" for the version.

Exit status: 0; 1 when a --fail-on condition is found; 2 for bad usage or an input that cannot be used
(an unreadable file, rules with errors, a topology that cannot be read); 3 for a bug in hashslot.`;

const IO = {
  json: { type: 'boolean', default: false },
  input: { type: 'string' },
  help: { type: 'boolean', short: 'h', default: false },
} as const;
const TARGET = { target: { type: 'string', default: 'oss-cluster' } } as const;
const SAMPLES = { samples: { type: 'string' } } as const;

const COMMANDS = {
  slots: { usage: SLOTS_USAGE, options: { ...POLICY_ARGS, ...IO, ...SAMPLES }, keysAsArguments: true },
  check: { usage: CHECK_USAGE, options: { ...POLICY_ARGS, ...IO, ...TARGET } },
  dist: { usage: DIST_USAGE, options: { ...POLICY_ARGS, ...TOPOLOGY_ARGS, ...IO, ...SAMPLES } },
  diff: {
    usage: DIFF_USAGE,
    options: {
      from: { type: 'string' },
      to: { type: 'string' },
      'from-rules': { type: 'string' },
      'to-rules': { type: 'string' },
      'implicit-shard-key': { type: 'boolean', default: false },
      engine: { type: 'string', default: 'bytecode' },
      commands: { type: 'string' },
      ...TARGET,
      ...TOPOLOGY_ARGS,
      ...IO,
      ...SAMPLES,
    },
  },
  report: {
    usage: REPORT_USAGE,
    options: {
      ...POLICY_ARGS,
      compare: { type: 'string' },
      'compare-rules': { type: 'string' },
      commands: { type: 'string' },
      'fail-on': { type: 'string' },
      title: { type: 'string' },
      ...TARGET,
      ...TOPOLOGY_ARGS,
      ...SAMPLES,
      input: IO.input,
      help: IO.help,
    },
  },
  patterns: {
    usage: PATTERNS_USAGE,
    options: { ...POLICY_ARGS, ...IO, ...TARGET, commands: { type: 'string' }, 'fail-on': { type: 'string' }, samples: { type: 'string' } },
  },
} satisfies Record<string, { usage: string; options: ParseArgsConfig['options']; keysAsArguments?: boolean }>;

/** Entry point of the `hashslot` CLI; returns the exit code. A command's code is loaded only to run it. */
export async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  if (command === '--version' || command === '-v' || command === 'version') {
    process.stdout.write(`hashslot ${VERSION}\n`);
    return 0;
  }
  if (command === undefined || command === '--help' || command === '-h' || command === 'help') {
    process.stdout.write(USAGE + '\n');
    return command === undefined ? 2 : 0;
  }
  if (!Object.hasOwn(COMMANDS, command)) {
    warn(`hashslot: unknown command "${command}"\n${USAGE}`);
    return 2;
  }
  const spec: { usage: string; options: ParseArgsConfig['options']; keysAsArguments?: boolean } = COMMANDS[command as keyof typeof COMMANDS];
  let v: Record<string, string | boolean | undefined>;
  let positionals: string[];
  try {
    const parsed = parseArgs({ args: rest, options: spec.options, strict: true, allowPositionals: spec.keysAsArguments === true });
    v = parsed.values as typeof v;
    positionals = parsed.positionals;
  } catch (e) {
    warn(`hashslot ${command}: ${(e as Error).message}\n${spec.usage}`);
    return 2;
  }
  if (v.help) {
    process.stdout.write(spec.usage + '\n');
    return 0;
  }
  const str = (name: string) => v[name] as string | undefined;
  const io = { json: v.json === true, input: str('input') };
  const policy = {
    policy: str('policy') ?? 'redis',
    rules: str('rules'),
    implicitShardKey: v['implicit-shard-key'] === true,
    engine: str('engine') ?? 'bytecode',
  };
  const topology = { shards: str('shards'), masters: str('masters'), topology: str('topology') };
  const samples = str('samples');
  try {
    switch (command) {
      case 'check':
        return await (await import('./check.ts')).runCheck({ ...policy, ...io, target: str('target')! });
      case 'dist':
        return await (await import('./dist.ts')).runDist({ ...policy, ...topology, ...io, samples });
      case 'diff':
        if (!str('from') || !str('to')) throw new UsageError(`--from and --to are required\n${spec.usage}`);
        return await (
          await import('./diff.ts')
        ).runDiff({
          from: str('from')!,
          to: str('to')!,
          fromRules: str('from-rules'),
          toRules: str('to-rules'),
          implicitShardKey: v['implicit-shard-key'] === true,
          engine: str('engine') ?? 'bytecode',
          commands: str('commands'),
          target: str('target')!,
          samples,
          ...topology,
          ...io,
        });
      case 'report':
        return await (
          await import('./report.ts')
        ).runReport({
          ...policy,
          ...topology,
          input: str('input'),
          target: str('target')!,
          compare: str('compare'),
          compareRules: str('compare-rules'),
          commands: str('commands'),
          failOn: str('fail-on'),
          title: str('title'),
          samples,
        });
      case 'patterns':
        return await (
          await import('./patterns.ts')
        ).runPatterns({ ...policy, ...io, target: str('target')!, commands: str('commands'), failOn: str('fail-on'), samples });
      default:
        if (positionals.length > 0 && io.input !== undefined) throw new UsageError('give keys as arguments or --input, not both');
        return await (await import('./slots.ts')).runSlots({ ...policy, ...io, samples, keys: positionals });
    }
  } catch (e) {
    // Bad usage or an input that cannot be used: its message, exit 2. Anything else is a bug: one line, exit 3.
    if (e instanceof UsageError) {
      warn(`hashslot ${command}: ${e.message}`);
      return 2;
    }
    warn(`hashslot ${command}: internal error (a bug in hashslot, please report it): ${(e as Error)?.message ?? e}`);
    return 3;
  }
}
