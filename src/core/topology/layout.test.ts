import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { evenLayout, evenRanges, redisCliCreateLayout, redisCliCreateRanges } from './layout.ts';
import { formatRanges, shardRuns } from './ranges.ts';
import type { Topology } from './types.ts';

/** Slot ranges per shard of a topology, as text: ["0-5460", …]. */
const shardRanges = (t: Topology) => shardRuns(t).map((runs) => runs.map(([a, b]) => (a === b ? `${a}` : `${a}-${b}`)).join(', '));

/**
 * Real `redis-cli --cluster create` splits (7.0.15), captured by fixtures/topology/capture.sh:
 * "N: last0 last1 …" — the last slot of each master, as redis-cli printed `Master[i] -> Slots a - b`.
 */
const realSplits = new Map(
  readFileSync(new URL('../../../fixtures/topology/redis-cli-create-splits.txt', import.meta.url), 'utf8')
    .trim()
    .split('\n')
    .map((line) => {
      const [n, lasts] = line.split(': ');
      return [Number(n), lasts.split(' ').map(Number)] as const;
    }),
);

describe('redisCliCreateLayout', () => {
  it('splits 3 masters as 0-5460, 5461-10922, 10923-16383', () => {
    const { topology, diagnostics } = redisCliCreateLayout(3);
    expect(diagnostics).toEqual([]);
    expect(shardRanges(topology!)).toEqual(['0-5460', '5461-10922', '10923-16383']);
    expect(topology!.shards.map((s) => s.id)).toEqual(['Master[0]', 'Master[1]', 'Master[2]']);
    expect(topology!.shards[0]).toEqual({ id: 'Master[0]', label: 'Master[0]', nodes: [{ role: 'master' }] });
    expect(topology!.source).toBe('redis-cli-create');
    expect(topology!.migrating).toEqual([]);
    expect(topology!.slotShard).toBeInstanceOf(Int16Array);
    expect(topology!.slotShard.length).toBe(16384);
  });

  it.each([
    [5, ['0-3276', '3277-6553', '6554-9829', '9830-13106', '13107-16383']],
    [6, ['0-2730', '2731-5460', '5461-8191', '8192-10922', '10923-13652', '13653-16383']],
    [7, ['0-2340', '2341-4680', '4681-7021', '7022-9361', '9362-11702', '11703-14042', '14043-16383']],
  ])('splits %i masters as redis-cli 7.0.15 printed it', (n, expected) => {
    const { topology, diagnostics } = redisCliCreateLayout(n);
    expect(diagnostics).toEqual([]);
    expect(shardRanges(topology!)).toEqual(expected);
  });

  it('lays out 1 and 2 masters with an info that redis-cli requires 3', () => {
    const one = redisCliCreateLayout(1);
    expect(shardRanges(one.topology!)).toEqual(['0-16383']);
    expect(one.diagnostics).toMatchObject([{ severity: 'info', code: 'too-few-masters', line: 1, column: 1 }]);
    expect(one.diagnostics[0].message).toContain('at least 3 masters');
    const two = redisCliCreateLayout(2);
    expect(shardRanges(two.topology!)).toEqual(['0-8191', '8192-16383']);
    expect(two.diagnostics.map((d) => [d.severity, d.code])).toEqual([['info', 'too-few-masters']]);
  });

  it('gives each of 16384 masters one slot', () => {
    const { topology, diagnostics } = redisCliCreateLayout(16384);
    expect(diagnostics).toEqual([]);
    expect(topology!.shards).toHaveLength(16384);
    expect(Array.from(topology!.slotShard)).toEqual(Array.from({ length: 16384 }, (_, i) => i));
  });

  it('matches every split captured from the real redis-cli (N = 3..128, 200, 1000, 7542)', () => {
    expect(realSplits.size).toBeGreaterThan(120);
    for (const [n, lasts] of realSplits) {
      expect(
        redisCliCreateRanges(n).map(([, last]) => last),
        `N=${n}`,
      ).toEqual(lasts);
    }
  });

  it('needs float32 arithmetic: from N = 78 on, double precision gives different splits', () => {
    const double = (n: number) => {
      const out: number[] = [];
      let first = 0;
      for (let i = 0, cursor = 0; i < n; i++, cursor += 16384 / n) {
        let last = Math.round(cursor + 16384 / n - 1);
        if (last > 16384 || i === n - 1) last = 16383;
        if (last < first) last = first;
        out.push(last);
        first = last + 1;
      }
      return out;
    };
    for (let n = 3; n < 78; n++) expect(double(n), `N=${n}`).toEqual(realSplits.get(n));
    expect(double(78)).not.toEqual(realSplits.get(78));
    expect(redisCliCreateRanges(78).map(([, last]) => last)).toEqual(realSplits.get(78));
  });

  it('reproduces the float32 overrun at N = 7542 and leaves the slotless master empty, with a warning', () => {
    // redis-cli itself prints "Master[7541] -> Slots 16384 - 16384": a slot that does not exist.
    expect(redisCliCreateRanges(7542).at(-1)).toEqual([16384, 16384]);
    const { topology, diagnostics } = redisCliCreateLayout(7542);
    expect(diagnostics).toMatchObject([{ severity: 'warning', code: 'slot-overrun' }]);
    expect(diagnostics[0].message).toContain('Master[7541]');
    expect(topology!.shards).toHaveLength(7542);
    expect(shardRanges(topology!).at(-1)).toBe('');
    expect(shardRanges(topology!).at(-2)).toBe('16381-16383');
    expect(topology!.slotShard.includes(-1)).toBe(false);
  });

  /** Every N up to 1024, then every 7th up to 16384 (the full sweep takes seconds). */
  const counts = [...Array.from({ length: 1024 }, (_, i) => i + 1), ...Array.from({ length: 2194 }, (_, i) => 1025 + 7 * i), 16384];

  it('keeps layouts for N up to 16384 contiguous, in order, ending at 16383 (overruns clipped)', () => {
    const problems: string[] = [];
    for (const n of counts) {
      const ranges = redisCliCreateRanges(n);
      if (ranges.length !== n || ranges[0][0] !== 0) problems.push(`N=${n}: ${ranges.length} ranges from ${ranges[0][0]}`);
      for (let i = 1; i < n; i++) if (ranges[i][0] !== ranges[i - 1][1] + 1) problems.push(`N=${n}: gap at master ${i}`);
      if (n > 200 && n % 61 !== 0) continue;
      const t = redisCliCreateLayout(n).topology!;
      if (t.slotShard.includes(-1) || t.slotShard[16383] !== t.shards.length - 1 - ranges.filter(([first]) => first > 16383).length) {
        problems.push(`N=${n}: slot 16383 owner ${t.slotShard[16383]}`);
      }
    }
    expect(problems.slice(0, 5)).toEqual([]);
  });

  it.each([0, -1, 1.5, NaN, Infinity, 16385, '3' as unknown as number])('rejects %s masters without throwing', (n) => {
    const { topology, diagnostics } = redisCliCreateLayout(n);
    expect(topology).toBeNull();
    expect(diagnostics).toMatchObject([{ severity: 'error', code: 'bad-shard-count' }]);
  });
});

