import { decodeUtf8Lenient } from '../bytes.ts';
import { diagnostic, type Diagnostic } from '../diagnostics.ts';

/** A reply as redis-cli prints it, read back. RESP3 maps become flat `[k1, v1, k2, v2, …]` arrays, sets arrays. */
export type ReplyValue = string | number | boolean | null | ReplyError | ReplyValue[];
/** An error reply, `(error) ERR …`. */
export interface ReplyError {
  error: string;
}

export interface ParsedReply {
  /** undefined when the text holds no reply or could not be read (then there is an error diagnostic). */
  value: ReplyValue | undefined;
  /** 1-based line where each array (nested ones too) starts. */
  lines: WeakMap<ReplyValue[], number>;
  diagnostics: Diagnostic[];
}

/** One source line: text without its line break, and its 1-based number. */
export interface SourceLine {
  text: string;
  line: number;
}

/** Splits text into lines on LF, dropping one trailing CR per line. */
export function splitLines(text: string): SourceLine[] {
  const out: SourceLine[] = [];
  let start = 0;
  let n = 1;
  while (start <= text.length) {
    let end = text.indexOf('\n', start);
    if (end < 0) end = text.length;
    const stop = end > start && text.charCodeAt(end - 1) === 13 ? end - 1 : end;
    out.push({ text: text.slice(start, stop), line: n++ });
    start = end + 1;
  }
  return out;
}

const COMMAND_ECHO = /\bcluster\s+(?:nodes|slots|shards)\b/i;
const BARE_PROMPT = /^\s*[\w.:\-[\]()/@]*>\s*$/;
const CLI_WARNING = /^\s*Warning: Using a password\b/;

/**
 * Lines a terminal paste carries around a reply that are not part of it: the prompt and command
 * (`127.0.0.1:6379> CLUSTER SLOTS`, `$ redis-cli -p 30001 cluster nodes`), a bare prompt, and
 * redis-cli's password warning. No reply line of CLUSTER NODES/SLOTS/SHARDS can look like these.
 */
export function isPromptLine(text: string): boolean {
  return COMMAND_ECHO.test(text) || BARE_PROMPT.test(text) || CLI_WARNING.test(text);
}

/** Result of reading a quoted string: the decoded text and, per decoded char, its column in the source (0-based). */
export interface Unescaped {
  text: string;
  /** columns[i] is the 0-based source index of decoded char i; one extra entry for the end. */
  columns: number[];
  /** Index just after the closing quote. */
  end: number;
}

const SIMPLE: Record<string, string> = { n: '\n', r: '\r', t: '\t', a: '\x07', b: '\b', f: '\f', v: '\v', '"': '"', '\\': '\\', '/': '/', "'": "'" };

/**
 * Reads a double-quoted string at `src[start] === '"'`: redis-cli's escapes (`\n \r \t \a \b \" \\ \xHH`,
 * bytes decoded as UTF-8) plus JSON's (`\uXXXX \/ \f`). Unknown escapes keep the escaped character.
 * Returns null when there is no closing quote.
 */
export function unescapeQuoted(src: string, start: number): Unescaped | null {
  let text = '';
  const columns: number[] = [];
  let bytes: number[] = [];
  let bytesAt: number[] = [];
  const flush = () => {
    if (!bytes.length) return;
    const decoded = decodeUtf8Lenient(new Uint8Array(bytes));
    // Map each decoded char to the escape it started in (approximately, for multibyte sequences).
    for (let k = 0; k < decoded.length; k++) columns.push(bytesAt[Math.min(k, bytesAt.length - 1)]);
    text += decoded;
    bytes = [];
    bytesAt = [];
  };
  let i = start + 1;
  while (i < src.length) {
    const c = src[i];
    if (c === '"') {
      flush();
      columns.push(i);
      return { text, columns, end: i + 1 };
    }
    if (c === '\\' && i + 1 < src.length) {
      const e = src[i + 1];
      if (e === 'x' && /^[0-9a-fA-F]{2}$/.test(src.slice(i + 2, i + 4))) {
        bytes.push(parseInt(src.slice(i + 2, i + 4), 16));
        bytesAt.push(i);
        i += 4;
        continue;
      }
      flush();
      if (e === 'u' && /^[0-9a-fA-F]{4}$/.test(src.slice(i + 2, i + 6))) {
        text += String.fromCharCode(parseInt(src.slice(i + 2, i + 6), 16));
        columns.push(i);
        i += 6;
        continue;
      }
      text += SIMPLE[e] ?? e;
      columns.push(i);
      i += 2;
      continue;
    }
    flush();
    text += c;
    columns.push(i);
    i++;
  }
  return null;
}

