import type { Diagnostic } from '../diagnostics.ts';

/**
 * An input that a result needs and that cannot be used (custom rules with errors, a topology that cannot
 * be read). Results that need it are not shown at all — never computed with something else in its place —
 * and every surface says why with this message: the page in its results area, exports by refusing, the
 * CLI on stderr with exit status 2.
 */
export interface Blocker {
  /** The input (or the layout setting) that cannot be used. */
  input: 'rules' | 'rulesB' | 'topology' | 'layout';
  /** What is left out: every result, or only the comparison (migration) with the second policy. */
  scope: 'analysis' | 'compare';
  message: string;
}

/** A blocker's diagnostics in a few words: the first error and how many more there are. */
export function firstErrors(diagnostics: readonly Diagnostic[]): string {
  const errors = diagnostics.filter((d) => d.severity === 'error');
  if (errors.length === 0) return '';
  const [d] = errors;
  const more = errors.length > 1 ? ` (and ${errors.length - 1} more error${errors.length > 2 ? 's' : ''})` : '';
  return `line ${d.line}, column ${d.column}: ${d.message}${more}`;
}

/** The one sentence every surface shows for a set of blockers, most important first. */
export function blockedMessage(blockers: readonly Blocker[]): string {
  return blockers.map((b) => b.message).join(' ');
}
