import { append } from '../arrays.ts';
import { latin1 } from '../bytes.ts';
import { diagnostic, type Diagnostic } from '../diagnostics.ts';
import { display } from '../input/quote.ts';
import type { Policy } from '../slots/policy.ts';
import { newSpan } from '../slots/span.ts';
import { commandKeys } from './keys.ts';
import { suggestHashTag } from './suggest.ts';
import { patternHashSlot, undeclaredScriptKeys } from './cluster-rules.ts';
import type { CommandLine } from './tokenize.ts';
import { TARGETS, verdictFor, type Target, type TargetVerdict, type VerdictInput } from './verdict.ts';

/** What one input line means for a cluster. */
export interface CommandReport {
  line: number;
  kind: 'command' | 'comment';
  /** Upper-case name with subcommand (`OBJECT ENCODING`), or '' for comments. */
  command: string;
  /** Keys in display form and their slots (negative: no slot under the policy). On EXEC: the whole block's. */
  keys: string[];
  slots: number[];
  verdicts: Record<Target, TargetVerdict>;
  /** For a CROSSSLOT verdict: the same keys with one shared hash tag, checked under the policy. */
  suggestion?: string[];
  /** On EXEC (and DISCARD): the lines of the block, MULTI to EXEC. */
  transaction?: { from: number; to: number };
}

export interface CommandAnalysis {
  reports: CommandReport[];
  diagnostics: Diagnostic[];
}

const COMMENT: TargetVerdict = { verdict: 'no-keys', reason: 'comment' };

interface OpenTransaction {
  from: number;
  keys: string[];
  slots: number[];
  bytes: Uint8Array[];
  /** A queued command was refused: EXEC answers EXECABORT, and nothing after it is stored. */
  refused: string | null;
}

/**
 * Keys, slots and verdicts for every line, under one policy. Follows the server's order of checks:
 * unknown command and argument count first, then the cluster's slot check, then the command's own
 * errors. A transaction's verdict (on EXEC) covers every queued command; a queued command that is
 * refused makes EXEC fail with EXECABORT.
 */
