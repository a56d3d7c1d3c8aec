import type { KeyRecord } from '../analysis/records.ts';
import { NO_OWNER } from './shards.ts';

const HEADER = ['line', 'key', 'tag', 'slot', 'shard', 'rule', 'error'];

/**
 * A cell that a spreadsheet would run as a formula (`=`, `+`, `-`, `@`, or a tab or CR first: OWASP's
 * CSV injection list) gets a `'` in front, which spreadsheets show as text. The CSV is for spreadsheets;
 * the JSON export and `hashslot … --json` keep every key exactly.
 */
export function guardFormula(value: string): string {
  return /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
}

/** A field as RFC 4180 wants it: quoted (quotes doubled) when it holds a comma, quote, CR or LF, or starts or ends with blanks. */
function field(value: string): string {
  const text = guardFormula(value);
  return /[",\r\n]|^[ \t]|[ \t]$/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** One CSV record per key record: the same fields as the JSON outputs (a key with no owner says so). */
function cells(r: KeyRecord): string[] {
  if (r.key === null) return [String(r.line), '', '', '', '', '', r.error];
  if ('error' in r) return [String(r.line), r.key, '', '', '', '', r.error];
  const shard = r.shard === undefined ? '' : (r.shard ?? NO_OWNER);
  return [String(r.line), r.key, r.tag, String(r.slot), shard, r.rule === undefined ? '' : String(r.rule), ''];
}

/**
 * The per-key CSV export (RFC 4180): with `header`, a header line first; then one record per key record,
 * CRLF line ends. Values are written as given, but for the formula guard (see guardFormula).
 */
export function csvKeys(records: readonly KeyRecord[], header = true): string {
  const lines = header ? [HEADER.join(',')] : [];
  for (const r of records) lines.push(cells(r).map(field).join(','));
  return lines.length ? lines.join('\r\n') + '\r\n' : '';
}
