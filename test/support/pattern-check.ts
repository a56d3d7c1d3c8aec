import {
  append,
  instantiate,
  keyAt,
  parseKeyList,
  sampleBindings,
  tokenizeCommands,
  utf8,
  type Binding,
  type Example,
  type GroupVerdict,
  type PatternDocuments,
  type PatternPart,
  type PatternReport,
  type Schema,
  type TemplateReport,
} from '../../src/core/index.ts';
import { instantiateLine, templateUnits } from '../../src/core/patterns/language/templates.ts';
import type { RedisOracle, RespValue } from '../oracles/redis-server.ts';
import type { SlotOracle } from './oracle-slots.ts';

/**
 * The sampling cross-check of issue 9: a verdict of the reasoner against slots computed by a real
 * engine for many bindings. "always" must never be contradicted; "never" may coincide only by chance
 * (and not at all when it claims to be exact); every example must show its outcome on the real engine.
 */
export interface Question {
  label: string;
  keys: readonly (readonly PatternPart[])[];
  names: string[];
  verdict: GroupVerdict;
}

export interface CheckResult {
  checked: number;
  /** "always" with a binding in several slots, or an exact "never" with one slot: must stay empty. */
  contradictions: string[];
  /** Examples whose keys do not show the claimed outcome on the real engine: must stay empty. */
  badExamples: string[];
  /** Typical bindings of chance-"never" questions that landed in one slot, and how many were tried. */
  coincidences: number;
  neverSamples: number;
  verdicts: Record<string, number>;
}

/** A key from its display form (the key-list format: plain text or a redis-cli quoted string). */
export function keyFromDisplay(shown: string): Uint8Array {
  const list = parseKeyList(utf8(shown));
  if (list.count !== 1 || list.invalid[0]) throw new Error(`not a displayed key: ${shown}`);
  return keyAt(list, 0).slice();
}

/** The binding behind an example, from its display form. */
export function bindingOf(e: Example): Binding {
  return new Map(Object.entries(e.binding).map(([k, v]) => [k, keyFromDisplay(v)]));
}

/**
 * Runs every question's bindings and examples through the oracle in one batch. Each question gets
 * typical bindings and as many adversarial ones (edge values: empty text, braces, line feeds, …).
 * "always" and an exact "never" must hold for both. The chance rate of a "never" is measured on the
 * typical ones: "by chance" means values unrelated to each other, and edge values are related on
 * purpose — a text holding `{x}` meets a literal tag `x` far more often than 1 in 16384.
 */
export async function crossCheck(
  oracle: SlotOracle,
  schema: Schema | ((q: Question) => Schema),
  questions: Question[],
  /** withSampled: hold sampled verdicts (custom rules) to the same standard, on fresh values. */
  opts: { samples: number; seed: number; withSampled?: boolean },
): Promise<CheckResult> {
  const keys: Uint8Array[] = [];
  const add = (built: Uint8Array[]) => {
    const at = keys.length;
    append(keys, built);
    return at;
  };
  const plans = questions.map((q, i) => {
    const s = typeof schema === 'function' ? schema(q) : schema;
    const typical = sampleBindings(q.names, s, { count: opts.samples, seed: opts.seed + i * 7919 });
    const edge = sampleBindings(q.names, s, { count: opts.samples, seed: opts.seed + i * 7919 + 1, adversarial: 1 });
    const samples = [...typical, ...edge].map((b, k) => ({ at: add(q.keys.map((key) => instantiate(key, b))), typical: k < typical.length }));
    const examples = (['same', 'different'] as const).flatMap((kind) => {
      const e = q.verdict[kind];
      return e ? [{ kind, e, at: add(e.keys.map(keyFromDisplay)) }] : [];
    });
    return { q, samples, examples };
  });
  const slots = await oracle(keys);
  const oneSlot = (at: number, n: number) => new Set(slots.slice(at, at + n)).size === 1 && slots[at] >= 0;
  const result: CheckResult = { checked: 0, contradictions: [], badExamples: [], coincidences: 0, neverSamples: 0, verdicts: {} };
  for (const { q, samples, examples } of plans) {
    const n = q.keys.length;
    result.checked++;
    const tally = q.verdict.sampled ? `sampled ${q.verdict.verdict}` : q.verdict.verdict;
    result.verdicts[tally] = (result.verdicts[tally] ?? 0) + 1;
    for (const { kind, e, at } of examples) {
      if (oneSlot(at, n) !== (kind === 'same'))
        result.badExamples.push(`${q.label}: ${kind} example ${e.keys.join(' / ')} → ${slots.slice(at, at + n).join(', ')}`);
    }
    if (q.verdict.sampled && !opts.withSampled) continue;
    for (const { at, typical } of samples) {
      // A key no rule matches is refused by the server: verdicts count those apart.
      if (slots.slice(at, at + n).some((x) => x < 0)) continue;
      const same = oneSlot(at, n);
      const shown = () =>
        `${q.label}: ${keys
          .slice(at, at + n)
          .map((k) => JSON.stringify(Buffer.from(k).toString('latin1')))
          .join(' / ')} → ${slots.slice(at, at + n).join(', ')}`;
      if (q.verdict.verdict === 'always' && !same) result.contradictions.push(`always contradicted: ${shown()}`);
      if (q.verdict.verdict !== 'never') continue;
      if (same && q.verdict.exact) result.contradictions.push(`exact never contradicted: ${shown()}`);
      if (!typical) continue;
      result.neverSamples++;
      if (same) result.coincidences++;
    }
  }
  return result;
}

