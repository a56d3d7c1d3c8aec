import { columnOf, decodeUtf8Lenient, hexValue, latin1 } from '../bytes.ts';
import { diagnostic, type Diagnostic } from '../diagnostics.ts';

/**
 * Commands pasted by the user, one per line, split into arguments exactly as redis-cli would split
 * them. Three line forms are accepted (plus comments and blank lines):
 *
 * - redis-cli syntax, split byte-for-byte like redis `sdssplitargs` (see {@link splitArgs});
 * - lines copied from an interactive redis-cli session: a leading prompt is stripped (see PROMPT) and
 *   the replies redis-cli printed in between are skipped (see "redis-cli output" below);
 * - MONITOR output: `1700000000.123456 [0 127.0.0.1:6379] "SET" "k" "v"`.
 *
 * Lines are split on LF only and one trailing CR per line is dropped. A NUL byte ends the line for
 * redis-cli (it handles lines as C strings), so the rest of the line is ignored, with a warning.
 *
 * redis-cli output: a line is taken for a reply that redis-cli printed (kind 'comment', source 'prompt',
 * an info diagnostic `cli-output`) only while in "session context", and only when it looks like
 * redis-cli's formatted (tty) output:
 * - `(integer) 1`, `(double) 1.5`, `(big number) 1`, `(error) ...`, `(nil)`, `(true)`, `(false)`,
 *   `(empty array)` / `(empty list or set)` / `(empty hash)` ..., and the `(0.53s)` latency line;
 * - array / map / set items `1) ...`, `1# ... => ...`, `1~ ...` (nested items are indented);
 * - one double-quoted string alone on the line (`"value"`);
 * - the status replies `OK`, `QUEUED`, `PONG`, the TYPE replies (`string`, `list`, `set`, `zset`,
 *   `hash`, `stream`, `none`), INFO fields (`name:value`, no space), and redis-cli's own messages
 *   (`Invalid argument(s)`, `Could not connect to Redis at ...`, `Error: ...`,
 *   `-> Redirected to slot [...] ...`, `Reading messages... ...`).
 * Session context starts at a prompt line (even a bare prompt with nothing after it) and lasts across
 * output lines; comment lines and blank lines neither start nor end it (INFO prints `# Server`
 * headers and blank lines); any other line (a command without prompt, a MONITOR line, an invalid
 * line) ends it. So `OK` typed alone is a command, while `OK` after `127.0.0.1:6379> SET k v` is the
 * reply. Replies that print as plain text (`--raw` output, bulk strings of INFO-like commands other
 * than `name:value` fields) cannot be told from commands and are parsed as commands.
 */

/** One non-blank input line. */
export interface CommandLine {
  /** 1-based line number in the input. */
  line: number;
  kind: 'command' | 'comment';
  /** Arguments as raw bytes (args[0] is the command name); empty for comments and invalid lines. */
  args: Uint8Array[];
  /** For each arg, its [startColumn, endColumn) on the line (editor columns, 1-based, end exclusive), for diagnostics and highlighting. */
  spans: [number, number][];
  /** How the line was written: plain redis-cli syntax, copied from an interactive redis-cli session, or MONITOR output. */
  source: 'cli' | 'prompt' | 'monitor';
  /** Set when redis-cli would reject the line (see the error diagnostic on the same line); args and spans are then empty. */
  invalid?: true;
}

export interface CommandLines {
  lines: CommandLine[];
  diagnostics: Diagnostic[];
}

/** Error codes of {@link splitArgs}. redis-cli accepts every backslash escape, so there is no `bad-escape`. */
export type SplitErrorCode = 'unbalanced-quote' | 'quote-not-followed-by-space';

/**
 * Result of {@link splitArgs}. Offsets are byte offsets into the source: `starts[i]`..`ends[i]` is the
 * raw text of argument i (quotes included). On error, `start`..`end` is the offending argument as far
 * as it was read.
 */
export type SplitArgs =
  { ok: true; args: Uint8Array[]; starts: number[]; ends: number[] } | { ok: false; code: SplitErrorCode; message: string; start: number; end: number };

