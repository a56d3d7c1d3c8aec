import { GENERATED_BY, markdownReport, reportInput, TARGETS } from '../core/index.ts';
import { Out } from './io.ts';
import { analyzeKeys, openKeyInput } from './keys.ts';
import { loadSetup, POLICY_HELP, prepare, SAMPLES_HELP, TOPOLOGY_HELP, UsageError, type SetupOptions } from './setup.ts';

export interface ReportOptions extends SetupOptions {
  failOn?: string;
  title?: string;
  input?: string;
}

export const REPORT_USAGE = `Usage: hashslot report --policy redis|standard|custom [--rules FILE] [--compare P] [--compare-rules F]
                      [--commands FILE] [--target T] [--shards N | --masters N | --topology FILE]
                      [--fail-on crossslot|error] [--title T] [--input KEYS]

A Markdown review report for a schema review or CI: summary and verdict, policy and layout, how the
keys spread over shards, hot tags, co-location groups, commands refused with CROSSSLOT (with fixes)
and, with --compare, what changing the policy would move.

Keys come from stdin or --input (a terminal on stdin counts as no keys): without keys the distribution
sections are left out, so "--commands FILE" alone checks commands.

${POLICY_HELP}
  --compare P            a second policy (redis, standard or custom): adds the Migration section
  --compare-rules FILE   custom rules of --compare custom
  --commands FILE        commands to check (redis-cli syntax, as for hashslot check)
  --target T             deployment for command verdicts (default oss-cluster):
                         ${TARGETS.join(' | ')}
${TOPOLOGY_HELP}
${SAMPLES_HELP}
  --fail-on V            exit 1 when a command has verdict crossslot on the target, or a command template
                         is not always single-slot ("error": also commands refused for another reason);
                         the report is printed either way
  --title T              the report's title (default "Hash-slot review")
  --input FILE           read keys from FILE instead of stdin

Exit status: 0, 1 for --fail-on findings, 2 for bad usage or a bad rules, commands or topology file.`;

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
