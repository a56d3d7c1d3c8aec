import { FLUSH_WARNING } from '../core/index.ts';
import { Out } from './io.ts';
import { analyzeKeys, openKeyInput } from './keys.ts';
import { loadSetup, prepare, type OptionNames, type SetupOptions } from './setup.ts';

export interface DiffOptions extends Pick<SetupOptions, 'implicitShardKey' | 'engine' | 'shards' | 'masters' | 'topology' | 'commands' | 'target' | 'samples'> {
  from: string;
  to: string;
  fromRules?: string;
  toRules?: string;
  json: boolean;
  input?: string;
}

const NAMES: OptionNames = { policy: '--from', rules: '--from-rules', compare: '--to', compareRules: '--to-rules' };

/** `hashslot diff`: returns the exit code. */
export async function runDiff(opts: DiffOptions): Promise<number> {
  const setup = await loadSetup({ ...opts, policy: opts.from, rules: opts.fromRules, compare: opts.to, compareRules: opts.toRules }, NAMES);
  const input = await openKeyInput(opts.input);
  const a = prepare(setup, input.text, NAMES);
  const out = new Out();
  const keys = await analyzeKeys(input, a, { sink: opts.json ? { json: (bytes) => out.bytes(bytes) } : undefined });
  const { moved, ...diff } = keys.migration!;
  const commands = a.commands.verdictChanges ?? [];
  const sampleNote =
    keys.sampled < keys.keyCount ? `split and merged groups and the keys listed come from a sample of ${keys.sampled} of ${keys.keyCount} keys` : null;
  if (opts.json) {
    out.line(
      JSON.stringify({ summary: { from: opts.from, to: opts.to, ...diff, commands, sampled: sampleNote ? keys.sampled : undefined, note: FLUSH_WARNING } }),
    );
  } else {
    const pct = (n: number) => (diff.keys ? ` (${((n / diff.keys) * 100).toFixed(1)}%)` : '');
    out.line(`${opts.from} → ${opts.to}, ${diff.keys} keys, ${a.layout.description}`);
    out.line(`  keys that change slot:  ${diff.changedSlot}${pct(diff.changedSlot)}`);
    out.line(`  keys that change shard: ${diff.changedShard}${pct(diff.changedShard)}`);
    if (diff.startUnmatched || diff.stopUnmatched) out.line(`  keys that start / stop matching no rule: ${diff.startUnmatched} / ${diff.stopUnmatched}`);
    out.line(`  co-located groups that split: ${diff.splitCount}; new co-location: ${diff.mergedCount}${sampleNote ? ` (${sampleNote})` : ''}`);
    for (const g of diff.split.slice(0, 5)) out.line(`    split: slot ${g.slot}, ${g.keys} keys → ${g.slots} slots (${g.sample.join(', ')})`);
    for (const g of diff.merged.slice(0, 5)) out.line(`    merged: slot ${g.slot}, ${g.keys} keys from ${g.slots} slots (${g.sample.join(', ')})`);
    if (opts.commands !== undefined) {
      out.line(`  commands whose verdict changes on ${a.settings.target}: ${commands.length}`);
      for (const c of commands) out.line(`    line ${c.line} ${c.command}: ${c.before} → ${c.after} (${c.reason})`);
    }
    for (const m of moved.slice(0, 10)) out.line(`    ${m.key}: slot ${m.from.slot} → ${m.to.slot}`);
    out.line(FLUSH_WARNING);
  }
  await out.end();
  a.dispose();
  return 0;
}