/** C `isspace` in the C locale: space, \t, \n, \v, \f, \r. */
function isSpace(c: number): boolean {
  return c === 0x20 || (c >= 0x09 && c <= 0x0d);
}

/**
 * Splits `src[start, end)` into arguments exactly like redis `sdssplitargs` (src/sds.c), which
 * redis-cli uses for every line typed or piped into it. The range behaves like a C string: a NUL byte
 * ends it. (quote.ts `unquote` is not used: it rejects escapes and `\x` forms that redis-cli accepts,
 * and it knows nothing of the closing-quote rule or of quotes that open inside a token.)
 *
 * - Blanks between arguments are `isspace` characters (space, \t, \n, \v, \f, \r), any amount.
 * - Outside quotes, an argument ends at a space, \t, \n, \r or the end (not at \v or \f). A `"` or `'`
 *   switches to quoted mode wherever it appears, also in the middle of an argument: `ab"c d"` is the
 *   one argument `abc d`, and `ab"c` is an unbalanced quote.
 * - In double quotes: `\xHH` (two hex digits, either case) is one byte; `\n \r \t \b \a` are controls;
 *   a backslash before any other character stands for that character (`\"`, `\\`, `\q` → `q`,
 *   `\xZZ` → `xZZ`, `\x4` → `x4`). A backslash at the very end is literal (and the quote is then
 *   unbalanced).
 * - In single quotes only `\'` is an escape; every other byte, backslashes included, is literal. So
 *   `'a\'` and `'a\\'` are unbalanced.
 * - A closing quote ends the argument and must be followed by an `isspace` character or the end;
 *   otherwise the whole line is rejected (`"a"b`, `"a"'b'`, `a"b"c`).
 * Verified against redis-cli 7.0 (see tokenize.test.ts).
 */
export function splitArgs(src: Uint8Array, start = 0, end = src.length): SplitArgs {
  const nul = src.subarray(start, end).indexOf(0);
  if (nul >= 0) end = start + nul;
  const at = (i: number): number => (i < end ? src[i] : 0);
  const scratch = new Uint8Array(Math.max(0, end - start));
  const args: Uint8Array[] = [];
  const starts: number[] = [];
  const ends: number[] = [];
  let p = start;
  for (;;) {
    while (p < end && isSpace(src[p])) p++;
    if (p >= end) return { ok: true, args, starts, ends };
    const tokenStart = p;
    let tokenEnd = p;
    let n = 0;
    let inq = false;
    let insq = false;
    let escapedSingleQuote = false;
    let done = false;
    while (!done) {
      const c = at(p);
      if (inq) {
        if (c === 0x5c && at(p + 1) === 0x78 && hexValue(at(p + 2)) >= 0 && hexValue(at(p + 3)) >= 0) {
          scratch[n++] = (hexValue(at(p + 2)) << 4) | hexValue(at(p + 3));
          p += 3;
        } else if (c === 0x5c && at(p + 1) !== 0) {
          p++;
          const e = src[p];
          scratch[n++] = e === 0x6e ? 0x0a : e === 0x72 ? 0x0d : e === 0x74 ? 0x09 : e === 0x62 ? 0x08 : e === 0x61 ? 0x07 : e;
        } else if (c === 0x22) {
          if (at(p + 1) !== 0 && !isSpace(at(p + 1))) return notFollowedBySpace(tokenStart, p);
          done = true;
          tokenEnd = p + 1;
        } else if (c === 0) {
          return unbalanced(tokenStart, end, '"', false);
        } else {
          scratch[n++] = c;
        }
      } else if (insq) {
        if (c === 0x5c && at(p + 1) === 0x27) {
          p++;
          scratch[n++] = 0x27;
          escapedSingleQuote = true;
        } else if (c === 0x27) {
          if (at(p + 1) !== 0 && !isSpace(at(p + 1))) return notFollowedBySpace(tokenStart, p);
          done = true;
          tokenEnd = p + 1;
        } else if (c === 0) {
          return unbalanced(tokenStart, end, "'", escapedSingleQuote);
        } else {
          scratch[n++] = c;
        }
      } else if (c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09 || c === 0) {
        done = true;
        tokenEnd = p;
      } else if (c === 0x22) {
        inq = true;
      } else if (c === 0x27) {
        insq = true;
      } else {
        scratch[n++] = c;
      }
      if (p < end) p++;
    }
    args.push(scratch.slice(0, n));
    starts.push(tokenStart);
    ends.push(tokenEnd);
  }
}

