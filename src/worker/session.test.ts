import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { createBytecodeEngine, slotsOfFile } from '../core/index.ts';
import { loadWasmSlotter } from '../engines/scan/wasm-slotter.ts';
import { EXAMPLES } from '../ui/example.ts';
import type { Inputs, Settings } from '../core/index.ts';
import type { AnalysisResult } from './protocol.ts';
import { AnalysisSession } from './session.ts';

const keys = readFileSync(new URL('../../fixtures/keys-ecommerce.txt', import.meta.url), 'utf8');
const extra = ['"bin\\x00{x}"', '"broken', 'order:7\r', '', 'Caf\u00e9:{1}', '{a}{b}c', '{}cart:7', ' lead:{p}', 'trail{ q} ', 'back\\slash'].join('\n');
const inputs: Inputs = {
  keys: `${keys}\n${extra}\n`,
  rules: '^(?<tag>[^:]+):\n^(?<tag>.*)$',
  rulesB: '',
  commands: 'MSET {user:1}:a 1 {user:1}:b 2\nMGET user:1 user:2',
  topology: '',
};
/** Streams every key file, however small: the tests compare the streaming path with the text path. */
const STREAM_ALL = 0;

const settings = (policy: Settings['policy'], compare: Settings['compare']): Settings => ({
  policy,
  compare,
  target: 'oss-cluster',
  implicitShardKey: false,
  patternSamples: 32,
  layout: { kind: 'even', count: 3 },
});

/** What a key file must show exactly as the same keys pasted (everything but the sampled views). */
function exact(result: AnalysisResult) {
  const { millis: _m, highlights: _h, file: _f, view, ...outside } = result;
  const r = view!;
  // From the sample: hot tags, groups, and whether the portability counts are estimates.
  const { hotTags: _t, groups: _g, sampled: _n, migration, portability, ...rest } = r;
  const { estimated: _e, ...portable } = portability;
  const { split: _s, merged: _me, splitCount: _sc, mergedCount: _mc, ...moves } = migration ?? { split: 0, merged: 0, splitCount: 0, mergedCount: 0 };
  return { ...outside, ...rest, portable, perSlot: Array.from(r.perSlot), slotShard: Array.from(r.slotShard), moves };
}

