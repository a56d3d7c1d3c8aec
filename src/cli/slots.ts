import { display, KEY_ERROR_CODES, KEY_TOO_LONG, keyErrorMessage, newSpan, parseKeyList } from '../core/index.ts';
import { lineChunks, Out } from './io.ts';
import { makePolicy, POLICY_HELP, type PolicyOptions } from './policy.ts';

export interface SlotsOptions extends PolicyOptions {
  json: boolean;
  input?: string;
}

export const SLOTS_USAGE = `Usage: hashslot slots --policy redis|standard|custom [--rules FILE] [--implicit-shard-key]
                     [--json] [--input FILE] [--engine bytecode|re2]

Reads keys (one per line; a line starting with " is a redis-cli quoted string) from stdin or --input
and prints each key's hash slot and hashed tag under the chosen policy.

${POLICY_HELP}
  --json                 one JSON object per non-empty input line:
                         {"slot": N, "tag": "...", "rule": R} or {"error": "no-rule-matched"};
                         an unreadable line or a key over 16 MiB:
                         {"error": CODE, "line": N, "column": C, "message": "..."}
  --input FILE           read keys from FILE instead of stdin

Exit status: 0 (per-key errors are results), 2 for bad usage or a bad rules file.`;

/** `hashslot slots`: returns the exit code. */
export async function runSlots(opts: SlotsOptions): Promise<number> {
  const policy = await makePolicy(opts);
  if ('error' in policy) {
    process.stderr.write(`hashslot: ${policy.error}\n`);
    return 2;
  }
  const out = new Out();
  const span = newSpan();
  const withRule = policy.name !== 'redis';
  const rows: string[][] = [];
  // Table cells are cut to fit; an error's full message is printed under the table.
  const notes: string[] = [];
  // One piece of the input at a time, so 10 M keys stream through in constant memory with --json.
  for await (const chunk of lineChunks(opts.input)) {
    const list = parseKeyList(chunk.bytes, chunk.firstLine);
    const diagnosticByLine = new Map(list.diagnostics.map((d) => [d.line, d]));
    for (let i = 0; i < list.count; i++) {
      const start = list.offsets[i];
      const end = list.offsets[i + 1];
      if (list.invalid[i]) {
        const d = diagnosticByLine.get(list.lines[i])!;
        if (opts.json) out.line(JSON.stringify({ error: d.code, line: d.line, column: d.column, message: d.message }));
        else {
          rows.push([String(list.lines[i]), '', 'error', d.code, '']);
          notes.push(`line ${d.line}, column ${d.column}: ${d.code}: ${d.message}`);
        }
        continue;
      }
      const slot = policy.locate(list.bytes, start, end, span);
      if (slot < 0) {
        const code = KEY_ERROR_CODES[slot];
        // A too-long key says why (the global limit or the rules' budget); no-rule-matched needs no more.
        const message = slot === KEY_TOO_LONG ? keyErrorMessage(slot, end - start) : undefined;
        if (opts.json) out.line(JSON.stringify({ error: code, message }));
        else {
          rows.push([String(list.lines[i]), display(list.bytes, start, end), 'error', code, '']);
          if (message) notes.push(`line ${list.lines[i]}: ${code}: ${message}`);
        }
        continue;
      }
      const tag = display(list.bytes, span.start, span.end);
      if (opts.json) out.line(JSON.stringify(withRule ? { slot, tag, rule: span.rule } : { slot, tag }));
      else rows.push([String(list.lines[i]), display(list.bytes, start, end), String(slot), tag, withRule ? String(span.rule) : '']);
    }
    if (opts.json) await out.drain();
  }
  if (!opts.json) {
    printTable(out, rows, withRule);
    if (notes.length) out.line('');
    for (const n of notes) out.line(n);
  }
  await out.end();
  policy.dispose();
  return 0;
}

const MAX_CELL = 60;

function cell(text: string): string {
  return text.length > MAX_CELL ? text.slice(0, MAX_CELL - 1) + '…' : text;
}

function printTable(out: Out, rows: string[][], withRule: boolean): void {
  const header = ['line', 'key', 'slot', 'tag', 'rule'];
  const columns = withRule ? 5 : 4;
  const cells = [header, ...rows].map((r) => r.slice(0, columns).map(cell));
  const widths = header.slice(0, columns).map((_, c) => Math.max(...cells.map((r) => r[c].length)));
  const right = new Set([0, 2, 4]);
  for (const r of cells) {
    out.line(
      r
        .map((v, c) => (right.has(c) ? v.padStart(widths[c]) : v.padEnd(widths[c])))
        .join('  ')
        .trimEnd(),
    );
  }
}