function unbalanced(start: number, end: number, quote: string, escapedSingleQuote: boolean): SplitArgs {
  const hint = escapedSingleQuote ? " (inside single quotes \\' is an escaped quote, not a backslash and a closing quote)" : '';
  return { ok: false, code: 'unbalanced-quote', message: `unbalanced quotes: no closing ${quote} on this line${hint}`, start, end };
}

function notFollowedBySpace(start: number, quoteAt: number): SplitArgs {
  return {
    ok: false,
    code: 'quote-not-followed-by-space',
    message: 'closing quote must be followed by a space or the end of the line (redis-cli rejects the line)',
    start,
    end: quoteAt + 1,
  };
}

/**
 * Editor columns of increasing byte offsets of one line, in linear time overall. Every offset asked
 * for follows an ASCII byte (or is 0 or the end of the line), so decoding the bytes between two of them
 * on their own gives the same UTF-16 length as decoding the whole prefix would.
 */
class Columns {
  private offset = 0;
  private column = 1;
  constructor(private readonly bytes: Uint8Array) {}
  at(offset: number): number {
    if (offset < this.offset) return columnOf(this.bytes, offset);
    let ascii = true;
    for (let i = this.offset; i < offset; i++) {
      if (this.bytes[i] >= 0x80) {
        ascii = false;
        break;
      }
    }
    this.column += ascii ? offset - this.offset : decodeUtf8Lenient(this.bytes.subarray(this.offset, offset)).length;
    this.offset = offset;
    return this.column;
  }
}

/**
 * An interactive redis-cli prompt at the start of a line (leading blanks allowed): `host:port`,
 * `[ipv6]:port`, `redis /unix.sock` (also the old `redis host:port` form, and valkey-cli's), or
 * `not connected`; then an optional `[db]`, `(TX)` inside MULTI and `(subscribed mode)`; then `> `
 * (or `>` at the end of the line, when the copy dropped the trailing space). Only this leading shape
 * counts, so an argument containing `> ` is never taken for a prompt.
 */
const PROMPT =
  /^[ \t]*(?:(?:(?:redis|valkey) )?(?:\[[0-9A-Za-z:.%]+\]|[A-Za-z0-9_.-]+):\d{1,5}|(?:redis|valkey) \/[^\s>]*|not connected)(?:\[\d+\])?(?:\(TX\))?(?:\(subscribed mode\))?>(?: |$)/;

/**
 * A MONITOR line: `<seconds>.<micros> [<db> <client>] "arg" ...` where client is `ip:port`,
 * `[ipv6]:port`, `lua` or `unix:<path>`. The arguments (always double-quoted, sdscatrepr escapes) are
 * then split like redis-cli input, which reads sdscatrepr output back byte-exactly.
 */
