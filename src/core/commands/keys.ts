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

/**
 * How a command family answers a `numkeys` it cannot use, in the server's own words (Redis 7, checked
 * against redis-server by the tests): when it is not an integer, below the least allowed, or larger
 * than the arguments that follow.
 */
interface NumkeysWords {
  notInteger: string;
  tooFew: (name: string) => string;
  tooMany: string;
}
const NOT_INTEGER = 'value is not an integer or out of range';
const SCRIPT: NumkeysWords = {
  notInteger: NOT_INTEGER,
  tooFew: () => "Number of keys can't be negative",
  tooMany: "Number of keys can't be greater than number of args",
};
const ZSET: NumkeysWords = { notInteger: NOT_INTEGER, tooFew: (name) => `at least 1 input key is needed for '${name}' command`, tooMany: 'syntax error' };
const MPOP: NumkeysWords = { notInteger: 'numkeys should be greater than 0', tooFew: () => 'numkeys should be greater than 0', tooMany: 'syntax error' };
const SINTERCARD: NumkeysWords = { ...MPOP, tooMany: "Number of keys can't be greater than number of args" };

/** Commands whose key count comes from a `numkeys` argument: where it is, whether 0 is allowed, and the server's words. */
const NUMKEYS: Record<string, { at: number; zero: boolean; words: NumkeysWords }> = {
  eval: { at: 2, zero: true, words: SCRIPT },
  evalsha: { at: 2, zero: true, words: SCRIPT },
  eval_ro: { at: 2, zero: true, words: SCRIPT },
  evalsha_ro: { at: 2, zero: true, words: SCRIPT },
  fcall: { at: 2, zero: true, words: SCRIPT },
  fcall_ro: { at: 2, zero: true, words: SCRIPT },
  zunionstore: { at: 2, zero: false, words: ZSET },
  zinterstore: { at: 2, zero: false, words: ZSET },
  zdiffstore: { at: 2, zero: false, words: ZSET },
  zunion: { at: 1, zero: false, words: ZSET },
  zinter: { at: 1, zero: false, words: ZSET },
  zdiff: { at: 1, zero: false, words: ZSET },
  zintercard: { at: 1, zero: false, words: ZSET },
  sintercard: { at: 1, zero: false, words: SINTERCARD },
  lmpop: { at: 1, zero: false, words: MPOP },
  zmpop: { at: 1, zero: false, words: MPOP },
  blmpop: { at: 2, zero: false, words: MPOP },
  bzmpop: { at: 2, zero: false, words: MPOP },
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
    // The server finds no keys at all when numkeys is unusable (COMMAND GETKEYS refuses it, so a
    // cluster checks no slot); the command then fails by itself, with these words.
    const text = latin1(args[numkeys.at]);
    const n = /^-?\d+$/.test(text) ? Number(text) : NaN;
    const refuse = (message: string) => found([], { code: 'bad-numkeys', message });
    const { words } = numkeys;
    if (!Number.isSafeInteger(n)) return refuse(words.notInteger);
    if (n < 0 || (n === 0 && !numkeys.zero)) return refuse(words.tooFew(command.key));
    if (numkeys.at + n >= args.length) return refuse(words.tooMany);
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
