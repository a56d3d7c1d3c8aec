import { GENERATED_BY, markdownReport, reportInput } from '../core/index.ts';
import { Out } from './io.ts';
import { analyzeKeys, openKeyInput } from './keys.ts';
import { loadSetup, prepare, type SetupOptions } from './setup.ts';
import { UsageError } from './errors.ts';

export interface ReportOptions extends SetupOptions {
  failOn?: string;
  title?: string;
  input?: string;
}

const FAIL_ON = ['crossslot', 'error'] as const;

/** `hashslot report`: returns the exit code. */
export async function runReport(opts: ReportOptions): Promise<number> {
  if (opts.failOn !== undefined && !(FAIL_ON as readonly string[]).includes(opts.failOn))
    throw new UsageError(`unknown --fail-on "${opts.failOn}": use crossslot or error`);
  const setup = await loadSetup(opts);
  const input = await openKeyInput(opts.input);
  const a = prepare(setup, input.text);
  const keys = await analyzeKeys(input, a);
  // The same builder as the page's Markdown export: the same inputs give the same document.
  const report = markdownReport(reportInput(a, keys, { title: opts.title, generatedBy: GENERATED_BY }));
  const out = new Out();
  out.line(report.trimEnd());
  await out.end();
  const target = a.settings.target;
  const failing =
    a.commands.reports.some((r) => {
      const v = r.kind === 'command' ? r.verdicts[target].verdict : null;
      return v === 'crossslot' || (v === 'error' && opts.failOn === 'error');
    }) ||
    (a.commands.patterns?.report.templates ?? []).some((t) => {
      const v = t.template && t.kind === 'command' ? t.verdicts[target].verdict : null;
      return v === 'never' || v === 'depends' || (v === 'error' && opts.failOn === 'error');
    });
  a.dispose();
  return opts.failOn !== undefined && failing ? 1 : 0;
}
