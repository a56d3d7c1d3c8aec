import { columnOf, latin1 } from '../../bytes.ts';
import { diagnostic, type Diagnostic } from '../../diagnostics.ts';
import { transactionUnits } from '../../commands/analyze.ts';
import { tokenizeCommands, type CommandLine } from '../../commands/tokenize.ts';
import { instantiate, type Binding } from './expand.ts';
import { hasPlaceholder, namesOf, parsePatternSyntax, type PatternPart } from './parse.ts';
import type { SchemaSite } from './schema.ts';

/**
 * Command templates: Redis commands whose arguments may hold key patterns, one per line, e.g.
 * `MSET user:{<uid>}:a 1 user:{<uid>}:b 2`, and MULTI … EXEC blocks of them. A line is read like
 * redis-cli reads it first (quotes, escapes: see tokenize.ts), then each argument as a pattern; so a
 * literal `<x` in an argument is written `\<x` (or `"\\<x"` inside double quotes). Lines without
 * placeholders are ordinary commands and are decided exactly.
 */
export interface TemplateLine {
  /** The tokenized line: placeholder arguments hold their pattern text. */
  source: CommandLine;
  /** Per argument, its pattern (null when it has no placeholder). */
  patterns: (PatternPart[] | null)[];
  /** Placeholder names of the line, in order. */
  names: string[];
  /** False when a placeholder is malformed: the line is reported, not analyzed. */
  ok: boolean;
}

export interface TemplateList {
  lines: TemplateLine[];
  diagnostics: Diagnostic[];
}

/** Reads a Commands text of templates (and plain commands). Never throws. */
export function parseCommandTemplates(input: Uint8Array): TemplateList {
  const tokenized = tokenizeCommands(input);
  const diagnostics = [...tokenized.diagnostics];
  const lines = tokenized.lines.map((source): TemplateLine => {
    let ok = true;
    const patterns = source.args.map((arg, i) => {
      if (!hasPlaceholder(arg)) return null;
      const syntax = parsePatternSyntax(arg);
      const column = argColumns(source, i);
      for (const p of syntax.problems) diagnostics.push(diagnostic(p.severity, p.code, p.message, source.line, column(p.at), column(p.endAt)));
      ok &&= syntax.ok;
      return syntax.parts;
    });
    return { source, patterns, names: [...new Set(patterns.flatMap((p) => (p ? namesOf(p) : [])))], ok };
  });
  diagnostics.sort((a, b) => a.line - b.line || a.column - b.column);
  return { lines, diagnostics };
}

/**
 * Editor columns of byte offsets in argument `i`. An argument that takes as many columns as its
 * bytes was typed as is; a quoted one is pointed at as a whole, since quoting moved its bytes.
 */
function argColumns(line: CommandLine, i: number): (offset: number) => number {
  const arg = line.args[i];
  const [start, end] = line.spans[i];
  const plain = columnOf(arg, arg.length) - 1 === end - start;
  return (offset) => (plain ? start + columnOf(arg, offset) - 1 : offset >= arg.length ? end : start);
}

/** Schema sites of a template list's placeholders, for type resolution with the Keys text. */
export function templateSites(list: TemplateList): { sites: SchemaSite[]; lineOf: number[] } {
  const sites: SchemaSite[] = [];
  const lineOf: number[] = [];
  list.lines.forEach((l, n) =>
    l.patterns.forEach((parts, i) => {
      if (!parts) return;
      sites.push({ line: l.source.line, parts, column: argColumns(l.source, i) });
      lineOf.push(n);
    }),
  );
  return { sites, lineOf };
}

/** The line with every placeholder argument replaced by its value under the binding. */
export function instantiateLine(t: TemplateLine, binding: Binding): CommandLine {
  if (t.names.length === 0) return t.source;
  return { ...t.source, args: t.source.args.map((a, i) => (t.patterns[i] ? instantiate(t.patterns[i]!, binding) : a)) };
}

/** A key argument as a pattern (a plain argument is a pattern without placeholders). */
export function argPattern(t: TemplateLine, i: number): PatternPart[] {
  return t.patterns[i] ?? [{ kind: 'lit', bytes: t.source.args[i] }];
}

/** Upper-case name of a line's command as written (templates never put placeholders there). */
export function templateCommand(t: TemplateLine): string {
  return t.source.kind === 'comment' || t.source.args.length === 0 ? '' : latin1(t.source.args[0]).toUpperCase();
}

/** Which template lines run together (see transactionUnits: the grouping analyzeCommands uses). */
export function templateUnits(lines: readonly TemplateLine[]): { from: number; to: number }[] {
  return transactionUnits(lines.map((l) => l.source));
}
