import { append } from '../../arrays.ts';
import { analyzeCommands, type CommandReport } from '../../commands/analyze.ts';
import type { CommandLine } from '../../commands/tokenize.ts';
import { commandKeys } from '../../commands/keys.ts';
import { TARGETS, type Target, type TargetVerdict } from '../../commands/verdict.ts';
import { diagnostic, type Diagnostic } from '../../diagnostics.ts';
import { display, quote } from '../../input/quote.ts';
import { sampleBindings, type Binding } from '../language/expand.ts';
import { suggestTemplateFix } from './fix.ts';
import { renderPattern, type GroupVerdict } from '../reasoning/model.ts';
import type { PatternPart } from '../language/parse.ts';
import type { Reasoner } from '../reasoning/reason.ts';
import type { Schema } from '../language/schema.ts';
import { argPattern, instantiateLine, templateCommand, templateUnits, type TemplateLine, type TemplateList } from '../language/templates.ts';

/** A command template's verdict on one deployment target, for every value of its placeholders. */
export interface TemplateVerdict {
  /** always / never / depends accepted (not refused with CROSSSLOT); error: refused for another reason. */
  verdict: 'always' | 'never' | 'depends' | 'error' | 'no-keys';
  reason: string;
  /** A concrete command the target accepts, and one it refuses with CROSSSLOT (redis-cli syntax). */
  accepted?: string;
  refused?: string;
}

export interface TemplateReport {
  line: number;
  kind: 'command' | 'comment';
  /** Upper-case command name as written. */
  command: string;
  /** Key arguments as patterns; on EXEC, every key of the transaction. */
  keys: string[];
  /** The line has placeholders (otherwise it is an ordinary command). */
  template: boolean;
  verdicts: Record<Target, TemplateVerdict>;
  /** On EXEC and DISCARD: the lines of the block. */
  transaction?: { from: number; to: number };
  /** Whether the keys share one slot for the same values (absent without keys). */
  keysVerdict?: GroupVerdict;
  /** Key patterns rewritten with a hash tag so that the keys always share a slot, proven under the policy. */
  fix?: string[];
  sampled: boolean;
}

type Witness = { kind: 'same' | 'different' | 'refused' | 'any'; binding: Binding };
const same = <T>(v: T) => Object.fromEntries(TARGETS.map((t) => [t, v])) as Record<Target, T>;

/**
 * Verdicts for every template line. The reasoner decides whether the keys share a slot (always /
 * never / depends, with values for each outcome); each outcome's values are then put into the whole
 * unit (a transaction is instantiated as a block) and run through analyzeCommands, so the per-target
 * rules, transaction semantics and command errors are exactly those of `hashslot check`.
 */