interface Frame {
  items: ReplyValue[];
  /** 0-based column of the `)`/`~`/`#` of this array's item numbers. */
  sepCol: number;
  map: boolean;
}

const MARKER = /\s*(\d{1,9})([)~#]) ?/y;
const SCALAR_PARENS = /^\((integer|double|big number|nil|true|false|error|empty[^)]*)\)\s?(.*)$/;

/**
 * Reads a reply as redis-cli prints it on a terminal (cliFormatReplyTTY) back into a value tree:
 * numbered items `N) ` (`N~ ` sets, `N# key => value` RESP3 maps; numbers right-aligned, nested items
 * on the same line as their parent's number, deeper items indented), `(integer) N`, `(double) x`,
 * `"quoted"` with redis escapes, `(nil)`, `(true)`/`(false)`, `(error) …`, `(empty array)`,
 * `(empty list or set)`, other `(empty …)`, and bare status text. Prompt lines are skipped; blank
 * lines are ignored. Nesting follows the column of each item's `)`; if the paste lost its indentation,
 * an item continues the deepest open array whose next item number it carries. Never throws: the first
 * problem becomes an error diagnostic and the value is undefined.
 */
export function parseRedisCliReply(text: string): ParsedReply {
  const byColumns = parseReply(text, false);
  if (byColumns.value !== undefined || !byColumns.diagnostics.length) return byColumns;
  // The paste may have lost its indentation (some chat tools and editors strip it): retry by numbers.
  const byNumbers = parseReply(text, true);
  return byNumbers.value !== undefined ? byNumbers : byColumns;
}

/**
 * `byNumbers` false: an item continues the open list whose item numbers share its column (as redis-cli
 * indents), falling back to numbers. true: it continues the deepest open list whose next number it has.
 */
