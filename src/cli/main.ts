import { parseArgs } from 'node:util';
import { CHECK_USAGE, runCheck } from './check.ts';
import { POLICY_ARGS } from './policy.ts';
import { runSlots, SLOTS_USAGE } from './slots.ts';

const USAGE = `Usage: hashslot <command> [options]

Commands:
  slots    hash slot and tag of each key under the Redis, Standard or Custom policy
  check    which commands a cluster refuses with CROSSSLOT, per deployment, with fixes

Run "hashslot <command> --help" for its options.`;

const COMMON = {
  ...POLICY_ARGS,
  json: { type: 'boolean', default: false },
  input: { type: 'string' },
  help: { type: 'boolean', short: 'h', default: false },
} as const;

/** Entry point of the `hashslot` CLI; returns the exit code. */
export async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  if (command === undefined || command === '--help' || command === '-h' || command === 'help') {
    process.stdout.write(USAGE + '\n');
    return command === undefined ? 2 : 0;
  }
  const usage = command === 'slots' ? SLOTS_USAGE : command === 'check' ? CHECK_USAGE : null;
  if (usage === null) {
    process.stderr.write(`hashslot: unknown command "${command}"\n${USAGE}\n`);
    return 2;
  }
  const options = command === 'check' ? { ...COMMON, target: { type: 'string', default: 'oss-cluster' } } as const : COMMON;
  let values;
  try {
    ({ values } = parseArgs({ args: rest, options, strict: true, allowPositionals: false }));
  } catch (e) {
    process.stderr.write(`hashslot ${command}: ${(e as Error).message}\n${usage}\n`);
    return 2;
  }
  if (values.help) {
    process.stdout.write(usage + '\n');
    return 0;
  }
  const common = {
    policy: values.policy,
    rules: values.rules,
    implicitShardKey: values['implicit-shard-key'],
    engine: values.engine,
    json: values.json,
    input: values.input,
  };
  if (command === 'check') return runCheck({ ...common, target: (values as { target: string }).target });
  return runSlots(common);
}
