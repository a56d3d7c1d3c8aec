import { diagnostic, type Diagnostic } from '../diagnostics.ts';
import { SLOT_COUNT } from '../slots/crc16.ts';
import { type Shard, type Topology, type TopologyResult } from './types.ts';

/** C's lround: nearest integer, halves away from zero. */
function lround(x: number): number {
  return x < 0 ? -Math.floor(-x + 0.5) : Math.floor(x + 0.5);
}

/**
 * The `[first, last]` slot range that `redis-cli --cluster create` gives each of `masters` masters
 * (redis src/redis-cli.c, clusterManagerCommandCreate), computed the way redis-cli computes it:
 *
 *     float slots_per_node = CLUSTER_MANAGER_SLOTS / (float) masters_count;
 *     long first = 0; float cursor = 0.0f;
 *     for (i = 0; i < masters_count; i++) {
 *         long last = lround(cursor + slots_per_node - 1);
 *         if (last > CLUSTER_MANAGER_SLOTS || i == (masters_count - 1)) last = CLUSTER_MANAGER_SLOTS - 1;
 *         if (last < first) last = first;
 *         first = last + 1; cursor += slots_per_node;
 *     }
 *
 * Every float operation is rounded to float32 (Math.fround); the double-precision quotient rounded to
 * float32 equals the float32 quotient (double rounding is innocuous for division). The float32 cursor
 * drifts: from N = 78 on, some ranges differ from exact arithmetic, and from N = 7542 on the last
 * masters run past slot 16383 (redis-cli then assigns the nonexistent slot 16384+). Ranges are
 * returned as redis-cli computes them, so they may end past 16383 or be all past it.
 * `masters` must be an integer in 1..16384.
 */
export function redisCliCreateRanges(masters: number): [number, number][] {
  const f = Math.fround;
  const slotsPerNode = f(SLOT_COUNT / f(masters));
  const ranges: [number, number][] = [];
  let first = 0;
  let cursor = f(0);
  for (let i = 0; i < masters; i++) {
    let last = lround(f(f(cursor + slotsPerNode) - 1));
    if (last > SLOT_COUNT || i === masters - 1) last = SLOT_COUNT - 1;
    if (last < first) last = first;
    ranges.push([first, last]);
    first = last + 1;
    cursor = f(cursor + slotsPerNode);
  }
  return ranges;
}

/**
 * Even contiguous ranges in the style of Redis Software / Redis Cloud: shard i starts at slot
 * round(i · 16384 / N) (exact arithmetic; i · 16384 / N is never a half-integer for N ≤ 16384), so
 * sizes differ by at most one and larger and smaller ranges interleave. This agrees with the
 * documented examples (2 shards: 0-8191, 8192-16383; 3 shards: 0-5460, 5461-10922, 10923-16383) and
 * with redis-cli --cluster create for every N < 78 (redis-cli's float32 cursor drifts after that).
 * UNCONFIRMED BEYOND THE DOCUMENTED EXAMPLES: the real allocator of Redis Software / Cloud for other
 * N, and any layout after resharding, is not known; users should paste their real topology.
 * `shards` must be an integer in 1..16384.
 */
export function evenRanges(shards: number): [number, number][] {
  const start = (i: number) => Math.floor((2 * i * SLOT_COUNT + shards) / (2 * shards));
  const ranges: [number, number][] = [];
  for (let i = 0; i < shards; i++) ranges.push([start(i), start(i + 1) - 1]);
  return ranges;
}

function checkCount(n: number, what: string): Diagnostic | null {
  if (typeof n !== 'number' || !Number.isInteger(n) || n < 1 || n > SLOT_COUNT) {
    return diagnostic('error', 'bad-shard-count', `${what} must be a whole number from 1 to ${SLOT_COUNT}, not ${String(n)}`, 1, 1);
  }
  return null;
}

function layoutTopology(ranges: [number, number][], source: Topology['source'], name: (i: number) => string): Topology {
  const slotShard = new Int16Array(SLOT_COUNT).fill(-1);
  const shards: Shard[] = ranges.map((_, i) => ({ id: name(i), label: name(i), nodes: [{ role: 'master' }] }));
  ranges.forEach(([first, last], i) => slotShard.fill(i, Math.min(first, SLOT_COUNT), Math.min(last, SLOT_COUNT - 1) + 1));
  return { shards, slotShard, migrating: [], source };
}

/**
 * What `redis-cli --cluster create` does with `masters` masters (and no, or any number of, replicas:
 * replicas do not change the slot split). Shard i is `Master[i]`, as redis-cli prints it, in slot order.
 * redis-cli refuses fewer than 3 masters; 1 and 2 are still laid out, with an info diagnostic.
 * For N ≥ 7542 the float32 cursor overruns slot 16383: the masters redis-cli would give slot 16384+
 * get no slot here, with a warning. Invalid N → topology null and an error diagnostic; never throws.
 */
export function redisCliCreateLayout(masters: number): TopologyResult {
  const bad = checkCount(masters, 'the number of masters');
  if (bad) return { topology: null, diagnostics: [bad] };
  const diagnostics: Diagnostic[] = [];
  if (masters < 3) {
    diagnostics.push(
      diagnostic('info', 'too-few-masters', `redis-cli --cluster create requires at least 3 masters; this is the split it would use for ${masters}`, 1, 1),
    );
  }
  const ranges = redisCliCreateRanges(masters);
  const empty = ranges.flatMap(([first], i) => (first >= SLOT_COUNT ? [i] : []));
  const overrun = ranges.some(([, last]) => last >= SLOT_COUNT);
  if (overrun) {
    diagnostics.push(
      diagnostic(
        'warning',
        'slot-overrun',
        `with ${masters} masters redis-cli's float32 arithmetic runs past slot ${SLOT_COUNT - 1}` +
          (empty.length
            ? `: Master[${empty[0]}]${empty.length > 1 ? `..Master[${empty[empty.length - 1]}]` : ''} would get only nonexistent slots, ` +
              `so ${empty.length === 1 ? 'it gets' : 'they get'} none here`
            : ''),
        1,
        1,
      ),
    );
  }
  return { topology: layoutTopology(ranges, 'redis-cli-create', (i) => `Master[${i}]`), diagnostics };
}

/**
 * Redis Software / Redis Cloud style layout of `shards` even contiguous ranges (see {@link evenRanges};
 * unconfirmed beyond the documented 2- and 3-shard examples). Shards are named `Shard 1`..`Shard N`.
 */
export function evenLayout(shards: number): TopologyResult {
  const bad = checkCount(shards, 'the number of shards');
  if (bad) return { topology: null, diagnostics: [bad] };
  return { topology: layoutTopology(evenRanges(shards), 'even', (i) => `Shard ${i + 1}`), diagnostics: [] };
}
