import { readFile } from 'node:fs/promises';
import { evenLayout, parseTopology, redisCliCreateLayout, type Topology, type TopologyResult } from '../core/topology/index.ts';
import type { ShardMap } from '../core/distribution/distribution.ts';

export const TOPOLOGY_HELP = `  --shards N             Redis Software / Cloud layout: N even contiguous slot ranges (default 3)
  --masters N            redis-cli --cluster create layout with N masters (its exact float32 split)
  --topology FILE        a pasted CLUSTER NODES, CLUSTER SLOTS or CLUSTER SHARDS output (redis-cli, --raw or JSON)`;

export const TOPOLOGY_ARGS = {
  shards: { type: 'string' },
  masters: { type: 'string' },
  topology: { type: 'string' },
} as const;

export interface TopologyOptions {
  shards?: string;
  masters?: string;
  topology?: string;
}

/**
 * The slot → shard map the options name, with where it came from (for reports); topology problems are
 * printed on stderr, errors end the run.
 */
export async function makeShardMap(opts: TopologyOptions): Promise<(ShardMap & { source: Topology['source'] }) | { error: string }> {
  const given = [opts.shards, opts.masters, opts.topology].filter((v) => v !== undefined).length;
  if (given > 1) return { error: 'use only one of --shards, --masters, --topology' };
  let result: TopologyResult;
  let source = '';
  if (opts.topology !== undefined) {
    let text: string;
    try {
      text = await readFile(opts.topology, 'utf8');
    } catch (e) {
      return { error: `cannot read topology file ${opts.topology}: ${(e as Error).message}` };
    }
    result = parseTopology(text);
    source = opts.topology;
  } else {
    const count = Number(opts.masters ?? opts.shards ?? '3');
    result = opts.masters !== undefined ? redisCliCreateLayout(count) : evenLayout(count);
    source = opts.masters !== undefined ? '--masters' : '--shards';
  }
  for (const d of result.diagnostics) {
    if (d.severity !== 'error' || result.topology) process.stderr.write(`${source}:${d.line}:${d.column}: ${d.severity} ${d.code}: ${d.message}\n`);
  }
  if (!result.topology) {
    const errors = result.diagnostics.filter((d) => d.severity === 'error');
    return { error: errors.map((d) => `${source}:${d.line}:${d.column}: ${d.code}: ${d.message}`).join('\n') || `${source}: no topology` };
  }
  return { slotShard: result.topology.slotShard, labels: result.topology.shards.map((s) => s.label), source: result.topology.source };
}
