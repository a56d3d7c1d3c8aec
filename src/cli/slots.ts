import type { KeyRecord } from '../core/index.ts';
import { Out, TableWriter } from './io.ts';
import { analyzeKeys, openKeyInput } from './keys.ts';
import { loadSetup, POLICY_HELP, prepare, SAMPLES_HELP, type SetupOptions } from './setup.ts';

export interface SlotsOptions extends Pick<SetupOptions, 'policy' | 'rules' | 'implicitShardKey' | 'engine' | 'samples'> {
  json: boolean;
  input?: string;
}

export const SLOTS_USAGE = `Usage: hashslot slots --policy redis|standard|custom [--rules FILE] [--implicit-shard-key]
                     [--json] [--input FILE] [--engine bytecode|re2] [--samples N]

Reads keys (one per line; a line starting with " is a redis-cli quoted string) from stdin or --input
and prints each key's hash slot and hashed tag under the chosen policy.

${POLICY_HELP}
${SAMPLES_HELP}
  --json                 one JSON object per key, in input order (the record every per-key output uses):
                         {"line": N, "key": "...", "slot": N, "tag": "...", "rule": R}; a key with no
                         slot: {"line", "key", "error", "message"}; a line that cannot be read (bad
                         quoting, a key over 16 MiB): {"line", "key": null, "error", "column", "message"}
  --input FILE           read keys from FILE instead of stdin

Exit status: 0 (per-key errors are results), 2 for bad usage or a bad rules file.`;

/** Messages of errors listed under the table (a table cell is too narrow for them). */
const MAX_NOTES = 100;

/** `hashslot slots`: returns the exit code. */
export async function runSlots(opts: SlotsOptions): Promise<number> {
  const setup = await loadSetup(opts);
  const input = await openKeyInput(opts.input);
  const a = prepare(setup, input.text);
  const out = new Out();
  const withRule = a.main.name !== 'redis';
  const table = opts.json ? null : new TableWriter(out, withRule ? ['line', 'key', 'slot', 'tag', 'rule'] : ['line', 'key', 'slot', 'tag'], 'rlrlr');
  const notes: string[] = [];
  let unlisted = 0;
  const note = (text: string) => (notes.length < MAX_NOTES ? notes.push(text) : unlisted++);
  await analyzeKeys(
    input,
    a,
    async (records) => {
      for (const r of records) {
        if (!table) out.line(JSON.stringify(r));
        else table.row(cells(r, withRule, note));
      }
      await out.drain();
    },
    false,
  );
  if (table) {
    table.end();
    if (notes.length) out.line('');
    for (const n of notes) out.line(n);
    if (unlisted) out.line(`… and ${unlisted} more keys without a slot`);
  }
  await out.end();
  a.dispose();
  return 0;
}

function cells(r: KeyRecord, withRule: boolean, note: (text: string) => void): string[] {
  if (r.key === null) {
    note(`line ${r.line}, column ${r.column}: ${r.error}: ${r.message}`);
    return [String(r.line), '', 'error', r.error, ''];
  }
  if ('error' in r) {
    // No rule matched needs no more words; a too-long key says which limit.
    if (r.error !== 'no-rule-matched') note(`line ${r.line}: ${r.error}: ${r.message}`);
    return [String(r.line), r.key, 'error', r.error, ''];
  }
  return [String(r.line), r.key, String(r.slot), r.tag, withRule ? String(r.rule) : ''];
}
