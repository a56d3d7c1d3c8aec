import { describe, expect, it } from 'vitest';
import {
  createBytecodeEngine,
  createCustomPolicy,
  distribution,
  evenLayout,
  migrationDiff,
  orderBySlot,
  parseKeyList,
  parseRules,
  redisPolicy,
  segmentOf,
  slotSummary,
  slotTable,
  standardPolicy,
  utf8,
  type Policy,
  type ShardMap,
  type StreamPolicy,
} from '../index.ts';
import { KeyStream } from './key-stream.ts';
import { slotsOfFile } from '../slots/scan.ts';

const topo = evenLayout(3).topology!;
const shards: ShardMap = { slotShard: topo.slotShard, labels: topo.shards.map((s) => s.label) };

/** A key list with every kind of line the stream must agree on: tags, quotes, CRLF, blanks, a broken quote, no final LF. */
function sampleFile(n: number): Uint8Array {
  const lines: string[] = [];
  for (let i = 0; i < n; i++) {
    const k = i % 7;
    lines.push(
      k === 0
        ? `user:{${i % 50}}:cart`
        : k === 1
          ? `"bin\\x00\\xff{${i % 9}}"`
          : k === 2
            ? `order:${i}\r`
            : k === 3
              ? ''
              : k === 4 && i % 5 === 0
                ? '"broken'
                : `{a}{b}${i}:x}`,
    );
  }
  return utf8(lines.join('\n'));
}

function run(file: Uint8Array, chunk: number, main: StreamPolicy, compare: StreamPolicy | null): KeyStream {
  const stream = new KeyStream({ main, compare, shards, totalBytes: file.length, sampleKeys: 50 });
  for (let at = 0; at < file.length; at += chunk) stream.push(file.subarray(at, at + chunk));
  stream.end();
  return stream;
}

const fast = (policy: Policy): StreamPolicy => ({ policy, slotter: (b) => slotsOfFile(b, policy.name as 'redis' | 'standard').slots });

