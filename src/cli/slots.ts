import { utf8, type KeyRecord } from '../core/index.ts';
import { Out, TableWriter } from './io.ts';
import { analyzeKeys, keyInputOf, openKeyInput } from './keys.ts';
import { loadSetup, prepare, type SetupOptions } from './setup.ts';

export interface SlotsOptions extends Pick<SetupOptions, 'policy' | 'rules' | 'implicitShardKey' | 'engine' | 'samples'> {
  json: boolean;
  input?: string;
  /** Keys given as arguments: each is one line of a key list, as if read from stdin. */
  keys?: string[];
}

/** Messages of errors listed under the table (a table cell is too narrow for them). */
const MAX_NOTES = 100;

/** `hashslot slots`: returns the exit code. */
export async function runSlots(opts: SlotsOptions): Promise<number> {
  const setup = await loadSetup(opts);
  const input = opts.keys?.length ? keyInputOf(utf8(opts.keys.join('\n'))) : await openKeyInput(opts.input);
  const a = prepare(setup, input.text);
  const out = new Out();
  const withRule = a.main.name !== 'redis';
  const table = opts.json ? null : new TableWriter(out, withRule ? ['line', 'key', 'slot', 'tag', 'rule'] : ['line', 'key', 'slot', 'tag'], 'rlrlr');
  const notes: string[] = [];
  let unlisted = 0;
  const note = (text: string) => (notes.length < MAX_NOTES ? notes.push(text) : unlisted++);
  await analyzeKeys(input, a, {
    sink: table
      ? {
          records: async (records) => {
            for (const r of records) table.row(cells(r, withRule, note));
            await out.drain();
          },
        }
      : { json: (bytes) => out.bytes(bytes) },
    withShards: false,
    summary: false,
  });
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
