import { diagnostic, type Diagnostic } from '../../diagnostics.ts';
import type { Policy, PolicyName } from '../../slots/policy.ts';
import type { GroupVerdict, GroupVerdictKind, PatternHashing } from '../reasoning/model.ts';
import { keyPatternSite, parseKeyPatterns, type KeyPatternList } from '../language/parse.ts';
import { createReasoner, type ReasonOptions } from '../reasoning/reason.ts';
import { resolveSchema, type Schema } from '../language/schema.ts';
import { analyzeTemplates, type TemplateReport } from './template-verdicts.ts';
import { parseCommandTemplates, templateSites, type TemplateList } from '../language/templates.ts';

/** One pattern line of the Keys text, with what it hashes under the policy. */
export interface PatternSummary {
  /** Index among the Keys text's patterns (the matrix's row and column). */
  index: number;
  line: number;
  text: string;
  names: string[];
  /** False for a malformed pattern: no hashing, no matrix cells (see the diagnostics). */
  ok: boolean;
  hashing?: PatternHashing;
}

/** A cell of the matrix: do keys of patterns a and b share a slot for the same values? */
export interface PairReport extends GroupVerdict {
  a: number;
  b: number;
  /** Placeholder names both patterns use. */
  shared: string[];
}

export interface PatternReport {
  policy: PolicyName;
  /** symbolic: exact reasoning; sampled: custom rules decided by running sampled values through them. */
  mode: 'symbolic' | 'sampled';
  patterns: PatternSummary[];
  /** Every pair a < b of well-formed patterns (up to MAX_MATRIX_PATTERNS of them). */
  pairs: PairReport[];
  templates: TemplateReport[];
  keyDiagnostics: Diagnostic[];
  commandDiagnostics: Diagnostic[];
}

export interface PatternInputs {
  /** The Keys text: plain keys and patterns, one per line. */
  keys: Uint8Array;
  /** The Commands text: commands and command templates. */
  commands?: Uint8Array;
}

/** Patterns beyond this many are described but left out of the matrix (pairs grow with the square). */
export const MAX_MATRIX_PATTERNS = 60;

/** Both texts read, with one schema: a placeholder name means one value in both. */
export interface PatternDocuments {
  keys: KeyPatternList;
  commands: TemplateList;
  schema: Schema;
  keyDiagnostics: Diagnostic[];
  commandDiagnostics: Diagnostic[];
}

/** Reads the Keys and Commands texts and resolves placeholder types across both (Keys first). */
export function parsePatternDocuments(input: PatternInputs): PatternDocuments {
  const keys = parseKeyPatterns(input.keys);
  const commands = parseCommandTemplates(input.commands ?? new Uint8Array());
  const { sites, lineOf } = templateSites(commands);
  const keySites = keys.patterns.map(keyPatternSite);
  const joint = resolveSchema([...keySites, ...sites]);
  const commandDiagnostics = [...commands.diagnostics];
  for (const d of joint.diagnostics) {
    // Conflicts inside the Keys text are already among its own diagnostics.
    if (d.site < keySites.length) continue;
    commandDiagnostics.push(d.diagnostic);
    commands.lines[lineOf[d.site - keySites.length]].ok = false;
  }
  commandDiagnostics.sort((a, b) => a.line - b.line || a.column - b.column);
  return { keys, commands, schema: joint.schema, keyDiagnostics: keys.diagnostics, commandDiagnostics };
}