/** Chance coincidences allowed among `samples` bindings: generous, yet far below any structural rate. */
export function chanceBound(samples: number): number {
  return Math.ceil((samples / 16384) * 6) + 3;
}

const isRefused = (r: RespValue) => typeof r === 'object' && r !== null && 'error' in r && /^(CROSSSLOT|EXECABORT)/.test(r.error);

/**
 * Template verdicts (oss-cluster) against a real cluster node: each unit (a command, or a MULTI … EXEC
 * block) is sent with typical and edge values; the node answers CROSSSLOT (or EXECABORT) or not.
 * "always" is never refused; "never" is accepted only by chance (typical values); "depends" is
 * accepted with its 'same' values and refused with its 'different' ones; single commands shown as
 * accepted / refused are.
 */
export async function checkTemplates(redis: RedisOracle, docs: PatternDocuments, report: PatternReport, seed: number, samples = 16) {
  const byLine = new Map(report.templates.map((t) => [t.line, t]));
  await redis.command(['FLUSHALL']);
  const counts: Record<string, number> = {};
  const problems: string[] = [];
  let coincidences = 0;
  let neverSamples = 0;
  for (const unit of templateUnits(docs.commands.lines)) {
    const lines = docs.commands.lines.slice(unit.from, unit.to + 1);
    const last = byLine.get(lines[lines.length - 1].source.line)!;
    if (last.kind === 'comment') continue;
    const verdict = last.verdicts['oss-cluster'];
    counts[verdict.verdict] = (counts[verdict.verdict] ?? 0) + 1;
    const names = [...new Set(lines.flatMap((l) => l.names))];
    const refusedFor = async (b: Binding) => (await redis.pipeline(lines.map((l) => instantiateLine(l, b).args))).some(isRefused);
    const [base] = sampleBindings(names, docs.schema, { count: 1, seed: 1 });
    const typical = sampleBindings(names, docs.schema, { count: samples, seed: seed + unit.from });
    const edge = sampleBindings(names, docs.schema, { count: samples, seed: seed + unit.from + 1, adversarial: 1 });
    for (const [k, b] of [...typical, ...edge].entries()) {
      const refused = await refusedFor(b);
      const shown = () => `line ${last.line} with ${[...b].map(([n, v]) => `${n}=${JSON.stringify(Buffer.from(v).toString('latin1'))}`).join(' ')}`;
      if (verdict.verdict === 'always' && refused && !last.sampled) problems.push(`always, refused: ${shown()}`);
      if (verdict.verdict === 'never' && k < typical.length) {
        neverSamples++;
        if (!refused) coincidences++;
      }
    }
    const witness = (which: 'same' | 'different') => {
      const e = last.keysVerdict?.[which];
      return e ? new Map([...base, ...bindingOf(e)]) : null;
    };
    if (verdict.verdict === 'depends') {
      if (await refusedFor(witness('same')!)) problems.push(`depends: 'same' values refused on line ${last.line}`);
      if (!(await refusedFor(witness('different')!))) problems.push(`depends: 'different' values accepted on line ${last.line}`);
    }
    if (lines.length === 1) await checkTexts(redis, last, problems);
  }
  return { problems, counts, coincidences, neverSamples };
}

/** The accepted / refused commands a single-line template shows are what the server does with them. */
async function checkTexts(redis: RedisOracle, t: TemplateReport, problems: string[]) {
  const v = t.verdicts['oss-cluster'];
  if (v.verdict === 'error') return;
  for (const [text, refused] of [
    [v.accepted, false],
    [v.refused, true],
  ] as const) {
    if (!text) continue;
    const [line] = tokenizeCommands(utf8(text)).lines;
    const reply = await redis.command(line.args);
    if (isRefused(reply) !== refused) problems.push(`line ${t.line}: ${text} → ${JSON.stringify(reply)}`);
  }
}