describe('evenLayout', () => {
  it('matches the documented Redis Software / Cloud examples for 2 and 3 shards', () => {
    expect(shardRanges(evenLayout(2).topology!)).toEqual(['0-8191', '8192-16383']);
    expect(shardRanges(evenLayout(3).topology!)).toEqual(['0-5460', '5461-10922', '10923-16383']);
    expect(evenLayout(3).topology!.shards.map((s) => s.label)).toEqual(['Shard 1', 'Shard 2', 'Shard 3']);
    expect(evenLayout(3).topology!.source).toBe('even');
    expect(evenLayout(1).diagnostics).toEqual([]);
    expect(shardRanges(evenLayout(1).topology!)).toEqual(['0-16383']);
    expect(shardRanges(evenLayout(4).topology!)).toEqual(['0-4095', '4096-8191', '8192-12287', '12288-16383']);
  });

  it('splits any N into contiguous ranges whose sizes differ by at most one', () => {
    const problems: string[] = [];
    for (let n = 1; n <= 16384; n += n < 1024 ? 1 : 7) {
      const ranges = evenRanges(n);
      if (ranges[0][0] !== 0 || ranges[n - 1][1] !== 16383) problems.push(`N=${n}: ends`);
      let min = Infinity;
      let max = 0;
      for (let i = 0; i < n; i++) {
        const size = ranges[i][1] - ranges[i][0] + 1;
        min = Math.min(min, size);
        max = Math.max(max, size);
        if (i > 0 && ranges[i][0] !== ranges[i - 1][1] + 1) problems.push(`N=${n}: gap at ${i}`);
      }
      if (max - min > 1 || min < 1) problems.push(`N=${n}: sizes ${min}..${max}`);
    }
    expect(problems.slice(0, 5)).toEqual([]);
  });

  it('agrees with redis-cli --cluster create for every N below 78', () => {
    for (let n = 3; n < 78; n++) expect(evenRanges(n), `N=${n}`).toEqual(redisCliCreateRanges(n));
  });

  it.each([0, 2.5, -3, 99999])('rejects %s shards without throwing', (n) => {
    expect(evenLayout(n)).toMatchObject({ topology: null, diagnostics: [{ severity: 'error', code: 'bad-shard-count' }] });
  });
});

describe('formatRanges', () => {
  it.each([
    [[], ''],
    [[5000], '5000'],
    [[...Array.from({ length: 100 }, (_, i) => i), 5000], '0-99, 5000'],
    [[3, 1, 2, 2, 7, 9, 8, 16383], '1-3, 7-9, 16383'],
    [[4, 5], '4-5'],
    [[1.5, 2], '2'],
  ])('%j → %s', (slots, text) => {
    expect(formatRanges(slots)).toBe(text);
  });
});