export function analyzeTemplates(list: TemplateList, schema: Schema, reasoner: Reasoner, seed = 1): { reports: TemplateReport[]; diagnostics: Diagnostic[] } {
  const policy = reasoner.policy;
  const names = [...new Set(list.lines.flatMap((l) => l.names))];
  const [base] = sampleBindings(names, schema, { count: 1, seed });
  const probes = sampleBindings(names, schema, { count: 16, seed: seed + 1, adversarial: 0.5 });
  const diagnostics: Diagnostic[] = [];
  const reports: TemplateReport[] = [];

  const keyArgs = (l: TemplateLine, b: Binding) => {
    if (l.source.kind === 'comment' || l.source.invalid || l.source.args.length === 0) return [];
    const name = templateCommand(l);
    if (name === 'MULTI' || name === 'EXEC' || name === 'DISCARD') return [];
    const found = commandKeys(instantiateLine(l, b).args);
    return found.ok ? found.keys : [];
  };

  const analyzeUnit = (unit: { from: number; to: number }) => {
    const lines = list.lines.slice(unit.from, unit.to + 1);
    const inBlock = unit.to > unit.from || templateCommand(lines[0]) === 'MULTI';
    const keysOf = lines.map((l) => {
      const at = keyArgs(l, base);
      if (l.names.length && probes.some((p) => keyArgs(l, p).join() !== at.join())) {
        diagnostics.push(
          diagnostic(
            'warning',
            'template-keys-vary',
            'which arguments are keys depends on placeholder values; the verdict uses the usual case',
            l.source.line,
            1,
            2,
          ),
        );
      }
      return at.map((i) => argPattern(l, i));
    });
    const run = (b: Binding) => {
      const instances = lines.map((l) => instantiateLine(l, b));
      const analysis = analyzeCommands(instances, policy);
      return { instances, reports: analysis.reports, diagnostics: analysis.diagnostics };
    };
    const first = run(base);
    const baseRun = first.reports;
    // What hashslot check says about the commands themselves (unknown command, script keys, unclosed
    // MULTI …), from the usual values; slot findings are the verdicts' business.
    append(
      diagnostics,
      first.diagnostics.filter((d) => d.code !== 'watch-other-slot'),
    );

    lines.forEach((l, k) => {
      const isExec = inBlock && k === lines.length - 1 && templateCommand(l) === 'EXEC';
      const keys: PatternPart[][] = isExec ? keysOf.flat() : keysOf[k];
      const report: TemplateReport = {
        line: l.source.line,
        kind: l.source.kind,
        command: baseRun[k].command,
        keys: keys.map(renderPattern),
        template: (isExec ? lines : [l]).some((x) => x.names.length > 0),
        verdicts: same<TemplateVerdict>({ verdict: 'no-keys', reason: 'comment' }),
        sampled: false,
      };
      if (baseRun[k].transaction) report.transaction = baseRun[k].transaction;
      reports.push(report);
      if (l.source.kind === 'comment') return;
      if (!lines.every((x) => x.ok)) {
        report.verdicts = same<TemplateVerdict>({ verdict: 'error', reason: 'a placeholder is malformed (see the problems)' });
        return;
      }
      // A bug in the reasoning costs this line its verdict, not the whole review.
      const seen = reasoner.failures.length;
      try {
        const decision = keys.length ? reasoner.decide(keys) : null;
        const witnesses: Witness[] = [];
        if (decision) {
          for (const kind of ['same', 'different', 'refused'] as const) {
            const b = decision.witnesses[kind];
            if (b) witnesses.push({ kind, binding: new Map([...base, ...b]) });
          }
          report.keysVerdict = decision.verdict;
          report.sampled = decision.verdict.sampled;
        } else witnesses.push({ kind: 'any', binding: base });
        const runs = witnesses.map((w) => {
          const { instances, reports: rs } = run(w.binding);
          // On EXEC the example is the whole block.
          const text = isExec
            ? instances
                .filter((c) => c.kind === 'command')
                .map(commandText)
                .join('; ')
            : commandText(instances[k]);
          return { w, r: rs[k], text };
        });
        report.verdicts = Object.fromEntries(
          TARGETS.map((t) => [
            t,
            combine(
              runs.map((x) => ({ ...x, v: x.r.verdicts[t] })),
              decision?.verdict,
              isExec,
            ),
          ]),
        ) as Record<Target, TemplateVerdict>;
        if (decision && decision.verdict.verdict !== 'always' && keys.length > 1) {
          const fix = report.template ? suggestTemplateFix(keys, schema, reasoner) : baseRun[k].suggestion;
          if (fix) report.fix = fix;
        }
        for (const m of new Set(reasoner.failures.slice(seen))) {
          const message = `whether these keys share a slot was found by trying values: exact reasoning failed (this is a bug in the playground: ${m})`;
          diagnostics.push(diagnostic('warning', 'pattern-reasoning-failed', message, l.source.line, 1, 2));
        }
      } catch (e) {
        const m = e instanceof Error ? e.message : String(e);
        report.verdicts = same<TemplateVerdict>({ verdict: 'error', reason: `could not be worked out (this is a bug in the playground: ${m})` });
        diagnostics.push(
          diagnostic('error', 'pattern-reasoning-failed', `this template could not be analysed (this is a bug in the playground: ${m})`, l.source.line, 1, 2),
        );
      }
    });
  };

  // A bug (or a failing policy) costs a unit its verdicts, not the whole review.
  for (const unit of templateUnits(list.lines)) {
    const done = reports.length;
    try {
      analyzeUnit(unit);
    } catch (e) {
      const m = e instanceof Error ? e.message : String(e);
      const lines = list.lines.slice(unit.from, unit.to + 1);
      reports.splice(done);
      for (const l of lines) {
        const verdict: TemplateVerdict =
          l.source.kind === 'comment'
            ? { verdict: 'no-keys', reason: 'comment' }
            : { verdict: 'error', reason: `could not be worked out (this is a bug in the playground: ${m})` };
        reports.push({
          line: l.source.line,
          kind: l.source.kind,
          command: templateCommand(l),
          keys: [],
          template: l.names.length > 0,
          verdicts: same(verdict),
          sampled: false,
        });
      }
      diagnostics.push(
        diagnostic(
          'error',
          'pattern-reasoning-failed',
          `this command could not be analysed (this is a bug in the playground: ${m})`,
          lines[0].source.line,
          1,
          2,
        ),
      );
    }
  }
  return { reports, diagnostics };
}

type Run = { w: Witness; r: CommandReport; v: TargetVerdict; text: string };

/** One target's verdict from the outcomes' concrete runs. */
function combine(runs: Run[], keys: GroupVerdict | undefined, isExec: boolean): TemplateVerdict {
  // On EXEC, a queued command refused with CROSSSLOT surfaces as EXECABORT: still a slot failure.
  const classify = ({ w, v }: Run) => (v.verdict === 'crossslot' || (v.verdict === 'error' && isExec && w.kind === 'different') ? 'fail' : v.verdict);
  const error = runs.find((x) => classify(x) === 'error');
  if (error) return { verdict: 'error', reason: error.v.reason, refused: error.text };
  if (runs.every((x) => classify(x) === 'no-keys')) return { verdict: 'no-keys', reason: runs[0].v.reason };
  const ok = runs.find((x) => classify(x) === 'ok');
  const fail = runs.find((x) => classify(x) === 'fail');
  if (ok && !fail) {
    // Keys in several slots that the target splits (the proxy's MSET): its reason says so.
    const split = runs.find((x) => x.w.kind === 'different');
    const reason = split
      ? split.v.reason
      : !keys
        ? ok.v.reason
        : keys.sampled || keys.reason === 'a single key'
          ? keys.reason
          : `one slot for every value: ${keys.reason}`;
    return { verdict: 'always', reason, accepted: ok.text };
  }
  if (fail && !ok)
    return { verdict: 'never', reason: keys ? `CROSSSLOT${keys.sampled ? '' : ' for every value'}: ${keys.reason}` : fail.v.reason, refused: fail.text };
  return { verdict: 'depends', reason: keys?.reason ?? 'depends on the values', accepted: ok!.text, refused: fail!.text };
}

/** A command in redis-cli syntax (arguments quoted where needed). */
function commandText(line: CommandLine): string {
  return line.args
    .map((a) => {
      const shown = display(a);
      return shown.startsWith('"') || !/[\s"']/.test(shown) ? shown : quote(a);
    })
    .join(' ');
}
