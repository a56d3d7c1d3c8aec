import { SLOT_COUNT } from '../slots/crc16.ts';

/**
 * Compact text for a set of slots: sorted, deduplicated, consecutive runs as `a-b`, joined by `, `
 * (`[0..99, 5000]` → `"0-99, 5000"`). Non-integers are ignored; an empty set gives `""`.
 */
export function formatRanges(slots: readonly number[]): string {
  const sorted = slots.filter((s) => Number.isInteger(s)).sort((a, b) => a - b);
  const parts: string[] = [];
  let i = 0;
  while (i < sorted.length) {
    const start = sorted[i];
    let end = start;
    while (i + 1 < sorted.length && sorted[i + 1] <= end + 1) end = Math.max(end, sorted[++i]);
    parts.push(start === end ? String(start) : `${start}-${end}`);
    i++;
  }
  return parts.join(', ');
}

/** Inclusive `[start, end]` runs of the slots where `pick(slot)` is true, in order. */
export function slotRuns(pick: (slot: number) => boolean, count = SLOT_COUNT): [number, number][] {
  const runs: [number, number][] = [];
  for (let s = 0; s < count; s++) {
    if (!pick(s)) continue;
    const start = s;
    while (s + 1 < count && pick(s + 1)) s++;
    runs.push([start, s]);
  }
  return runs;
}

/** `formatRanges` for runs, cut after `max` runs with a count of the rest. */
export function formatRuns(runs: readonly [number, number][], max = 20): string {
  const shown = runs.slice(0, max).map(([a, b]) => (a === b ? String(a) : `${a}-${b}`));
  if (runs.length > max) shown.push(`… (${runs.length - max} more ranges)`);
  return shown.join(', ');
}

/** Number of slots in runs. */
export function runsSize(runs: readonly [number, number][]): number {
  let n = 0;
  for (const [a, b] of runs) n += b - a + 1;
  return n;
}

/** The slot runs `[start, end]` each shard of a topology owns, by shard index. */
export function shardRuns(topology: { shards: readonly unknown[]; slotShard: Int16Array }): [number, number][][] {
  const out: [number, number][][] = topology.shards.map(() => []);
  const map = topology.slotShard;
  for (let s = 0; s < map.length; s++) {
    const owner = map[s];
    if (owner < 0 || owner >= out.length) continue;
    const start = s;
    while (s + 1 < map.length && map[s + 1] === owner) s++;
    out[owner].push([start, s]);
  }
  return out;
}