describe('KeyStream', () => {
  const rules = parseRules('^(?<tag>[^:]+):');
  const custom = createCustomPolicy(rules, createBytecodeEngine());
  const file = sampleFile(3000);
  const list = parseKeyList(file);

  for (const chunk of [1, 7, 4096, 1 << 20]) {
    it(`equals parseKeyList + slotTable for chunks of ${chunk} bytes, with and without a batch slotter`, () => {
      for (const [main, compare] of [
        [fast(redisPolicy), fast(standardPolicy)],
        [{ policy: standardPolicy }, { policy: custom }],
        [{ policy: custom }, null],
      ] as [StreamPolicy, StreamPolicy | null][]) {
        const s = run(file, chunk, main, compare);
        const a = slotTable(list, main.policy);
        expect(s.keys).toBe(list.count);
        expect(Array.from(s.slots)).toEqual(Array.from(a.slots));
        const d = distribution(list, a, shards);
        expect(Array.from(s.perSlot)).toEqual(Array.from(d.perSlot));
        expect(s.unplaced).toBe(d.unplaced);
        expect(s.invalid).toBe(list.invalid.reduce((n, x) => n + x, 0));
        const { hotTags: _h, groups: _g, keys: _k, unplaced: _u, ...summary } = d;
        expect(slotSummary(s.perSlot, shards)).toEqual(summary);
        expect(s.diagnostics.map((x) => x.line)).toEqual(list.diagnostics.filter((x) => x.severity === 'error').map((x) => x.line));
        if (compare) {
          const b = slotTable(list, compare.policy);
          const m = migrationDiff(list, { table: a, shards }, { table: b, shards });
          expect([s.comparedKeys, s.changedSlot, s.changedShard, s.startUnmatched, s.stopUnmatched]).toEqual([
            m.keys,
            m.changedSlot,
            m.changedShard,
            m.startUnmatched,
            m.stopUnmatched,
          ]);
          expect(Array.from(s.slotsCompare!)).toEqual(Array.from(b.slots));
        }
      }
    });
  }

  it('records segments that re-read to the same keys and lines', () => {
    const s = run(file, 333, fast(redisPolicy), null);
    const lines = file.length > 0 ? parseKeyList(file) : list;
    for (const index of [0, 1, 500, 1234, list.count - 1]) {
      const seg = s.segments[segmentOf(s.segments, s.keys, index)];
      const part = parseKeyList(file.subarray(seg.byteStart, seg.byteEnd), seg.firstLine);
      const j = index - seg.firstKey;
      expect(part.lines[j]).toBe(lines.lines[index]);
      expect(part.bytes.subarray(part.offsets[j], part.offsets[j + 1])).toEqual(list.bytes.subarray(list.offsets[index], list.offsets[index + 1]));
    }
    expect(segmentOf(s.segments, s.keys, s.keys)).toBe(-1);
  });

  it('keeps a sample of whole lines spread over the input', () => {
    const big = sampleFile(200_000);
    const s = new KeyStream({ main: fast(redisPolicy), shards, totalBytes: big.length, sampleKeys: 1000 });
    for (let at = 0; at < big.length; at += 65536) s.push(big.subarray(at, at + 65536));
    s.end();
    const sample = parseKeyList(s.sampleLines());
    expect(sample.count).toBeGreaterThanOrEqual(1000);
    expect(sample.count).toBeLessThan(1100);
    // From the start and from the end of the input.
    const keys = Array.from({ length: sample.count }, (_, i) => new TextDecoder().decode(sample.bytes.subarray(sample.offsets[i], sample.offsets[i + 1])));
    expect(keys.some((k) => k.startsWith('order:') && Number(k.slice(6)) > 190_000)).toBe(true);
    expect(keys.some((k) => k.startsWith('order:') && Number(k.slice(6)) < 10_000)).toBe(true);
  });

  it('samples keys uniformly: short keys in one region and long ones in another keep their share; blank lines take no place', () => {
    const short = Array.from({ length: 150_000 }, (_, i) => `{s}${i}`).join('\n');
    const long = Array.from({ length: 15_000 }, (_, i) => `{L}${'x'.repeat(200)}${i}`).join('\n');
    const file = utf8(`${short}\n\r\n\r\n${long}\n`);
    const s = new KeyStream({ main: fast(redisPolicy), shards, totalBytes: file.length, sampleKeys: 5000 });
    for (let at = 0; at < file.length; at += 100_000) s.push(file.subarray(at, at + 100_000));
    s.end();
    const sample = parseKeyList(s.sampleLines());
    expect(sample.count).toBe(5000);
    let shorts = 0;
    const seen = new Set<string>();
    const decoder = new TextDecoder();
    for (let i = 0; i < sample.count; i++) {
      const key = decoder.decode(sample.bytes.subarray(sample.offsets[i], sample.offsets[i + 1]));
      // Whole keys of the input, each once, in input order (the pool compacts many times on the way).
      expect(key).toMatch(/^\{s\}\d+$|^\{L\}x{200}\d+$/);
      seen.add(key);
      if (key[1] === 's') shorts++;
    }
    expect(seen.size).toBe(sample.count);
    // 150k of 165k keys are short: 90.9 %.
    expect(shorts / sample.count).toBeGreaterThan(0.88);
    expect(shorts / sample.count).toBeLessThan(0.94);
    expect(s.keys).toBe(165_000);
  });

  it('refuses a line longer than the limit without buffering it, and goes on', () => {
    const s = new KeyStream({ main: fast(redisPolicy), shards, totalBytes: 0, maxLineBytes: 1000 });
    s.push(utf8('a\n' + 'x'.repeat(700)));
    s.push(utf8('x'.repeat(700)));
    s.push(utf8('x'.repeat(700) + '\nb\n'));
    s.end();
    expect(s.keys).toBe(3);
    expect(Array.from(s.slots)).toEqual([slotsOfFile(utf8('a'), 'redis').slots[0], -3, slotsOfFile(utf8('b'), 'redis').slots[0]]);
    expect(s.diagnostics[0]).toMatchObject({
      line: 2,
      code: 'key-too-long',
      message: "line is over 1,000 bytes, longer than any key within this tool's key size limit of 16 MiB (16,777,216 bytes) can be written: it is skipped",
    });
    expect(s.lines).toBe(3);
    // Ending inside the refused line still counts that line.
    const t = new KeyStream({ main: fast(redisPolicy), shards, totalBytes: 0, maxLineBytes: 10 });
    t.push(utf8('a\n' + 'x'.repeat(50)));
    t.end();
    expect([t.keys, t.lines]).toEqual([2, 2]);
  });

  it('lists the first 100 unreadable lines and says how many more there are', () => {
    const s = run(utf8(Array.from({ length: 250 }, () => '"broken').join('\n')), 4096, fast(redisPolicy), null);
    expect(s.diagnostics).toHaveLength(101);
    expect(s.diagnostics[100]).toMatchObject({ severity: 'info', message: '150 more unreadable lines are not listed' });
  });

  it('orders keys by slot, errors last, input order within a slot', () => {
    const order = orderBySlot(Int16Array.from([5, -1, 3, 5, -3, 0]));
    expect(Array.from(order)).toEqual([5, 2, 0, 3, 1, 4]);
  });
});
