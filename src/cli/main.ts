import { parseArgs } from 'node:util';
import { runSlots, SLOTS_USAGE } from './slots.ts';

const USAGE = `Usage: hashslot <command> [options]

Commands:
  slots    hash slot and tag of each key under the Redis, Standard or Custom policy

Run "hashslot <command> --help" for its options.`;

/** Entry point of the `hashslot` CLI; returns the exit code. */
export async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  if (command === undefined || command === '--help' || command === '-h' || command === 'help') {
    process.stdout.write(USAGE + '\n');
    return command === undefined ? 2 : 0;
  }
  if (command !== 'slots') {
    process.stderr.write(`hashslot: unknown command "${command}"\n${USAGE}\n`);
    return 2;
  }
  let values;
  try {
    ({ values } = parseArgs({
      args: rest,
      options: {
        policy: { type: 'string', default: 'redis' },
        rules: { type: 'string' },
        'implicit-shard-key': { type: 'boolean', default: false },
        json: { type: 'boolean', default: false },
        input: { type: 'string' },
        engine: { type: 'string', default: 'bytecode' },
        help: { type: 'boolean', short: 'h', default: false },
      },
      strict: true,
      allowPositionals: false,
    }));
  } catch (e) {
    process.stderr.write(`hashslot slots: ${(e as Error).message}\n${SLOTS_USAGE}\n`);
    return 2;
  }
  if (values.help) {
    process.stdout.write(SLOTS_USAGE + '\n');
    return 0;
  }
  if (values.engine !== 'bytecode' && values.engine !== 're2') {
    process.stderr.write(`hashslot slots: unknown engine "${values.engine}": use bytecode or re2\n`);
    return 2;
  }
  return runSlots({
    policy: values.policy,
    rules: values.rules,
    implicitShardKey: values['implicit-shard-key'],
    json: values.json,
    input: values.input,
    engine: values.engine,
  });
}
