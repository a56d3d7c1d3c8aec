import type { Diagnostic } from '../diagnostics.ts';
import type { ShardMap } from '../topology/types.ts';
import { describeLayout } from '../report/shards.ts';
import { evenLayout, parseTopology, redisCliCreateLayout, type Topology } from '../topology/index.ts';
import { firstErrors, type Blocker } from './blockers.ts';
import type { LayoutChoice } from './inputs.ts';

/** Slot → shard with what it came from: "3 shards (Redis Cloud even split)", "pasted CLUSTER NODES, 6 shards". */
export interface Layout extends ShardMap {
  source: Topology['source'];
  description: string;
}

export interface BuiltLayout {
  /** Null when the choice cannot give a layout (see `blocker`): no other layout stands in. */
  layout: Layout | null;
  /** The Topology input's diagnostics (pasted topology) or the count's (even / masters). */
  diagnostics: Diagnostic[];
  blocker: Blocker | null;
}

/** The layout a choice names: N even shards, N masters as redis-cli creates them, or the pasted topology. */
export function buildLayout(choice: LayoutChoice, topologyText: string): BuiltLayout {
  const result =
    choice.kind === 'paste' ? parseTopology(topologyText) : choice.kind === 'masters' ? redisCliCreateLayout(choice.count) : evenLayout(choice.count);
  const topo = result.topology;
  if (!topo) {
    const errors = firstErrors(result.diagnostics);
    const blocker: Blocker =
      choice.kind === 'paste'
        ? {
            input: 'topology',
            scope: 'analysis',
            message:
              'The pasted topology could not be read, so no result is shown for it until it is fixed' +
              (errors ? ` — ${errors}.` : ': paste CLUSTER NODES, CLUSTER SLOTS or CLUSTER SHARDS output.'),
          }
        : {
            input: 'layout',
            scope: 'analysis',
            message: `The layout cannot be used, so no result is shown: ${result.diagnostics.find((d) => d.severity === 'error')?.message ?? 'no shards'}.`,
          };
    return { layout: null, diagnostics: result.diagnostics, blocker };
  }
  return {
    layout: {
      slotShard: topo.slotShard,
      labels: topo.shards.map((s) => s.label),
      source: topo.source,
      description: describeLayout(topo.source, topo.shards.length),
    },
    diagnostics: result.diagnostics,
    blocker: null,
  };
}
