/** One key of the per-key CSV export. */
export interface CsvKeyRow {
  /** Display strings (redis-cli quoted when not printable), as everywhere else. */
  key: string;
  tag: string;
  /** '' when the key has no slot. */
  slot: number | '';
  shard: string;
  /** 1-based rule (custom / standard); 0: no rule matched, whole key hashed (implicit_shard_key). */
  rule?: number;
  /** Key error code, e.g. no-rule-matched. */
  error?: string;
}

const HEADER = ['key', 'tag', 'slot', 'shard', 'rule', 'error'];

/** A field as RFC 4180 wants it: quoted (quotes doubled) when it holds a comma, quote, CR or LF, or starts or ends with blanks. */
function field(value: string): string {
  return /[",\r\n]|^[ \t]|[ \t]$/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}

/**
 * The per-key CSV export (RFC 4180): a header line, then one record per row, CRLF line ends. Values are
 * written exactly as given (no spreadsheet-formula guarding: a key is data and must round-trip).
 */
export function csvKeys(rows: readonly CsvKeyRow[]): string {
  const records = [HEADER.join(',')];
  for (const r of rows) {
    records.push([r.key, r.tag, String(r.slot), r.shard, r.rule === undefined ? '' : String(r.rule), r.error ?? ''].map(field).join(','));
  }
  return records.join('\r\n') + '\r\n';
}