describe('AnalysisSession: a key file equals the same keys pasted', async () => {
  const wasm = await loadWasmSlotter();
  for (const [name, slotter] of [
    ['pure scanner', (f: Uint8Array, p: 'redis' | 'standard') => slotsOfFile(f, p)],
    ['WebAssembly slotter', wasm],
  ] as const) {
    for (const [policy, compare] of [
      ['redis', 'standard'],
      ['custom', 'redis'],
      ['standard', null],
    ] as const) {
      it(`${policy} → ${compare ?? 'nothing'} (${name})`, async () => {
        const text = new AnalysisSession(createBytecodeEngine());
        const file = new AnalysisSession(createBytecodeEngine(), slotter, STREAM_ALL);
        const a = text.analyze(inputs, settings(policy, compare));
        const progress: number[] = [];
        const b = await file.analyzeFile(new Blob([inputs.keys]), 'keys.txt', inputs, settings(policy, compare), (p) => progress.push(p.bytes));
        expect(exact(b)).toEqual(exact(a));
        expect(b.file).toMatchObject({ name: 'keys.txt', bytes: new Blob([inputs.keys]).size });
        expect(progress.at(-1)).toBe(b.file!.bytes);
        // With every key in the sample, the sampled views are exact too.
        expect(b.view!.hotTags).toEqual(a.view!.hotTags);
        expect(b.view!.groups).toEqual(a.view!.groups);

        for (const sort of ['line', 'slot'] as const) {
          // Needles whose match is only in the display form (quotes added around an empty tag or spaces, escapes).
          for (const filter of ['', 'user', 'X00', 'caf\u00e9', '""', ' p', '{ q', '" ', '\\\\', 'd "']) {
            const ra = await text.rows(0, 10_000, filter, sort);
            const rb = await file.rows(0, 10_000, filter, sort);
            expect(rb.total, `${sort} ${filter}`).toBe(ra.total);
            expect(rb.rows.map((r) => ({ ...r, index: 0 }))).toEqual(ra.rows.map((r) => ({ ...r, index: 0 })));
          }
        }
        const page = await file.rows(5, 3, '', 'line');
        expect(page.rows.map((r) => r.line)).toEqual((await text.rows(5, 3, '', 'line')).rows.map((r) => r.line));
        expect(await file.explain(3)).toEqual(await text.explain(3));
        expect(await file.slotKeys(a.view!.busiestSlot.slot)).toEqual(await text.slotKeys(a.view!.busiestSlot.slot));
        const csvFile = await file.export('csv');
        expect(await (csvFile as Blob).text()).toBe(await text.export('csv'));
        const jsonFile = JSON.parse(await ((await file.export('json')) as Blob).text());
        const jsonText = JSON.parse((await text.export('json')) as string);
        expect(jsonFile.keys).toEqual(jsonText.keys);
        expect(jsonFile.distribution.usedSlots).toBe(jsonText.distribution.usedSlots);
      });
    }
  }

  it('a file larger than the sample marks hot tags and groups as sampled and keeps exact counts', async () => {
    const lines = Array.from({ length: 150_000 }, (_, i) => `user:{${i % 1000}}:k${i}`).join('\n');
    const file = new AnalysisSession(createBytecodeEngine(), wasm, STREAM_ALL);
    const r = await file.analyzeFile(new Blob([lines]), 'big.txt', inputs, settings('redis', 'standard'));
    expect(r.view!.keyCount).toBe(150_000);
    expect(r.view!.sampled).toBeLessThan(r.view!.keyCount);
    expect(r.view!.sampled).toBeGreaterThanOrEqual(100_000);
    const exactText = new AnalysisSession(createBytecodeEngine()).analyze({ ...inputs, keys: lines }, settings('redis', 'standard'));
    expect(exact(r)).toEqual(exact(exactText));
    // Every tag has exactly 150 keys; the sampled estimate of the top one is close, not exact.
    expect(exactText.view!.hotTags[0].keys).toBe(150);
    expect(r.view!.hotTags[0].keys).toBeGreaterThan(100);
    expect(r.view!.hotTags[0].keys).toBeLessThan(220);
    // Group sizes are exact (from the per-slot counts).
    for (const g of r.view!.groups) expect(g.keys).toBe(exactText.view!.perSlot[g.slot]);
    const md = (await file.export('markdown')) as string;
    expect(md).toContain('sample of');
    expect((await file.rows(149_999, 1, '', 'line')).rows[0]).toMatchObject({ line: 150_000, key: 'user:{999}:k149999' });
  });

  it('a key over the 16 MiB limit in a file is refused on its line with the message, like in the editor; the rest is analysed', async () => {
    const huge = 'k'.repeat(16 * 1024 * 1024 + 1);
    const text = `before\n${huge}\nafter\n`;
    const file = new AnalysisSession(createBytecodeEngine(), wasm, STREAM_ALL);
    const r = await file.analyzeFile(new Blob([text]), 'huge.txt', inputs, settings('redis', null));
    const pasted = new AnalysisSession(createBytecodeEngine()).analyze({ ...inputs, keys: text }, settings('redis', null));
    const message = "key is 16,777,217 bytes long, over this tool's key size limit of 16 MiB (16,777,216 bytes): it is skipped";
    expect(r.problems.keys).toEqual(pasted.problems.keys);
    expect(r.problems.keys).toMatchObject([{ line: 2, code: 'key-too-long', message }]);
    expect(r.view!.keyCount).toBe(3);
    expect(r.view!.unplaced).toBe(1);
    const rows = (await file.rows(0, 3, '', 'line')).rows;
    expect(rows[1]).toMatchObject({ line: 2, key: null, error: 'key-too-long', message });
    expect(rows[2]).toMatchObject({ line: 3, key: 'after' });
  });

  it('filters a file like the editor even where only the display form matches (plain ASCII segments, no quoted lines)', async () => {
    const plain = ['{}cart:7', ' lead:{p}', 'trail{ q} ', 'back\\slash', 'user:{1}:a', 'x"y'].join('\n');
    for (const policy of ['redis', 'standard'] as const) {
      const text = new AnalysisSession(createBytecodeEngine());
      const file = new AnalysisSession(createBytecodeEngine(), wasm, STREAM_ALL);
      text.analyze({ ...inputs, keys: plain }, settings(policy, null));
      await file.analyzeFile(new Blob([plain]), 'plain.txt', { ...inputs, keys: plain }, settings(policy, null));
      for (const filter of ['""', ' p', '" ', '\\\\', '"x', 'y"', 'cart']) {
        const want = await text.rows(0, 100, filter, 'line');
        expect(
          (await file.rows(0, 100, filter, 'line')).rows.map((r) => r.key),
          `${policy} ${filter}`,
        ).toEqual(want.rows.map((r) => r.key));
      }
    }
  });

  it('a filter still scanning a file when a new analysis arrives never answers for the new one', async () => {
    const lines = Array.from({ length: 60_000 }, (_, i) => `user:${i}:other`).join('\n');
    const real = new Blob([lines]);
    // Reads that take a turn of the event loop, as a File's do.
    const slow = {
      size: real.size,
      slice: (a: number, b: number) => ({ arrayBuffer: () => new Promise<ArrayBuffer>((r) => setTimeout(() => r(real.slice(a, b).arrayBuffer()), 1)) }),
    } as unknown as Blob;
    const session = new AnalysisSession(createBytecodeEngine(), wasm, STREAM_ALL);
    await session.analyzeFile(slow, 'slow.txt', inputs, settings('redis', null));
    const stale = session.rows(0, 10, 'other', 'line');
    session.analyze({ ...inputs, keys: 'user:1other\nuser:2other' }, settings('redis', null));
    expect(await stale).toEqual({ rows: [], total: 0 });
    const fresh = await session.rows(0, 10, 'other', 'line');
    expect(fresh.total).toBe(2);
    expect(fresh.rows.map((r) => r.key)).toEqual(['user:1other', 'user:2other']);
  });

  it('a layout, target or commands edit reuses the file read: same results as the text path, no second read', async () => {
    const blob = new Blob([inputs.keys]);
    let reads = 0;
    const counting = { size: blob.size, slice: (a: number, b: number) => (reads++, blob.slice(a, b)) } as unknown as Blob;
    const file = new AnalysisSession(createBytecodeEngine(), wasm, STREAM_ALL);
    const text = new AnalysisSession(createBytecodeEngine());
    await file.analyzeFile(counting, 'k.txt', inputs, settings('redis', 'standard'));
    const readsAfterFirst = reads;
    const other: Settings = { ...settings('redis', 'standard'), layout: { kind: 'masters', count: 5 }, target: 'active-active' };
    const b = await file.analyzeFile(counting, 'k.txt', { ...inputs, commands: 'MGET a b' }, other);
    expect(reads).toBe(readsAfterFirst);
    expect(exact(b)).toEqual(exact(text.analyze({ ...inputs, commands: 'MGET a b' }, other)));
    // A policy change reads the file again.
    await file.analyzeFile(counting, 'k.txt', inputs, settings('standard', 'redis'));
    expect(reads).toBeGreaterThan(readsAfterFirst);
  });

  it('key patterns and command templates: samples fill the key views, templates leave the command table for the pattern report', () => {
    const schema = EXAMPLES.find((e) => e.name === 'Schema review (key patterns)')!;
    const session = new AnalysisSession(createBytecodeEngine());
    const r = session.analyze(
      { ...inputs, keys: `plain:key\n${schema.inputs.keys}`, commands: schema.inputs.commands! },
      { ...settings('redis', 'standard'), patternSamples: 5 },
    );
    const v = r.view!;
    expect(v.patterns!.patterns).toHaveLength(10);
    // 1 plain key and up to 5 samples per pattern (a small enumeration like <queue> repeats values: those are dropped).
    expect(v.keyCount).toBeGreaterThan(1 + 8 * 5);
    expect(v.keyCount).toBeLessThanOrEqual(1 + 10 * 5);
    expect(v.commands.filter((c) => c.kind === 'command')).toEqual([]);
    const templates = v.patterns!.templates.filter((t) => t.template && t.kind === 'command');
    expect(templates.map((t) => `${t.line} ${t.verdicts['oss-cluster'].verdict}`)).toEqual([
      '3 always',
      '4 always',
      '5 always',
      '6 always',
      '8 never',
      '10 always',
      '12 depends',
      '14 never',
    ]);
    expect(r.problems.commands.filter((d) => d.code === 'template-crossslot').map((d) => d.line)).toEqual([8, 12, 14]);
    // Samples are placed under the policy like any key.
    expect(v.perSlot.reduce((a, b) => a + b, 0)).toBe(v.keyCount);
  });

  it('the Markdown report carries the schema review: hashing, related pairs, template verdicts with fixes', async () => {
    const schema = EXAMPLES.find((e) => e.name === 'Schema review (key patterns)')!;
    const session = new AnalysisSession(createBytecodeEngine());
    session.analyze({ ...inputs, keys: schema.inputs.keys!, commands: schema.inputs.commands! }, settings('redis', null));
    const md = (await session.export('markdown')) as string;
    expect(md).toContain('## Key patterns');
    // The summary counts the templates and says the keys are samples of the patterns.
    expect(md).toMatch(/^\*\*\d+ sample keys\*\* of 10 key patterns · policy \*\*Redis\*\*/m);
    expect(md).toContain('**❌ 3 of 8 command templates are not always single-slot on Redis / Valkey cluster** (2 never, 1 depending on the values)');
    expect(md).toContain('| 1 | `user:{<uid:int>}:profile` | \\<uid\\> |');
    expect(md).toContain('- `user:{<uid:int>}:profile` and `user:{<uid>}:cart`: **✅ always**');
    expect(md).toContain('- `search:{<q:str>}:results` and `search:{<q>}:count`: **⚠️ depends**');
    expect(md).toMatch(/\| 8 \| `MGET user:\{<uid>\}:profile user:<uid>:settings` \| ❌ never \| .* \| `user:\{<uid>\}:profile user:\{<uid>\}:settings` \|/);
    // Patterns with no placeholder in common are not listed as pairs (every one of them is "never").
    expect(md).not.toContain('`session:<sid:hex32>` and `bull:');
  });

  it('a pattern pair the reasoning cannot handle never loses the analysis (user:/zrem: share a CRC16)', () => {
    const session = new AnalysisSession(createBytecodeEngine());
    const r = session.analyze({ ...inputs, keys: 'plain\nuser:<uid>\nzrem:<uid>', commands: '' }, settings('redis', null));
    expect(r.view!.keyCount).toBeGreaterThan(1);
    const failed = r.problems.keys.some((d) => d.code === 'pattern-reasoning-failed');
    // Either the reasoning answers (these keys always share a slot) or it says it failed; never an exception.
    expect(failed || r.view!.patterns!.pairs[0]?.verdict === 'always').toBe(true);
  });
});
