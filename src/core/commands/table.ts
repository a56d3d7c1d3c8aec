import { getKeyIndexes } from '@ioredis/commands';
import { latin1 } from '../bytes.ts';
import { COMMAND_TABLE } from './command-table.generated.ts';

/** One entry of Redis's command table, as `@ioredis/commands` ships it (generated from COMMAND). */
export interface CommandSpec {
  arity: number;
  flags: string[];
  keyStart: number;
  keyStop: number;
  step: number;
  requestPolicy?: string;
  responsePolicy?: string;
  subcommands?: Record<string, CommandSpec>;
}

const COMMANDS = COMMAND_TABLE;

/** A command resolved against the table: its name, spec and how many args name it (1, or 2 with a subcommand). */
export interface ResolvedCommand {
  /** Upper-case display name, with the subcommand when there is one: `MSET`, `OBJECT ENCODING`. */
  name: string;
  /** Lower-case table key of the top-level command. */
  key: string;
  spec: CommandSpec;
  nameArgs: 1 | 2;
}

export type Resolution =
  { ok: true; command: ResolvedCommand } | { ok: false; code: 'unknown-command' | 'unknown-subcommand' | 'wrong-arity'; message: string };

/** Looks a command line up in the table and checks its arity, as the server does before anything else. */
export function resolveCommand(args: Uint8Array[]): Resolution {
  const name = latin1(args[0] ?? new Uint8Array()).toLowerCase();
  const spec = Object.hasOwn(COMMANDS, name) ? COMMANDS[name] : undefined;
  if (!spec) return { ok: false, code: 'unknown-command', message: `unknown command '${name.toUpperCase()}'` };
  let resolved: ResolvedCommand = { name: name.toUpperCase(), key: name, spec, nameArgs: 1 };
  if (spec.subcommands) {
    const sub = args.length > 1 ? latin1(args[1]).toLowerCase() : '';
    const subSpec = Object.hasOwn(spec.subcommands, sub) ? spec.subcommands[sub] : undefined;
    if (!subSpec) {
      if (args.length < 2) return arityError(name.toUpperCase());
      return { ok: false, code: 'unknown-subcommand', message: `unknown subcommand '${sub}' of ${name.toUpperCase()}` };
    }
    resolved = { name: `${name.toUpperCase()} ${sub.toUpperCase()}`, key: name, spec: subSpec, nameArgs: 2 };
  }
  const { arity } = resolved.spec;
  if ((arity > 0 && args.length !== arity) || (arity < 0 && args.length < -arity)) return arityError(resolved.name);
  return { ok: true, command: resolved };
}

function arityError(name: string): Resolution {
  return { ok: false, code: 'wrong-arity', message: `wrong number of arguments for '${name}'` };
}

/**
 * Argument indexes (into `args`, where args[0] is the command name) of the keys, from the table and
 * the special cases it knows (numkeys, STREAMS, MIGRATE KEYS, GEORADIUS STORE …).
 */
export function tableKeyIndexes(command: ResolvedCommand, args: Uint8Array[]): number[] {
  const rest = args.slice(1).map((a) => latin1(a));
  return (getKeyIndexes(command.key, rest) as number[]).map((i) => i + 1).filter((i) => i < args.length);
}

/** Whether the first argument after the name is a key (GET, SET, HSET …), from the table alone. */
export function firstArgIsKey(name: string): boolean {
  const spec = COMMANDS[name.toLowerCase()];
  return spec !== undefined && Object.hasOwn(COMMANDS, name.toLowerCase()) && spec.keyStart === 1 && spec.step > 0;
}
