import {
  describeHashing,
  maxOf,
  TARGET_LABELS,
  TARGETS,
  verdictMatrix,
  diagnostic,
  type Diagnostic,
  type Example,
  type PatternReport,
  type Target,
  type TemplateReport,
} from '../core/index.ts';
import { Out, readLines, warn } from './io.ts';
import { loadSetup, prepare, type SetupOptions } from './setup.ts';
import { UsageError } from './errors.ts';

export interface PatternsOptions extends Pick<SetupOptions, 'policy' | 'rules' | 'implicitShardKey' | 'engine' | 'target' | 'commands'> {
  failOn?: string;
  samples?: string;
  json: boolean;
  input?: string;
}

const FAIL_ON = ['never', 'depends', 'error'] as const;

/** `hashslot patterns`: returns the exit code. */
export async function runPatterns(opts: PatternsOptions): Promise<number> {
  const failOn = new Set((opts.failOn ?? '').split(',').filter((s) => s !== ''));
  for (const f of failOn) if (!(FAIL_ON as readonly string[]).includes(f)) throw new UsageError(`unknown --fail-on "${f}": use ${FAIL_ON.join(', ')}`);
  // "Fail when not always" includes never.
  if (failOn.has('depends')) failOn.add('never');
  const setup = await loadSetup({ ...opts, samples: undefined, reviewSamples: opts.samples });
  // A schema is read whole, whatever its size: every line may be a pattern.
  const input = opts.input === undefined && process.stdin.isTTY ? { bytes: new Uint8Array(), refused: [] } : await readLines(opts.input);
  const a = prepare(setup, input.bytes, undefined, 'always');
  const report = a.commands.patterns!.report;
  // A line too long to be a pattern was never read: a diagnostic on its line.
  for (const r of input.refused) report.keyDiagnostics.push(diagnostic('error', 'key-too-long', r.message, r.line, 1, 2));
  a.dispose();
  const target = a.settings.target;

  const out = new Out();
  const diagnostics = [
    ...report.keyDiagnostics.map((d) => ({ file: opts.input ?? 'stdin', d })),
    ...report.commandDiagnostics.map((d) => ({ file: opts.commands!, d })),
  ].filter(({ d }) => d.severity !== 'info');
  if (opts.json) printJson(out, report, target, diagnostics);
  else {
    for (const { file, d } of diagnostics) warn(`${file}:${d.line}:${d.column}: ${d.severity} ${d.code}: ${d.message}`);
    printText(out, report, target);
  }
  await out.end();
  const failing = report.templates.some((t) => t.kind === 'command' && failOn.has(t.verdicts[target].verdict));
  return failing ? 1 : 0;
}

const POLICY_LABEL = { redis: 'Redis', standard: 'Standard', custom: 'custom rules' } as const;

