/** How bad a finding is. Errors stop a key or rule from being used; warnings and info do not. */
export type Severity = 'error' | 'warning' | 'info';

/**
 * A user-facing problem in something the user typed. Lines and columns are 1-based; columns count
 * UTF-16 code units of the line decoded as UTF-8 (what editors use); `endColumn` is exclusive.
 * `code` is stable: tests, docs and the UI key on it, messages may be reworded.
 */
export interface Diagnostic {
  severity: Severity;
  code: string;
  message: string;
  line: number;
  column: number;
  endLine: number;
  endColumn: number;
}

/** A diagnostic on one line, from `column` to `endColumn` (exclusive). */
export function diagnostic(severity: Severity, code: string, message: string, line: number, column: number, endColumn = column + 1): Diagnostic {
  return { severity, code, message, line, column, endLine: line, endColumn: Math.max(endColumn, column + 1) };
}
