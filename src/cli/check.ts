import { analyzeCommands, TARGETS, tokenizeCommands } from '../core/index.ts';
import { parseTarget, unknownTarget } from './analysis.ts';
import { Out, readInput } from './io.ts';
import { makePolicy, POLICY_HELP, type PolicyOptions } from './policy.ts';

export interface CheckOptions extends PolicyOptions {
  target: string;
  json: boolean;
  input?: string;
}

export const CHECK_USAGE = `Usage: hashslot check --policy redis|standard|custom [--rules FILE] [--target T] [--json]
                     [--input FILE]

Reads Redis commands (one per line, redis-cli syntax; lines copied from a redis-cli session or from
MONITOR work too; MULTI … EXEC blocks are transactions) from stdin or --input, and tells which ones a
cluster would refuse with CROSSSLOT, with the hash-tag change that would fix them.

${POLICY_HELP}
  --target T             ${TARGETS.join(' | ')} (default oss-cluster)
  --json                 one JSON object per non-empty input line:
                         {"line": N, "command": "MSET", "keys": [...], "slots": [...], "verdict": "...",
                          "reason": "..."} plus "suggestion" (CROSSSLOT) and "transaction" (EXEC)
  --input FILE           read commands from FILE instead of stdin

Verdicts: ok, crossslot, no-keys, error, and comment for comment lines.
Exit status: 0 (findings are results), 2 for bad usage or a bad rules file.`;

/** `hashslot check`: returns the exit code. */
export async function runCheck(opts: CheckOptions): Promise<number> {
  const target = parseTarget(opts.target);
  if (!target) {
    process.stderr.write(`hashslot check: ${unknownTarget(opts.target)}\n`);
    return 2;
  }
  const policy = await makePolicy(opts);
  if ('error' in policy) {
    process.stderr.write(`hashslot: ${policy.error}\n`);
    return 2;
  }
  const parsed = tokenizeCommands(await readInput(opts.input));
  const { reports, diagnostics } = analyzeCommands(parsed.lines, policy);
  const notes = new Map<number, string[]>();
  for (const d of [...parsed.diagnostics, ...diagnostics]) {
    if (d.severity === 'info') continue;
    notes.set(d.line, [...(notes.get(d.line) ?? []), `${d.severity} ${d.code}: ${d.message} (column ${d.column})`]);
  }
  const out = new Out();
  let counts = { ok: 0, crossslot: 0, error: 0 };
  for (const r of reports) {
    const v = r.verdicts[target];
    const verdict = r.kind === 'comment' ? 'comment' : v.verdict;
    if (verdict === 'ok' || verdict === 'crossslot' || verdict === 'error') counts = { ...counts, [verdict]: counts[verdict] + 1 };
    if (opts.json) {
      const row: Record<string, unknown> = {
        line: r.line,
        command: r.command,
        keys: r.keys,
        slots: r.slots,
        verdict,
        reason: r.kind === 'comment' ? 'comment' : v.reason,
      };
      if (r.suggestion && verdict === 'crossslot') row.suggestion = r.suggestion;
      if (r.transaction) row.transaction = r.transaction;
      const lineNotes = notes.get(r.line);
      if (lineNotes) row.notes = lineNotes;
      out.line(JSON.stringify(row));
      continue;
    }
    if (r.kind === 'comment') continue;
    const mark = { ok: 'ok       ', crossslot: 'CROSSSLOT', 'no-keys': 'no keys  ', error: 'ERROR    ' }[v.verdict];
    const block = r.transaction ? ` (transaction, lines ${r.transaction.from}-${r.transaction.to})` : '';
    out.line(`${String(r.line).padStart(5)}  ${mark}  ${r.command}${block}: ${v.reason}`);
    if (r.keys.length > 0) out.line(`${' '.repeat(18)}keys: ${r.keys.map((k, i) => `${k} → ${r.slots[i] >= 0 ? r.slots[i] : 'no slot'}`).join(', ')}`);
    if (r.suggestion && v.verdict === 'crossslot') out.line(`${' '.repeat(18)}fix:  ${r.suggestion.join(', ')}`);
    for (const n of notes.get(r.line) ?? []) out.line(`${' '.repeat(18)}${n}`);
  }
  if (!opts.json) out.line(`\n${counts.ok} ok, ${counts.crossslot} CROSSSLOT, ${counts.error} errors on ${target}`);
  await out.end();
  policy.dispose();
  return 0;
}
