import { latin1 } from '../bytes.ts';
import { resolveCommand, tableKeyIndexes, type ResolvedCommand } from './table.ts';

/**
 * Where a command's keys are, in the server's order of checks: an unknown command or a wrong argument
 * count is refused first (`ok: false`); then a cluster checks the slots of the keys it finds; only then
 * does the command itself reject bad arguments (`problem`), so a command can be both CROSSSLOT and wrong.
 */
export type CommandKeys =
  | {
      ok: true;
      command: ResolvedCommand;
      /** Indexes into args (args[0] is the command name) of the keys the server finds. */
      keys: number[];
      /** SORT BY / GET patterns: a cluster accepts them only when they hash to the key's slot. */
      patterns: number[];
      /** An error the command itself would answer once it runs. */
      problem?: { code: string; message: string };
    }
  | { ok: false; name: string; code: string; message: string };

/** Commands whose key count comes from a `numkeys` argument, with where it is and whether 0 is allowed. */
const NUMKEYS: Record<string, { at: number; zero: boolean }> = {
  eval: { at: 2, zero: true },
  evalsha: { at: 2, zero: true },
  eval_ro: { at: 2, zero: true },
  evalsha_ro: { at: 2, zero: true },
  fcall: { at: 2, zero: true },
  fcall_ro: { at: 2, zero: true },
  zunionstore: { at: 2, zero: false },
  zinterstore: { at: 2, zero: false },
  zdiffstore: { at: 2, zero: false },
  zunion: { at: 1, zero: false },
  zinter: { at: 1, zero: false },
  zdiff: { at: 1, zero: false },
  zintercard: { at: 1, zero: false },
  sintercard: { at: 1, zero: false },
  sdiffcard: { at: 1, zero: false },
  sunioncard: { at: 1, zero: false },
  lmpop: { at: 1, zero: false },
  zmpop: { at: 1, zero: false },
  blmpop: { at: 2, zero: false },
  bzmpop: { at: 2, zero: false },
};

/**
 * The keys of one command, from Redis's command table (`@ioredis/commands`) plus the cases the table
 * cannot express: `numkeys` validation, SORT's BY/GET patterns (not keys), XREAD's key/ID halves.
 */
export function commandKeys(args: Uint8Array[]): CommandKeys {
  const resolved = resolveCommand(args);
  if (!resolved.ok) return { ok: false, name: latin1(args[0] ?? new Uint8Array()).toUpperCase(), code: resolved.code, message: resolved.message };
  const command = resolved.command;
  const found = (keys: number[], problem?: { code: string; message: string }): CommandKeys => ({ ok: true, command, keys, patterns: [], problem });

  const numkeys = NUMKEYS[command.key];
  if (numkeys) {
    // The server finds no keys at all when numkeys is unusable; the command then fails by itself.
    const text = latin1(args[numkeys.at]);
    const n = /^-?\d+$/.test(text) ? Number(text) : NaN;
    if (!Number.isSafeInteger(n)) return found([], { code: 'bad-numkeys', message: `numkeys must be an integer, got '${text}'` });
    if (n < 0) return found([], { code: 'bad-numkeys', message: 'numkeys must not be negative' });
    if (numkeys.at + n >= args.length) return found([], { code: 'bad-numkeys', message: `numkeys is ${n}, but fewer keys follow` });
    if (n === 0 && !numkeys.zero) return found(tableKeyIndexes(command, args), { code: 'bad-numkeys', message: 'numkeys must be greater than zero' });
  }

  if (command.key === 'sort' || command.key === 'sort_ro') return sortKeys(command, args);

  if (command.key === 'xread' || command.key === 'xreadgroup') {
    const streams = args.findIndex((a, i) => i > 0 && latin1(a).toUpperCase() === 'STREAMS');
    const after = streams < 0 ? 0 : args.length - streams - 1;
    if (streams < 0 || after === 0 || after % 2 !== 0) {
      // The server still takes the first half (rounded down) as keys, then refuses the command.
      const keys = Array.from({ length: Math.floor(after / 2) }, (_, k) => streams + 1 + k);
      return found(keys, { code: 'bad-streams', message: 'STREAMS must be followed by as many IDs as keys' });
    }
  }
  return found(tableKeyIndexes(command, args));
}

/**
 * SORT key [BY pattern] [LIMIT o c] [GET pattern …] [ASC|DESC] [ALPHA] [STORE dest]. Keys as the
 * server's sortGetKeys finds them (the key, and the last STORE destination), then the syntax check.
 */
function sortKeys(command: ResolvedCommand, args: Uint8Array[]): CommandKeys {
  const keys = [1];
  const patterns: number[] = [];
  let store = -1;
  let problem: { code: string; message: string } | undefined;
  for (let i = 2; i < args.length; i++) {
    const word = latin1(args[i]).toUpperCase();
    const left = args.length - i - 1;
    if ((word === 'BY' || word === 'GET') && left >= 1) {
      const pattern = latin1(args[i + 1]);
      // BY without '*' means "don't sort" and reads nothing; every GET pattern is checked, even '#'.
      if (word === 'GET' || pattern.includes('*')) patterns.push(i + 1);
      i++;
    } else if (word === 'LIMIT' && left >= 2) i += 2;
    else if (word === 'STORE' && left >= 1 && command.key === 'sort') store = ++i;
    else if (word !== 'ASC' && word !== 'DESC' && word !== 'ALPHA') {
      problem ??= { code: 'syntax', message: `syntax error near '${latin1(args[i])}'` };
    }
  }
  if (store > 0) keys.push(store);
  return { ok: true, command, keys, patterns, problem };
}