const MONITOR = /^[ \t]*\d{1,20}\.\d{1,9} \[\d+ [^"]*?\] (?=")/;

/** Prompts and MONITOR prefixes are short: only this many leading bytes are looked at. */
const HEAD = 1024;

/** Replies recognised by their beginning (any length). */
const OUTPUT_PREFIX =
  /^(?:\((?:integer|double|big number|error)\) |\d+[)#~] \S|Could not connect to Redis at |Error: |-> Redirected to slot \[|Reading messages\.\.\. )/;

/** Replies that are the whole (trimmed) line. */
const OUTPUT_WHOLE =
  /^(?:\((?:nil|true|false|empty[a-z ]*)\)|\(\d+(?:\.\d+)?s\)|OK|QUEUED|PONG|string|list|set|zset|hash|stream|none|[a-z][a-z0-9_]*:\S*|Invalid argument\(s\))$/;

/** Is `line[start, end)` (trimmed, non-empty) something redis-cli prints as a reply? */
function isCliOutput(line: Uint8Array, start: number, end: number): boolean {
  if (line[start] === 0x22) {
    const split = splitArgs(line, start, end);
    return split.ok && split.args.length === 1 && split.ends[0] === end;
  }
  if (end - start > HEAD) return OUTPUT_PREFIX.test(latin1(line, start, start + HEAD));
  const text = latin1(line, start, end);
  return OUTPUT_PREFIX.test(text) || OUTPUT_WHOLE.test(text);
}

/** Splits pasted commands into lines and arguments. Never throws. */
export function tokenizeCommands(input: Uint8Array): CommandLines {
  const lines: CommandLine[] = [];
  const diagnostics: Diagnostic[] = [];
  let session = false;
  let lineNo = 0;
  let pos = 0;
  while (pos <= input.length) {
    let nl = input.indexOf(0x0a, pos);
    if (nl < 0) nl = input.length;
    let lineEnd = nl;
    if (lineEnd > pos && input[lineEnd - 1] === 0x0d) lineEnd--;
    lineNo++;
    const line = input.subarray(pos, lineEnd);
    pos = nl + 1;

    const nul = line.indexOf(0);
    const end = nul >= 0 ? nul : line.length;
    let first = 0;
    while (first < end && isSpace(line[first])) first++;
    if (first === end) {
      if (nul >= 0) diagnostics.push(nulWarning(line, lineNo, nul));
      continue;
    }
    if (line[first] === 0x23) {
      lines.push({ line: lineNo, kind: 'comment', args: [], spans: [], source: 'cli' });
      continue;
    }

    const head = latin1(line, 0, Math.min(end, HEAD));
    const prompt = PROMPT.exec(head);
    const monitor = prompt ? null : MONITOR.exec(head);
    if (!prompt && !monitor && session) {
      let last = end;
      while (last > first && (line[last - 1] === 0x20 || line[last - 1] === 0x09)) last--;
      if (isCliOutput(line, first, last)) {
        const columns = new Columns(line);
        const column = columns.at(first);
        diagnostics.push(diagnostic('info', 'cli-output', 'redis-cli output, skipped', lineNo, column, columns.at(last)));
        lines.push({ line: lineNo, kind: 'comment', args: [], spans: [], source: 'prompt' });
        continue;
      }
    }
    if (nul >= 0) diagnostics.push(nulWarning(line, lineNo, nul));

    const source = prompt ? 'prompt' : monitor ? 'monitor' : 'cli';
    session = source === 'prompt';
    const from = prompt ? prompt[0].length : monitor ? monitor[0].length : first;
    const split = splitArgs(line, from, end);
    const columns = new Columns(line);
    if (!split.ok) {
      const column = columns.at(split.start);
      diagnostics.push(diagnostic('error', split.code, split.message, lineNo, column, columns.at(split.end)));
      lines.push({ line: lineNo, kind: 'command', args: [], spans: [], source, invalid: true });
      continue;
    }
    if (split.args.length === 0) continue; // a bare prompt: nothing was typed
    const spans: [number, number][] = split.starts.map((s, i) => [columns.at(s), columns.at(split.ends[i])]);
    lines.push({ line: lineNo, kind: 'command', args: split.args, spans, source });
  }
  return { lines, diagnostics };
}

function nulWarning(line: Uint8Array, lineNo: number, nul: number): Diagnostic {
  return diagnostic(
    'warning',
    'nul-byte',
    'NUL byte: redis-cli reads lines as C strings and ignores the rest of this line',
    lineNo,
    columnOf(line, nul),
    columnOf(line, line.length),
  );
}

/** The command name (args[0]) with ASCII letters uppercased, or '' for comments and invalid lines. */
export function commandName(line: CommandLine): string {
  const name = line.args[0];
  if (!name) return '';
  return decodeUtf8Lenient(name).replace(/[a-z]+/g, (s) => s.toUpperCase());
}