function parseReply(text: string, byNumbers: boolean): ParsedReply {
  const lines = new WeakMap<ReplyValue[], number>();
  const diagnostics: Diagnostic[] = [];
  const fail = (line: number, col: number, end: number, message: string): ParsedReply => {
    diagnostics.push(diagnostic('error', 'bad-reply', message, line, col + 1, end + 1));
    return { value: undefined, lines, diagnostics };
  };
  let root: ReplyValue | undefined;
  let rootLine = 0;
  const stack: Frame[] = [];
  const expected = (f: Frame) => (f.map ? (f.items.length >> 1) + 1 : f.items.length + 1);
  /** A map entry ended its line with `=>`: its value is the list that starts on the next line. */
  let pendingValue = 0;

  for (const { text: src, line } of splitLines(text)) {
    if (!src.trim() || isPromptLine(src)) continue;
    let p = 0;
    let first = true;
    // Within one line: markers, a scalar, and for map items `=> ` followed by markers or a scalar.
    while (true) {
      MARKER.lastIndex = p;
      const m = MARKER.exec(src);
      if (m) {
        const idx = Number(m[1]);
        const sep = m[2];
        const sepCol = m.index + m[0].length - (m[0].endsWith(' ') ? 2 : 1);
        const markerStart = m.index + m[0].length - m[0].trimStart().length;
        if (first && pendingValue) {
          if (idx !== 1) return fail(line, markerStart, sepCol + 1, `the value of the map entry on line ${pendingValue} should start at item 1, not ${idx}`);
          const frame: Frame = { items: [], sepCol, map: sep === '#' };
          stack[stack.length - 1].items.push(frame.items);
          lines.set(frame.items, line);
          stack.push(frame);
          pendingValue = 0;
        } else if (first) {
          if (!stack.length) {
            if (root !== undefined)
              return fail(line, markerStart, sepCol + 1, `a second reply starts here (the reply that began on line ${rootLine} is complete)`);
            if (idx !== 1) return fail(line, markerStart, sepCol + 1, `the reply's first item should be numbered 1, not ${idx}`);
            const frame: Frame = { items: [], sepCol, map: sep === '#' };
            stack.push(frame);
            root = frame.items;
            rootLine = line;
            lines.set(frame.items, line);
          } else {
            let at = -1;
            if (!byNumbers)
              for (let k = stack.length - 1; k >= 0; k--)
                if (stack[k].sepCol === sepCol) {
                  at = k;
                  break;
                }
            if (at < 0 || expected(stack[at]) !== idx) {
              at = -1;
              for (let k = stack.length - 1; k >= 0; k--)
                if (expected(stack[k]) === idx) {
                  at = k;
                  break;
                }
            }
            if (at < 0 && idx === 1 && sepCol === stack[0].sepCol) {
              return fail(line, markerStart, sepCol + 1, `a second reply starts here (the reply that began on line ${rootLine} is not finished)`);
            }
            if (at < 0) {
              const want = [...new Set(stack.map((f) => expected(f)))].join(' or ');
              return fail(line, markerStart, sepCol + 1, `item ${idx}${sep} does not continue any open list here (expected item ${want})`);
            }
            stack.length = at + 1;
            stack[at].sepCol = sepCol;
          }
        } else {
          if (idx !== 1) return fail(line, markerStart, sepCol + 1, `a nested list should start at item 1, not ${idx}`);
          const frame: Frame = { items: [], sepCol, map: sep === '#' };
          stack[stack.length - 1].items.push(frame.items);
          lines.set(frame.items, line);
          stack.push(frame);
        }
        first = false;
        p = m.index + m[0].length;
        continue;
      }
      // A scalar (or the rest of the line).
      const rest = src.slice(p);
      const lead = rest.length - rest.trimStart().length;
      const valueStart = p + lead;
      let value: ReplyValue;
      let after: number;
      if (src[valueStart] === '"') {
        const q = unescapeQuoted(src, valueStart);
        if (!q) return fail(line, valueStart, src.length, 'unbalanced quote: no closing " on this line');
        value = q.text;
        after = q.end;
      } else {
        const arrow = stack.length && stack[stack.length - 1].map ? src.slice(valueStart).search(/ =>(?: |$)/) : -1;
        const end = arrow >= 0 ? valueStart + arrow : src.length;
        value = scalar(src.slice(valueStart, end).trimEnd());
        after = end;
      }
      if (pendingValue) return fail(line, valueStart, src.length, `expected the value of the map entry on line ${pendingValue}`);
      if (first) {
        // A line with no item number: only a whole reply that is one scalar.
        if (stack.length || root !== undefined) {
          return fail(line, valueStart, src.length, 'expected a numbered item like "1) …"; is this really redis-cli output?');
        }
        root = value;
        rootLine = line;
        if (src.slice(after).trim()) return fail(line, after, src.length, 'unexpected text after the value');
        break;
      }
      stack[stack.length - 1].items.push(value);
      const tail = src.slice(after);
      if (/^ =>(?: |$)/.test(tail) && stack[stack.length - 1].map) {
        // The value of a map entry: on this line (a scalar, or a nested list's first item), or a list
        // starting on the next line (how redis-cli 7 prints a map entry whose value is a list).
        p = after + 4;
        if (!src.slice(p).trim()) {
          pendingValue = line;
          break;
        }
        continue;
      }
      if (tail.trim()) return fail(line, after, src.length, 'unexpected text after the value');
      break;
    }
  }
  if (pendingValue) return fail(pendingValue, 0, 1, 'the last map entry has no value');
  if (root === undefined) {
    diagnostics.push(diagnostic('error', 'bad-reply', 'no reply found', 1, 1));
  }
  return { value: root, lines, diagnostics };
}

function scalar(text: string): ReplyValue {
  const m = SCALAR_PARENS.exec(text);
  if (!m) return text;
  switch (m[1]) {
    case 'integer':
    case 'double':
    case 'big number': {
      const n = Number(m[2]);
      return m[2].trim() !== '' && Number.isFinite(n) ? n : m[2];
    }
    case 'nil':
      return null;
    case 'true':
      return true;
    case 'false':
      return false;
    case 'error':
      return { error: m[2] };
    default:
      return [];
  }
}
