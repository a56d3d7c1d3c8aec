import { TARGETS, type CommandReport, type TemplateReport } from '../core/index.ts';
import { Out, readLines } from './io.ts';
import { loadSetup, prepare, type SetupOptions } from './setup.ts';

export interface CheckOptions extends Pick<SetupOptions, 'policy' | 'rules' | 'implicitShardKey' | 'engine' | 'target'> {
  json: boolean;
  input?: string;
}

/** Findings that are already the verdict of their line: not repeated as a note under it. */
const VERDICT_CODES = new Set(['crossslot', 'template-crossslot']);

/** `hashslot check`: returns the exit code. */
export async function runCheck(opts: CheckOptions): Promise<number> {
  const setup = await loadSetup(opts);
  const input = await readLines(opts.input);
  setup.sources.commands = input.bytes;
  setup.origin.commands = opts.input ?? 'stdin';
  const a = prepare(setup, null);
  const target = a.settings.target;
  const notes = new Map<number, string[]>();
  // A line too long to be a command was never read: it is an error row of its own.
  const refused = input.refused.map(({ line, message }) => ({
    line,
    kind: 'command' as const,
    command: '',
    keys: [],
    slots: [],
    verdicts: Object.fromEntries(TARGETS.map((t) => [t, { verdict: 'error' as const, reason: message }])) as CommandReport['verdicts'],
  }));
  for (const d of a.problems.commands) {
    if (d.severity === 'info' || VERDICT_CODES.has(d.code)) continue;
    notes.set(d.line, [...(notes.get(d.line) ?? []), `${d.severity} ${d.code}: ${d.message} (column ${d.column})`]);
  }
  // Ordinary lines and template lines, in input order.
  const templates = new Map((a.commands.patterns?.report.templates ?? []).filter((t) => a.commands.templateLines.has(t.line)).map((t) => [t.line, t]));
  const rows: (CommandReport | TemplateReport)[] = [...a.commands.reports, ...templates.values(), ...refused].sort((x, y) => x.line - y.line);
  const out = new Out();
  const counts = { ok: 0, crossslot: 0, error: 0, template: 0 };
  for (const r of rows) {
    const lineNotes = notes.get(r.line);
    if ('template' in r) {
      if (r.kind === 'comment') continue;
      counts.template++;
      const v = r.verdicts[target];
      if (opts.json) {
        out.line(
          JSON.stringify({
            line: r.line,
            command: r.command,
            keys: r.keys,
            template: true,
            verdict: v.verdict,
            reason: v.reason,
            fix: r.fix,
            notes: lineNotes,
          }),
        );
        continue;
      }
      const block = r.transaction ? ` (transaction, lines ${r.transaction.from}-${r.transaction.to})` : '';
      out.line(`${String(r.line).padStart(5)}  ${v.verdict.toUpperCase().padEnd(9)}  ${r.command}${block} (template): ${v.reason}`);
      if (r.keys.length > 0) out.line(`${' '.repeat(18)}keys: ${r.keys.join(', ')}`);
      if (r.fix && v.verdict !== 'always') out.line(`${' '.repeat(18)}fix:  ${r.fix.join(', ')}`);
      for (const n of lineNotes ?? []) out.line(`${' '.repeat(18)}${n}`);
      continue;
    }
    const v = r.verdicts[target];
    const verdict = r.kind === 'comment' ? 'comment' : v.verdict;
    if (verdict === 'ok' || verdict === 'crossslot' || verdict === 'error') counts[verdict]++;
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
    for (const n of lineNotes ?? []) out.line(`${' '.repeat(18)}${n}`);
  }
  if (!opts.json) {
    const templateNote = counts.template ? `; ${counts.template} command template${counts.template === 1 ? '' : 's'} decided for every value` : '';
    out.line(`\n${counts.ok} ok, ${counts.crossslot} CROSSSLOT, ${counts.error} errors on ${target}${templateNote}`);
  }
  await out.end();
  a.dispose();
  return 0;
}