/** Words for an unexpected exception: the message, not the stack. */
export function failureText(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

/**
 * The schema review for a Keys text mixing keys and patterns and a Commands text of templates: what
 * each pattern hashes (with the values that change it), the always / never / depends matrix of the
 * patterns, and every command template's verdict per deployment target with its hash-tag fix.
 *
 * It never throws: the playground would lose the whole review. An internal inconsistency (exact
 * reasoning contradicted by the real policy — a bug) is answered by sampling where possible, and is
 * reported as a `pattern-reasoning-failed` diagnostic on the line concerned.
 */
export function analyzePatterns(input: PatternInputs | PatternDocuments, policy: Policy, options: ReasonOptions = {}): PatternReport {
  const docs = 'schema' in input ? input : parsePatternDocuments(input);
  const reasoner = createReasoner(policy, docs.schema, options);
  const keyDiagnostics = [...docs.keyDiagnostics];
  // Failures the reasoner recovered from (sampling instead), and ones it could not: one diagnostic each.
  let seen = 0;
  let failedAny = false;
  const report = (line: number, severity: 'error' | 'warning', what: string, thrown?: unknown) => {
    const messages = reasoner.failures.slice(seen);
    seen = reasoner.failures.length;
    if (thrown !== undefined) messages.push(failureText(thrown));
    for (const m of new Set(messages)) {
      failedAny = true;
      keyDiagnostics.push(diagnostic(severity, 'pattern-reasoning-failed', `${what} (this is a bug in the playground: ${m})`, line, 1, 2));
    }
  };
  const patterns: PatternSummary[] = docs.keys.patterns.map((p) => {
    const s: PatternSummary = { index: p.index, line: p.line, text: p.text, names: p.names, ok: p.ok };
    if (!p.ok) return s;
    try {
      s.hashing = reasoner.hashing(p.parts);
      report(p.line, 'warning', 'what this pattern hashes was found by trying values: exact reasoning failed');
    } catch (e) {
      s.ok = false;
      report(p.line, 'error', 'what this pattern hashes could not be worked out', e);
    }
    return s;
  });
  const usable = docs.keys.patterns.filter((p) => patterns[p.index]?.ok ?? p.ok);
  if (usable.length > MAX_MATRIX_PATTERNS) {
    const first = usable[MAX_MATRIX_PATTERNS];
    keyDiagnostics.push(
      diagnostic(
        'info',
        'matrix-limit',
        `the matrix covers the first ${MAX_MATRIX_PATTERNS} patterns; this one and later ones are left out of it`,
        first.line,
        1,
        2,
      ),
    );
  }
  const inMatrix = usable.slice(0, MAX_MATRIX_PATTERNS);
  const pairs: PairReport[] = [];
  inMatrix.forEach((a, i) => {
    for (const b of inMatrix.slice(i + 1)) {
      try {
        pairs.push({ a: a.index, b: b.index, shared: a.names.filter((n) => b.names.includes(n)), ...reasoner.group([a.parts, b.parts]) });
        report(b.line, 'warning', `whether keys of this pattern and line ${a.line} share a slot was found by trying values: exact reasoning failed`);
      } catch (e) {
        report(b.line, 'error', `whether keys of this pattern and line ${a.line} share a slot could not be worked out; the pair is left out of the matrix`, e);
      }
    }
  });
  let templates: ReturnType<typeof analyzeTemplates>;
  try {
    templates = analyzeTemplates(docs.commands, docs.schema, reasoner, options.seed ?? 1);
  } catch (e) {
    const line = docs.commands.lines.find((l) => l.names.length)?.source.line ?? 1;
    templates = {
      reports: [],
      diagnostics: [
        diagnostic(
          'error',
          'pattern-reasoning-failed',
          `the command templates could not be analysed (this is a bug in the playground: ${failureText(e)})`,
          line,
          1,
          2,
        ),
      ],
    };
  }
  const commandDiagnostics = [...docs.commandDiagnostics, ...templates.diagnostics].sort((a, b) => a.line - b.line || a.column - b.column);
  if (failedAny) keyDiagnostics.sort((a, b) => a.line - b.line || a.column - b.column);
  return { policy: policy.name, mode: reasoner.mode, patterns, pairs, templates: templates.reports, keyDiagnostics, commandDiagnostics };
}

/** The matrix as a square table of verdicts (null on the diagonal and for patterns outside it). */
export function verdictMatrix(report: PatternReport): (GroupVerdictKind | null)[][] {
  const n = report.patterns.length;
  const m: (GroupVerdictKind | null)[][] = Array.from({ length: n }, () => new Array<GroupVerdictKind | null>(n).fill(null));
  for (const p of report.pairs) m[p.a][p.b] = m[p.b][p.a] = p.verdict;
  return m;
}