export function analyzeCommands(lines: CommandLine[], policy: Policy): CommandAnalysis {
  const reports: CommandReport[] = [];
  const diagnostics: Diagnostic[] = [];
  const span = newSpan();
  let tx: OpenTransaction | null = null;
  let watched: { slots: number[]; line: number } | null = null;

  const slotOf = (key: Uint8Array) => policy.locate(key, 0, key.length, span);
  const all = (f: (t: Target) => TargetVerdict) => Object.fromEntries(TARGETS.map((t) => [t, f(t)])) as Record<Target, TargetVerdict>;
  const same = (v: TargetVerdict) => all(() => v);

  for (const cl of lines) {
    if (cl.kind === 'comment') {
      reports.push({ line: cl.line, kind: 'comment', command: '', keys: [], slots: [], verdicts: same(COMMENT) });
      continue;
    }
    if (cl.invalid || cl.args.length === 0) {
      reports.push({
        line: cl.line,
        kind: 'command',
        command: '',
        keys: [],
        slots: [],
        verdicts: same({ verdict: 'error', reason: 'the line could not be read' }),
      });
      continue;
    }
    const name = latin1(cl.args[0]).toUpperCase();
    const report = (command: string, keys: string[], slots: number[], verdicts: Record<Target, TargetVerdict>, extra: Partial<CommandReport> = {}) =>
      reports.push({ line: cl.line, kind: 'command', command, keys, slots, verdicts, ...extra });

    // Transaction control: handled before the table, since its meaning depends on the state.
    if (name === 'MULTI' || name === 'EXEC' || name === 'DISCARD') {
      if (cl.args.length !== 1) {
        report(name, [], [], same({ verdict: 'error', reason: `wrong number of arguments for '${name}'` }));
        if (tx && name !== 'MULTI') tx.refused ??= `line ${cl.line}`;
        continue;
      }
      if (name === 'MULTI') {
        if (tx) report(name, [], [], same({ verdict: 'error', reason: 'MULTI calls can not be nested' }));
        else {
          tx = { from: cl.line, keys: [], slots: [], bytes: [], refused: null };
          report(name, [], [], same({ verdict: 'no-keys', reason: 'starts a transaction' }));
        }
        continue;
      }
      if (!tx) {
        report(name, [], [], same({ verdict: 'error', reason: `${name} without MULTI` }));
        continue;
      }
      const block = { from: tx.from, to: cl.line };
      if (name === 'DISCARD') report(name, tx.keys, tx.slots, same({ verdict: 'no-keys', reason: 'transaction discarded' }), { transaction: block });
      else {
        // EXEC checks the slots of what was queued, then aborts if a command was refused.
        const input: VerdictInput = { name: 'EXEC', keys: tx.keys, slots: tx.slots, inTransaction: true };
        if (tx.refused) input.problem = { message: `EXECABORT: a queued command was refused (${tx.refused})` };
        const verdicts = all((t) => verdictFor(t, input));
        const extra: Partial<CommandReport> = { transaction: block };
        if (verdicts['oss-cluster'].verdict === 'crossslot') extra.suggestion = suggestHashTag(tx.bytes, policy);
        report('EXEC', tx.keys, tx.slots, verdicts, extra);
        if (watched && new Set([...watched.slots, ...tx.slots]).size > 1) {
          diagnostics.push(
            diagnostic(
              'warning',
              'watch-other-slot',
              `keys WATCHed on line ${watched.line} are in another slot than the transaction: this works only while both slots are on one node`,
              cl.line,
              1,
              5,
            ),
          );
        }
      }
      tx = null;
      watched = null;
      continue;
    }

    const found = commandKeys(cl.args);
    if (!found.ok) {
      report(found.name, [], [], same({ verdict: 'error', reason: found.message }));
      diagnostics.push(diagnostic('error', found.code, found.message, cl.line, cl.spans[0][0], cl.spans[0][1]));
      if (tx) tx.refused ??= `line ${cl.line}`;
      continue;
    }
    const keyBytes = found.keys.map((i) => cl.args[i]);
    const keys = keyBytes.map((k) => display(k));
    const slots = keyBytes.map(slotOf);
    let problem = found.problem;
    if (!problem && found.patterns.length > 0 && slots.length > 0) {
      const refused = found.patterns.find((i) => patternHashSlot(cl.args[i]) !== slots[0]);
      if (refused !== undefined) {
        problem = {
          code: 'sort-pattern',
          message: `SORT ${latin1(cl.args[refused - 1]).toUpperCase()} pattern may read keys in other slots: refused in cluster mode`,
        };
      }
    }
    const input: VerdictInput = { name: found.command.name, keys, slots, problem, inTransaction: tx !== null };
    const verdicts = all((t) => verdictFor(t, input));
    const extra: Partial<CommandReport> = {};
    if (verdicts['oss-cluster'].verdict === 'crossslot') extra.suggestion = suggestHashTag(keyBytes, policy);
    report(found.command.name, keys, slots, verdicts, extra);

    if (problem) {
      const at = cl.spans[0];
      diagnostics.push(diagnostic('error', problem.code, problem.message, cl.line, at[0], at[1]));
    }
    if (found.command.key === 'eval' || found.command.key === 'eval_ro') {
      for (const u of undeclaredScriptKeys(cl.args[1])) {
        const at = cl.spans[1];
        diagnostics.push(
          diagnostic(
            'warning',
            'undeclared-key',
            `the script calls ${u.command} on the literal key '${u.key}', which is not in KEYS: undeclared keys break in a cluster`,
            cl.line,
            at[0],
            at[1],
          ),
        );
      }
    }
    if (tx) {
      // Queuing checks the slots but does not run the command: its own errors surface inside EXEC's
      // reply. Once a command is refused the server stops storing the rest (they still answer QUEUED).
      if (verdicts['oss-cluster'].verdict === 'crossslot') tx.refused ??= `line ${cl.line}`;
      else if (!tx.refused) {
        append(tx.keys, keys);
        append(tx.slots, slots);
        append(tx.bytes, keyBytes);
      }
    } else if (found.command.name === 'WATCH') watched = { slots, line: cl.line };
  }
  if (tx) {
    diagnostics.push(diagnostic('warning', 'unclosed-multi', 'MULTI without EXEC or DISCARD: the transaction never runs', tx.from, 1, 6));
  }
  return { reports, diagnostics };
}

/**
 * Which lines run together: a MULTI … EXEC (or DISCARD) block is one unit, any other line its own —
 * exactly where analyzeCommands opens and closes transactions (a MULTI with arguments, or one inside an
 * open block, opens nothing), so analysing a unit on its own reproduces its verdicts.
 */
export function transactionUnits(lines: readonly CommandLine[]): { from: number; to: number }[] {
  const units: { from: number; to: number }[] = [];
  let open = -1;
  lines.forEach((l, i) => {
    const name = l.kind === 'comment' || l.args.length === 0 ? '' : latin1(l.args[0]).toUpperCase();
    const bare = l.args.length === 1;
    if (open < 0) {
      if (name === 'MULTI' && bare) open = i;
      else units.push({ from: i, to: i });
    } else if ((name === 'EXEC' || name === 'DISCARD') && bare) {
      units.push({ from: open, to: i });
      open = -1;
    }
  });
  if (open >= 0) units.push({ from: open, to: lines.length - 1 });
  return units;
}
