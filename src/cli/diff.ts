import {
  analyzeCommands,
  display,
  FLUSH_WARNING,
  parseKeyList,
  slotTable,
  summarizeStream,
  TARGETS,
  verdictChanges,
  type KeyStream,
  type Policy,
} from '../core/index.ts';
import { parseTarget, readCommands, unknownTarget } from './analysis.ts';
import { Out } from './io.ts';
import { streamKeys } from './keys.ts';
import { makePolicy } from './policy.ts';
import { makeShardMap, TOPOLOGY_HELP, type TopologyOptions } from './topology.ts';

export interface DiffOptions extends TopologyOptions {
  from: string;
  to: string;
  fromRules?: string;
  toRules?: string;
  implicitShardKey: boolean;
  engine: string;
  commands?: string;
  target: string;
  json: boolean;
  input?: string;
}

export const DIFF_USAGE = `Usage: hashslot diff --from POLICY --to POLICY [--from-rules F] [--to-rules F] [--shards N |
                    --masters N | --topology FILE] [--commands FILE] [--target T] [--json] [--input FILE]

What moving the keys on stdin from policy A to policy B changes: keys that change slot and shard,
co-location groups that split or merge, and (with --commands) commands whose verdict changes.

  --from P, --to P       redis, standard or custom (custom needs --from-rules / --to-rules)
  --implicit-shard-key   custom: hash the whole key when no rule matches
${TOPOLOGY_HELP}
  --commands FILE        commands to check under both policies (redis-cli syntax, as for hashslot check)
  --target T             deployment for command verdicts: ${TARGETS.join(' | ')}
  --json                 one JSON object per key ({"key", "from": {...}, "to": {...}, "moved"}), then
                         one {"summary": {...}}

${FLUSH_WARNING}`;

/** `hashslot diff`: returns the exit code. */
export async function runDiff(opts: DiffOptions): Promise<number> {
  const target = parseTarget(opts.target);
  if (!target) return fail(unknownTarget(opts.target));
  const a = await makePolicy({ policy: opts.from, rules: opts.fromRules, implicitShardKey: opts.implicitShardKey, engine: opts.engine });
  if ('error' in a) return fail(`--from: ${a.error}`);
  const b = await makePolicy({ policy: opts.to, rules: opts.toRules, implicitShardKey: opts.implicitShardKey, engine: opts.engine });
  if ('error' in b) return fail(`--to: ${b.error}`);
  const shards = await makeShardMap(opts);
  if ('error' in shards) return fail(shards.error);
  let commands: ReturnType<typeof verdictChanges> = [];
  if (opts.commands !== undefined) {
    const parsed = await readCommands(opts.commands);
    if ('error' in parsed) return fail(parsed.error);
    commands = verdictChanges(analyzeCommands(parsed.lines, a).reports, analyzeCommands(parsed.lines, b).reports, target);
  }
  const out = new Out();
  // Per key, as the input streams by (--json); the summary counts every key and samples the groups.
  const writeKeys = (bytes: Uint8Array, firstLine: number) => {
    const list = parseKeyList(bytes, firstLine);
    const ta = slotTable(list, a);
    const tb = slotTable(list, b);
    const side = (p: Policy, t: typeof ta, i: number) => {
      const slot = t.slots[i];
      if (slot < 0) return { error: slot === -1 ? 'no-rule-matched' : 'unreadable', policy: p.name };
      const shard = shards.slotShard[slot];
      return { tag: display(list.bytes, t.tagStart[i], t.tagEnd[i]), slot, shard: shard >= 0 ? shards.labels[shard] : null };
    };
    for (let i = 0; i < list.count; i++) {
      out.line(
        JSON.stringify({
          key: display(list.bytes, list.offsets[i], list.offsets[i + 1]),
          from: side(a, ta, i),
          to: side(b, tb, i),
          moved: ta.slots[i] !== tb.slots[i],
        }),
      );
    }
  };
  let stream: KeyStream;
  try {
    stream = await streamKeys(opts.input, { main: a, compare: b, shards }, async (bytes, firstLine) => {
      if (!opts.json) return;
      writeKeys(bytes, firstLine);
      await out.drain();
    });
  } catch (e) {
    return fail(`cannot read ${opts.input ?? 'stdin'}: ${(e as Error).message}`);
  }
  const { migration, sampled } = summarizeStream(stream, a, b, shards);
  const diff = migration!;
  const sampleNote = sampled < stream.keys ? `split and merged groups and the keys listed come from a sample of ${sampled} of ${stream.keys} keys` : undefined;
  if (opts.json) {
    const { moved: _moved, ...summary } = diff;
    out.line(
      JSON.stringify({ summary: { from: opts.from, to: opts.to, ...summary, commands, sampled: sampleNote ? sampled : undefined, note: FLUSH_WARNING } }),
    );
  } else {
    const pct = (n: number) => (diff.keys ? ` (${((n / diff.keys) * 100).toFixed(1)}%)` : '');
    out.line(`${opts.from} → ${opts.to}, ${diff.keys} keys, ${shards.labels.length} shards`);
    out.line(`  keys that change slot:  ${diff.changedSlot}${pct(diff.changedSlot)}`);
    out.line(`  keys that change shard: ${diff.changedShard}${pct(diff.changedShard)}`);
    if (diff.startUnmatched || diff.stopUnmatched) out.line(`  keys that start / stop matching no rule: ${diff.startUnmatched} / ${diff.stopUnmatched}`);
    out.line(`  co-located groups that split: ${diff.splitCount}; new co-location: ${diff.mergedCount}${sampleNote ? ` (${sampleNote})` : ''}`);
    for (const g of diff.split.slice(0, 5)) out.line(`    split: slot ${g.slot}, ${g.keys} keys → ${g.slots} slots (${g.sample.join(', ')})`);
    for (const g of diff.merged.slice(0, 5)) out.line(`    merged: slot ${g.slot}, ${g.keys} keys from ${g.slots} slots (${g.sample.join(', ')})`);
    if (opts.commands !== undefined) {
      out.line(`  commands whose verdict changes on ${opts.target}: ${commands.length}`);
      for (const c of commands) out.line(`    line ${c.line} ${c.command}: ${c.before} → ${c.after} (${c.reason})`);
    }
    for (const m of diff.moved.slice(0, 10)) out.line(`    ${m.key}: slot ${m.from.slot} → ${m.to.slot}`);
    out.line(FLUSH_WARNING);
  }
  await out.end();
  a.dispose();
  b.dispose();
  return 0;
}

function fail(message: string): number {
  process.stderr.write(`hashslot diff: ${message}\n`);
  return 2;
}
