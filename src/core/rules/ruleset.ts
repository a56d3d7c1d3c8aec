import { columnOf, utf8 } from '../bytes.ts';
import { diagnostic, type Diagnostic } from '../diagnostics.ts';
import type { Node } from './ast.ts';
import type { ParsedRule } from './engine.ts';
import { compileProgram, ProgramTooLarge, type Program } from './program.ts';
import { parseRule } from './parse.ts';
import { autoPossessify } from './possess.ts';

/** Redis Cloud / Software limits for custom rules. */
export const MAX_RULES = 32;
export const MAX_RULE_BYTES = 256;

export interface RuleSet {
  rules: ParsedRule[];
  diagnostics: Diagnostic[];
  /** No error-level diagnostics: the rule set can be used. */
  ok: boolean;
}

/**
 * Reads a rules text: one rule per line, in evaluation order; blank lines are skipped and a trailing
 * CR is dropped; everything else on the line belongs to the rule, as the server would see it.
 * Validates as Redis Cloud does (count, length, a named group `tag`) and as PCRE does (syntax), and
 * refuses valid PCRE that a linear-time engine cannot run, each with its own code.
 */
export function parseRules(text: string): RuleSet {
  const rules: ParsedRule[] = [];
  const diagnostics: Diagnostic[] = [];
  const lines = text.split('\n');
  let index = 0;
  for (let n = 0; n < lines.length; n++) {
    const source = lines[n].endsWith('\r') ? lines[n].slice(0, -1) : lines[n];
    if (source.trim() === '') continue;
    index++;
    const line = n + 1;
    const bytes = utf8(source);
    const endCol = columnOf(bytes, bytes.length);
    if (index > MAX_RULES) {
      diagnostics.push(diagnostic('error', 'too-many-rules', `rule ${index}: at most ${MAX_RULES} rules are allowed`, line, 1, endCol));
      continue;
    }
    if (bytes.length > MAX_RULE_BYTES) {
      diagnostics.push(
        diagnostic(
          'error',
          'rule-too-long',
          `rule is ${bytes.length} bytes long; at most ${MAX_RULE_BYTES} are allowed`,
          line,
          columnOf(bytes, MAX_RULE_BYTES),
          endCol,
        ),
      );
      continue;
    }
    const parsed = parseRule(bytes);
    if (!parsed.ok) {
      const { code, message, at, endAt } = parsed.problem;
      diagnostics.push(diagnostic('error', code, message, line, columnOf(bytes, at), columnOf(bytes, Math.min(endAt, bytes.length))));
      continue;
    }
    if (!parsed.names.includes('tag')) {
      diagnostics.push(diagnostic('error', 'missing-tag', 'rule has no group named tag, e.g. (?<tag>…): nothing to hash', line, 1, endCol));
      continue;
    }
    // What PCRE's compiler does after parsing, unless the rule says (*NO_AUTO_POSSESS).
    const harmless = parsed.options.autoPossess ? autoPossessify(parsed.ast, parsed.newline).harmless : true;
    try {
      const program = compileProgram(parsed.ast, parsed.options.notEmpty);
      if (maxEmptyLoopNesting(program) > MAX_EMPTY_LOOP_NESTING) {
        // Each such level doubles the matcher's memo; beyond this, memory and time explode.
        diagnostics.push(
          diagnostic(
            'error',
            'rule-too-complex',
            `rule nests more than ${MAX_EMPTY_LOOP_NESTING} repeats whose body can match empty; simplify it`,
            line,
            1,
            endCol,
          ),
        );
        continue;
      }
    } catch (e) {
      if (!(e instanceof ProgramTooLarge)) throw e;
      diagnostics.push(diagnostic('error', 'rule-too-complex', 'rule is too large once its repeat counts are expanded; use smaller {n,m}', line, 1, endCol));
      continue;
    }
    const tagMayBeUnset = !alwaysSetsTag(parsed.ast);
    if (tagMayBeUnset) {
      diagnostics.push(
        diagnostic(
          'warning',
          'tag-may-be-unset',
          'the tag group may not take part in a match (it is optional or in one alternative); ' +
            'what the server hashes then is unconfirmed — this tool hashes an empty tag (slot 0)',
          line,
          1,
          endCol,
        ),
      );
    }
    rules.push({
      index,
      line,
      source,
      bytes,
      ast: parsed.ast,
      tagMayBeUnset,
      notEmpty: parsed.options.notEmpty,
      possessiveHarmless: harmless && !writtenPossessive(parsed.ast),
    });
  }
  return { rules, diagnostics, ok: !diagnostics.some((d) => d.severity === 'error') };
}

/** Deepest nesting of loops whose body can match empty (each doubles the memo of the states inside). */
const MAX_EMPTY_LOOP_NESTING = 8;

function maxEmptyLoopNesting(p: Program): number {
  let max = 0;
  for (let pc = 0; pc + 1 < p.loopStart.length; pc++) max = Math.max(max, p.loopStart[pc + 1] - p.loopStart[pc]);
  return max;
}

/** Whether every match of `n` sets the group named tag (else the tag may be unset). */
export function alwaysSetsTag(n: Node): boolean {
  switch (n.t) {
    case 'group':
      return n.tag || alwaysSetsTag(n.body);
    case 'seq':
      return n.items.some(alwaysSetsTag);
    case 'alt':
      return n.alts.every(alwaysSetsTag);
    case 'repeat':
      return n.min > 0 && alwaysSetsTag(n.body);
    default:
      return false;
  }
}

/** Whether the rule writes a possessive quantifier (`a*+`): only an engine with possessive runs can take it. */
function writtenPossessive(n: Node): boolean {
  switch (n.t) {
    case 'repeat':
      return n.possessive || writtenPossessive(n.body);
    case 'group':
      return writtenPossessive(n.body);
    case 'seq':
      return n.items.some(writtenPossessive);
    case 'alt':
      return n.alts.some(writtenPossessive);
    default:
      return false;
  }
}