function printText(out: Out, r: PatternReport, target: Target): void {
  const how = r.mode === 'symbolic' ? 'decided exactly' : 'custom rules: decided by sampling values through them unless marked exact';
  out.line(`Patterns under the ${POLICY_LABEL[r.policy]} policy (${how})`);
  out.line('');
  const width = maxOf(
    r.patterns.map((p) => p.text.length),
    7,
  );
  out.line(`  ${'#'.padStart(3)}  ${'line'.padStart(4)}  ${'pattern'.padEnd(width)}  hashes`);
  for (const p of r.patterns) {
    const h = p.hashing;
    const hashes = h ? describeHashing(h.hashing) : '(malformed: see the problems)';
    const rule = h?.hashing.rule ? `  (rule ${h.hashing.rule})` : '';
    out.line(
      `  ${String(p.index + 1).padStart(3)}  ${String(p.line).padStart(4)}  ${p.text.padEnd(width)}  ${hashes}${rule}${h?.sampled ? '  [sampled]' : ''}`,
    );
    for (const w of h?.warnings ?? []) out.line(`${' '.repeat(13)}! ${w.message} (e.g. ${w.example.keys[0]})`);
  }
  const usable = r.patterns.filter((p) => p.ok);
  if (usable.length > 1) {
    out.line('');
    out.line('Same slot for the same values?  A always, N never (except by chance), D depends; lowercase: sampled');
    const m = verdictMatrix(r);
    const sampled = new Map(r.pairs.map((p) => [`${p.a},${p.b}`, p.sampled]));
    const cell = (a: number, b: number) => {
      const v = m[a][b];
      if (a === b) return '-';
      if (!v) return ' ';
      const letter = v === 'always' ? 'A' : v === 'never' ? 'N' : 'D';
      return sampled.get(`${Math.min(a, b)},${Math.max(a, b)}`) ? letter.toLowerCase() : letter;
    };
    out.line(`       ${usable.map((p) => String(p.index + 1).padStart(3)).join('')}`);
    for (const a of usable) out.line(`  ${String(a.index + 1).padStart(3)}  ${usable.map((b) => cell(a.index, b.index).padStart(3)).join('')}`);
    const notable = r.pairs.filter((p) => p.verdict !== 'never');
    if (notable.length) {
      out.line('');
      out.line('Pairs that share a slot always or for some values:');
      for (const p of notable) {
        out.line(`  ${String(p.a + 1).padStart(3)} ~ ${String(p.b + 1).padEnd(3)}  ${p.verdict.padEnd(7)}  ${p.reason}${p.sampled ? '  [sampled]' : ''}`);
        if (p.verdict === 'depends') {
          out.line(`${' '.repeat(22)}same slot:  ${exampleText(p.same!)}`);
          out.line(`${' '.repeat(22)}different:  ${exampleText(p.different!)}`);
        }
      }
    }
  }
  const commands = r.templates.filter((t) => t.kind === 'command');
  if (!commands.length) return;
  out.line('');
  out.line(`Command templates on ${TARGET_LABELS[target]} (${target}):`);
  const counts: Record<string, number> = {};
  for (const t of commands) {
    const v = t.verdicts[target];
    counts[v.verdict] = (counts[v.verdict] ?? 0) + 1;
    const block = t.transaction ? ` (transaction, lines ${t.transaction.from}-${t.transaction.to})` : '';
    const keys = t.keys.length ? ` ${t.keys.join(' ')}` : '';
    out.line(`${String(t.line).padStart(5)}  ${v.verdict.toUpperCase().padEnd(8)} ${t.command}${block}${keys}: ${v.reason}${t.sampled ? '  [sampled]' : ''}`);
    if (v.verdict === 'depends' || v.verdict === 'never' || v.verdict === 'error') {
      if (v.accepted) out.line(`${' '.repeat(16)}accepted: ${v.accepted}`);
      if (v.refused) out.line(`${' '.repeat(16)}refused:  ${v.refused}`);
    }
    if (t.fix && v.verdict !== 'always') out.line(`${' '.repeat(16)}fix:      ${t.fix.join(', ')}`);
  }
  out.line('');
  out.line(`${['always', 'never', 'depends', 'error'].map((k) => `${counts[k] ?? 0} ${k}`).join(', ')} on ${target}`);
}

function exampleText(e: Example): string {
  return e.keys.map((k, i) => `${k} → ${e.slots[i] >= 0 ? e.slots[i] : 'refused'}`).join(', ');
}

function printJson(out: Out, r: PatternReport, target: Target, diagnostics: { file: string; d: Diagnostic }[]): void {
  for (const { file, d } of diagnostics) {
    out.line(JSON.stringify({ kind: 'diagnostic', file, line: d.line, column: d.column, severity: d.severity, code: d.code, message: d.message }));
  }
  for (const p of r.patterns) {
    const row: Record<string, unknown> = { kind: 'pattern', index: p.index, line: p.line, pattern: p.text, names: p.names, ok: p.ok };
    if (p.hashing) Object.assign(row, { hashing: p.hashing.hashing, warnings: p.hashing.warnings, sampled: p.hashing.sampled });
    out.line(JSON.stringify(row));
  }
  for (const p of r.pairs) out.line(JSON.stringify({ kind: 'pair', patterns: [r.patterns[p.a].text, r.patterns[p.b].text], ...p }));
  for (const t of r.templates) out.line(JSON.stringify(templateRow(t, target)));
  const count = (items: string[]) =>
    Object.fromEntries(['always', 'never', 'depends', 'error', 'no-keys'].map((k) => [k, items.filter((v) => v === k).length]).filter(([, n]) => n));
  out.line(
    JSON.stringify({
      kind: 'summary',
      policy: r.policy,
      mode: r.mode,
      target,
      patterns: r.patterns.length,
      pairs: count(r.pairs.map((p) => p.verdict)),
      templates: count(r.templates.filter((t) => t.kind === 'command').map((t) => t.verdicts[target].verdict)),
    }),
  );
}

function templateRow(t: TemplateReport, target: Target): Record<string, unknown> {
  const v = t.verdicts[target];
  const row: Record<string, unknown> = { kind: 'template', line: t.line, command: t.command, keys: t.keys, template: t.template, ...v };
  if (t.kind === 'comment') return { kind: 'template', line: t.line, command: '', keys: [], template: false, verdict: 'comment', reason: 'comment' };
  if (t.transaction) row.transaction = t.transaction;
  if (t.fix) row.fix = t.fix;
  row.sampled = t.sampled;
  row.targets = Object.fromEntries(TARGETS.map((x) => [x, t.verdicts[x].verdict]));
  return row;
}
