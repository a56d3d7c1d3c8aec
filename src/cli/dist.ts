import { maxOf, shardRows } from '../core/index.ts';
import { Out } from './io.ts';
import { analyzeKeys, openKeyInput } from './keys.ts';
import { loadSetup, prepare, type SetupOptions } from './setup.ts';

export interface DistOptions extends Pick<SetupOptions, 'policy' | 'rules' | 'implicitShardKey' | 'engine' | 'shards' | 'masters' | 'topology' | 'samples'> {
  json: boolean;
  input?: string;
}

/** `hashslot dist`: returns the exit code. */
export async function runDist(opts: DistOptions): Promise<number> {
  const setup = await loadSetup(opts);
  const input = await openKeyInput(opts.input);
  const a = prepare(setup, input.text);
  const out = new Out();
  const keys = await analyzeKeys(input, a, { sink: opts.json ? { json: (bytes) => out.bytes(bytes) } : undefined });
  const d = keys.distribution;
  const rows = shardRows(a.layout, d.perShard, d.unassigned);
  const sampled = keys.sampled < keys.keyCount;
  if (opts.json) {
    const { perSlot: _perSlot, perShard: _perShard, ...rest } = d;
    const summary = {
      policy: a.main.name,
      layout: a.layout.description,
      ...rest,
      sampled: sampled ? keys.sampled : undefined,
      shards: rows,
      portability: keys.portability,
    };
    out.line(JSON.stringify({ summary }));
  } else {
    const owners = rows.filter((r) => r.owner).length;
    out.line(
      `${d.keys} keys in ${d.usedSlots} slots on ${owners} shards (${a.main.name} policy, ${a.layout.description})` +
        (d.unplaced ? `; ${d.unplaced} keys without a slot` : ''),
    );
    const width = maxOf(
      rows.map((r) => r.label.length),
      0,
    );
    const max = maxOf(
      rows.map((r) => r.keys),
      1,
    );
    for (const r of rows) {
      const label = r.owner ? r.label : `${r.label} (slots ${r.ranges})`;
      out.line(`  ${r.label.padEnd(width)}  ${String(r.keys).padStart(9)}  ${'█'.repeat(Math.round((r.keys / max) * 40))}${r.owner ? '' : `  ${label}`}`);
    }
    out.line(
      `skew: busiest shard ${d.maxShardOverMean.toFixed(2)}× the mean; ` +
        `busiest slot ${d.busiestSlot.slot} holds ${(d.busiestSlot.share * 100).toFixed(1)}% of keys`,
    );
    if (d.emptyShards.length) out.line(`empty shards: ${d.emptyShards.map((i) => a.layout.labels[i]).join(', ')}`);
    if (d.unassigned) out.line(`${d.unassigned} keys fall in slots no shard owns (row "no owner")`);
    const p = keys.portability;
    if (p.count > 0) {
      const about = p.estimated ? '≈' : '';
      out.line(
        `not portable between Redis and Standard (an empty hash tag or several braces): ${about}${p.count} keys, ` +
          `${about}${p.differ} of them in another slot under Standard`,
      );
      for (const e of p.examples.slice(0, 5))
        out.line(`  ${e.key}: Redis ${e.redisSlot}, Standard ${e.standardSlot}${e.fix ? `; portable name ${e.fix}` : ''}`);
    }
    out.line(sampled ? `hot tags (from a sample of ${keys.sampled} of ${keys.keyCount} keys):` : 'hot tags:');
    for (const t of d.hotTags.slice(0, 10)) {
      out.line(`  ${String(t.keys).padStart(9)}  ${(t.share * 100).toFixed(1).padStart(5)}%  slot ${String(t.slot).padStart(5)}  ${t.tag}`);
    }
  }
  await out.end();
  a.dispose();
  return 0;
}
