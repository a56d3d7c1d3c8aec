import {
  display,
  keyErrorMessage,
  parseKeyList,
  slotTable,
  summarizeStream,
  KEY_ERROR_CODES,
  KEY_TOO_LONG,
  type KeyStream,
  type Policy,
  type ShardMap,
} from '../core/index.ts';
import { Out } from './io.ts';
import { streamKeys } from './keys.ts';
import { makePolicy, POLICY_HELP, type PolicyOptions } from './policy.ts';
import { makeShardMap, TOPOLOGY_HELP, type TopologyOptions } from './topology.ts';

export interface DistOptions extends PolicyOptions, TopologyOptions {
  json: boolean;
  input?: string;
}

export const DIST_USAGE = `Usage: hashslot dist --policy redis|standard|custom [--rules FILE] [--shards N | --masters N |
                    --topology FILE] [--json] [--input FILE]

How the keys on stdin spread over slots and shards: keys per shard, skew, the busiest slot, hot tags
and co-location groups. The input streams through in constant memory: counts per slot and shard are
exact for any number of keys; above 100,000 keys, hot tags and groups come from a sample of 100,000
(spread over an --input file; the first ones on stdin), and the output says so.

${POLICY_HELP}
${TOPOLOGY_HELP}
  --json                 one JSON object per key ({"key", "slot", "tag", "shard"} or {"key", "error"};
                         an unreadable line or a key over 16 MiB: {"key": null, "error", "line", "message"}),
                         then one {"summary": {...}}`;

/** `hashslot dist`: returns the exit code. */
export async function runDist(opts: DistOptions): Promise<number> {
  const policy = await makePolicy(opts);
  if ('error' in policy) return fail(policy.error);
  const shards = await makeShardMap(opts);
  if ('error' in shards) return fail(shards.error);
  const out = new Out();
  let stream: KeyStream;
  try {
    stream = await streamKeys(opts.input, { main: policy, shards }, async (bytes, firstLine) => {
      if (!opts.json) return;
      writeKeys(out, bytes, firstLine, policy, shards);
      await out.drain();
    });
  } catch (e) {
    return fail(`cannot read ${opts.input ?? 'stdin'}: ${(e as Error).message}`);
  }
  const { distribution: d, sampled } = summarizeStream(stream, policy, null, shards);
  const sampleNote = sampled < stream.keys ? `from a sample of ${sampled} of ${stream.keys} keys` : null;
  if (opts.json) {
    const { perSlot: _perSlot, perShard, ...rest } = d;
    out.line(
      JSON.stringify({
        summary: {
          policy: policy.name,
          ...rest,
          sampled: sampleNote ? sampled : undefined,
          shards: shards.labels.map((label, i) => ({ label, keys: perShard[i] })),
        },
      }),
    );
  } else {
    out.line(
      `${d.keys} keys in ${d.usedSlots} slots on ${shards.labels.length} shards (${policy.name} policy)${d.unplaced ? `; ${d.unplaced} keys without a slot` : ''}`,
    );
    const width = Math.max(...shards.labels.map((l) => l.length));
    const max = Math.max(1, ...d.perShard);
    shards.labels.forEach((label, i) => {
      const n = d.perShard[i];
      out.line(`  ${label.padEnd(width)}  ${String(n).padStart(9)}  ${'█'.repeat(Math.round((n / max) * 40))}`);
    });
    out.line(
      `skew: busiest shard ${d.maxShardOverMean.toFixed(2)}× the mean; busiest slot ${d.busiestSlot.slot} holds ${(d.busiestSlot.share * 100).toFixed(1)}% of keys`,
    );
    if (d.emptyShards.length) out.line(`empty shards: ${d.emptyShards.map((i) => shards.labels[i]).join(', ')}`);
    if (d.unassigned) out.line(`${d.unassigned} keys fall in slots no shard owns`);
    out.line(sampleNote ? `hot tags (${sampleNote}):` : 'hot tags:');
    for (const t of d.hotTags.slice(0, 10))
      out.line(`  ${String(t.keys).padStart(9)}  ${(t.share * 100).toFixed(1).padStart(5)}%  slot ${String(t.slot).padStart(5)}  ${t.tag}`);
  }
  await out.end();
  policy.dispose();
  return 0;
}

/** The per-key JSON lines of one piece of the input (written as it streams, never kept). */
function writeKeys(out: Out, bytes: Uint8Array, firstLine: number, policy: Policy, shards: ShardMap): void {
  const list = parseKeyList(bytes, firstLine);
  const table = slotTable(list, policy);
  const diagnosticByLine = new Map(list.diagnostics.map((d) => [d.line, d]));
  for (let i = 0; i < list.count; i++) {
    const key = display(list.bytes, list.offsets[i], list.offsets[i + 1]);
    const slot = table.slots[i];
    const bad = list.invalid[i] ? diagnosticByLine.get(list.lines[i]) : undefined;
    // An unreadable line (bad quoting, a key over the size limit) says what the parser said.
    if (bad) out.line(JSON.stringify({ key: null, error: bad.code, line: bad.line, message: bad.message }));
    else if (slot < 0)
      out.line(
        JSON.stringify({
          key,
          error: KEY_ERROR_CODES[slot] ?? 'unreadable-line',
          message: slot === KEY_TOO_LONG ? keyErrorMessage(slot, list.offsets[i + 1] - list.offsets[i]) : undefined,
        }),
      );
    else {
      const shard = shards.slotShard[slot];
      out.line(JSON.stringify({ key, slot, tag: display(list.bytes, table.tagStart[i], table.tagEnd[i]), shard: shard >= 0 ? shards.labels[shard] : null }));
    }
  }
}

function fail(message: string): number {
  process.stderr.write(`hashslot: ${message}\n`);
  return 2;
}
