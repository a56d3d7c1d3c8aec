import { columnOf } from '../bytes.ts';
import { diagnostic, type Diagnostic } from '../diagnostics.ts';
import { keyTooLongMessage, MAX_KEY_BYTES } from './limits.ts';
import { unquote } from './quote.ts';

const LF = 0x0a;
const CR = 0x0d;
const QUOTE = 0x22;

/**
 * A parsed key list, packed for speed: key `i` is `bytes[offsets[i], offsets[i + 1])`, read from
 * 1-based input line `lines[i]`. Every non-empty input line yields one entry, in input order; a line
 * that could not be read has `invalid[i] = 1`, an empty key, and a diagnostic on that line.
 */
export interface KeyList {
  count: number;
  bytes: Uint8Array;
  offsets: Uint32Array;
  lines: Uint32Array;
  invalid: Uint8Array;
  /** 1 when the line was a quoted string (its bytes are not the line's text). */
  quoted: Uint8Array;
  diagnostics: Diagnostic[];
}

/**
 * Parses the key-list format: one key per line, split on LF only. `firstLine` numbers the lines of a
 * chunk cut from a longer input. A line starting with `"` is a
 * redis-cli quoted string; any other line is the key's raw bytes, minus one trailing CR (so CRLF files
 * work; a key that truly ends in CR must be quoted). Empty lines are skipped; the empty key is `""`.
 * A key longer than MAX_KEY_BYTES is refused: invalid, with a `key-too-long` diagnostic on its line.
 */
export function parseKeyList(input: Uint8Array, firstLine = 1): KeyList {
  let lineCount = 1;
  for (let i = 0; i < input.length; i++) if (input[i] === LF) lineCount++;

  // Decoded keys are never longer than their lines, so one buffer of the input's size holds them all.
  const bytes = new Uint8Array(input.length);
  const offsets = new Uint32Array(lineCount + 1);
  const lines = new Uint32Array(lineCount);
  const invalid = new Uint8Array(lineCount);
  const quoted = new Uint8Array(lineCount);
  const diagnostics: Diagnostic[] = [];
  let count = 0;
  let used = 0;
  let line = firstLine - 1;
  let start = 0;
  while (start <= input.length) {
    line++;
    let end = input.indexOf(LF, start);
    if (end < 0) end = input.length;
    const next = end + 1;
    if (end > start && input[end - 1] === CR) end--;
    if (end > start) {
      lines[count] = line;
      if (input[start] === QUOTE) {
        quoted[count] = 1;
        const q = unquote(input, start, end);
        let error: { code: string; at: number; endAt: number; message: string } | null = q.ok ? null : q;
        if (q.ok) {
          let rest = q.end;
          while (rest < end && (input[rest] === 0x20 || input[rest] === 0x09)) rest++;
          if (rest < end) error = { code: 'trailing-text', at: q.end, endAt: end, message: 'unexpected text after the closing quote' };
          else if (q.bytes.length > MAX_KEY_BYTES) error = { code: 'key-too-long', at: start, endAt: end, message: keyTooLongMessage(q.bytes.length) };
          else {
            bytes.set(q.bytes, used);
            used += q.bytes.length;
          }
        }
        if (error) {
          invalid[count] = 1;
          const lineBytes = input.subarray(start, end);
          diagnostics.push(
            diagnostic('error', error.code, error.message, line, columnOf(lineBytes, error.at - start), columnOf(lineBytes, error.endAt - start)),
          );
        }
      } else if (end - start > MAX_KEY_BYTES) {
        invalid[count] = 1;
        diagnostics.push(diagnostic('error', 'key-too-long', keyTooLongMessage(end - start), line, 1, columnOf(input.subarray(start, end), end - start)));
      } else {
        bytes.set(input.subarray(start, end), used);
        used += end - start;
      }
      count++;
      offsets[count] = used;
    }
    start = next;
  }
  return {
    count,
    bytes: bytes.subarray(0, used),
    offsets: offsets.subarray(0, count + 1),
    lines: lines.subarray(0, count),
    invalid: invalid.subarray(0, count),
    quoted: quoted.subarray(0, count),
    diagnostics,
  };
}

/** Key `i` of a list, as a view (no copy). */
export function keyAt(list: KeyList, i: number): Uint8Array {
  return list.bytes.subarray(list.offsets[i], list.offsets[i + 1]);
}
