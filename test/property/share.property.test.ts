import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { TARGETS } from '../../src/core/index.ts';
import { DEFAULT_SETTINGS, EXAMPLE } from '../../src/ui/example.ts';
import { decodeLink, encodeLink, fromPlain, LINK_PREFIX, readStateFile, stateFile, toPlain, type SharedState } from '../../src/ui/share.ts';
import type { Settings } from '../../src/core/index.ts';
import { opts, wellFormedText } from './support.ts';

const PANELS = ['keys', 'groups', 'slotmap', 'shards', 'commands', 'migration', 'explain'] as const;
const POLICIES = ['redis', 'standard', 'custom'] as const;

/**
 * Inputs: each the example's, arbitrary well-formed text, or any UTF-16 (lone surrogates included: UTF-8
 * cannot carry them, but JSON.stringify writes them as \uD800 escapes, so they survive a link too).
 */
const anyUtf16 = fc.string({
  unit: fc.oneof(fc.integer({ min: 0, max: 0xffff }), fc.integer({ min: 0xd800, max: 0xdfff })).map((c) => String.fromCharCode(c)),
  maxLength: 20,
});
const input = (example: string) =>
  fc.oneof({ arbitrary: fc.constant(example), weight: 1 }, { arbitrary: wellFormedText(30), weight: 3 }, { arbitrary: anyUtf16, weight: 1 });
const settings: fc.Arbitrary<Settings> = fc.record({
  policy: fc.constantFrom(...POLICIES),
  compare: fc.constantFrom(null, ...POLICIES),
  target: fc.constantFrom(...TARGETS),
  implicitShardKey: fc.boolean(),
  patternSamples: fc.integer({ min: 1, max: 1000 }),
  layout: fc.oneof(
    fc.record({
      kind: fc.constantFrom('even' as const, 'masters' as const),
      count: fc.oneof(fc.integer({ min: 1, max: 16384 }), fc.constantFrom(1, 3, 16384)),
    }),
    fc.constant({ kind: 'paste' as const }),
  ),
});
const state: fc.Arbitrary<SharedState> = fc.record({
  inputs: fc.record({
    keys: input(EXAMPLE.keys),
    rules: input(EXAMPLE.rules),
    rulesB: input(EXAMPLE.rulesB),
    commands: input(EXAMPLE.commands),
    topology: input(EXAMPLE.topology),
  }),
  settings: fc.oneof(fc.constant(structuredClone(DEFAULT_SETTINGS)), settings),
  panel: fc.constantFrom(...PANELS),
});
const defaults = (): SharedState => ({ inputs: { ...EXAMPLE }, settings: structuredClone(DEFAULT_SETTINGS), panel: 'keys' });

/** A state is valid when every field has an allowed value (what fromPlain promises). */
function expectValid(s: SharedState): void {
  expect(Object.keys(s).sort()).toEqual(['inputs', 'panel', 'settings']);
  expect(Object.keys(s.inputs).sort()).toEqual(Object.keys(EXAMPLE).sort());
  for (const v of Object.values(s.inputs)) expect(typeof v).toBe('string');
  expect(POLICIES).toContain(s.settings.policy);
  expect([null, ...POLICIES]).toContain(s.settings.compare);
  expect(TARGETS).toContain(s.settings.target);
  expect(typeof s.settings.implicitShardKey).toBe('boolean');
  expect(Number.isInteger(s.settings.patternSamples) && s.settings.patternSamples >= 1 && s.settings.patternSamples <= 1000).toBe(true);
  const l = s.settings.layout;
  if (l.kind === 'paste') expect(Object.keys(l)).toEqual(['kind']);
  else {
    expect(['even', 'masters']).toContain(l.kind);
    expect(Number.isInteger(l.count) && l.count >= 1 && l.count <= 16384).toBe(true);
  }
  expect(PANELS).toContain(s.panel);
  for (const o of [s, s.inputs, s.settings, s.settings.layout]) expect(Object.getPrototypeOf(o)).toBe(Object.prototype);
}

// ------------------------------------------------------------------------------------------------
// JSON text with hostile keys (`__proto__`, `constructor`, …) at any depth. Objects are written as
// text and read with JSON.parse, which makes `__proto__` an own property (as a link's JSON would).

type Json = null | boolean | number | string | Json[] | { entries: [string, Json][] };
const KEYS = [
  '__proto__',
  'constructor',
  'prototype',
  'polluted',
  'toString',
  'valueOf',
  'hasOwnProperty',
  'i',
  's',
  'p',
  'keys',
  'rules',
  'rulesB',
  'commands',
  'topology',
  'policy',
  'compare',
  'target',
  'implicitShardKey',
  'patternSamples',
  'layout',
  'kind',
  'count',
  'format',
  'version',
];
const VALUES: Json[] = [
  'redis',
  'standard',
  'custom',
  'evil',
  'paste',
  'even',
  'masters',
  'keys',
  'commands',
  'active-active',
  'slot-playground-state',
  1,
  3,
  0,
  -1,
  16384,
  16385,
  2.5,
  1e308,
  true,
  false,
  null,
  '',
  'x',
];
const { json } = fc.letrec<{ json: Json }>((tie) => ({
  json: fc.oneof(
    { maxDepth: 4, depthIdentifier: 'json' },
    fc.constantFrom(...VALUES),
    fc.string({ maxLength: 5 }),
    fc.array(tie('json'), { maxLength: 3, depthIdentifier: 'json' }),
    fc
      .array(fc.tuple(fc.oneof({ arbitrary: fc.constantFrom(...KEYS), weight: 5 }, { arbitrary: fc.string({ maxLength: 4 }), weight: 1 }), tie('json')), {
        maxLength: 5,
        depthIdentifier: 'json',
      })
      .map((entries) => ({ entries })),
  ),
}));
function toText(v: Json): string {
  if (Array.isArray(v)) return `[${v.map(toText).join(',')}]`;
  if (v !== null && typeof v === 'object') return `{${v.entries.map(([k, x]) => `${JSON.stringify(k)}:${toText(x)}`).join(',')}}`;
  return JSON.stringify(v);
}
/** The shapes a link carries: `{i, s, p}` with hostile members, or anything. */
const plainText = fc.oneof(
  json.map(toText),
  fc
    .tuple(json, json, json, fc.constantFrom('"__proto__"', '"constructor"', '"prototype"'))
    .map(([i, s, p, proto]) => `{${proto}:{"polluted":1,"policy":"custom"},"i":${toText(i)},"s":${toText(s)},"p":${toText(p)},"__proto__":{"polluted":2}}`),
);

function prototypeSnapshot(): string[] {
  return [Object.prototype, Array.prototype, Function.prototype].flatMap((p) => Object.getOwnPropertyNames(p).sort());
}

describe('property: share links (src/ui/share.ts)', () => {
  it('decodeLink never throws; anything not starting with #v1/ is ok:false', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(
          fc.string(),
          fc.string({ unit: 'binary' }),
          fc.string({ unit: fc.constantFrom(...'#v1/AZaz09-_=+!%') }).map((s) => (s.startsWith('#') ? s : LINK_PREFIX + s)),
        ),
        async (hash) => {
          const r = await decodeLink(hash);
          if (!hash.startsWith(LINK_PREFIX)) expect(r.ok).toBe(false);
          if (r.ok) expectValid(r.state);
          else expect(typeof r.reason).toBe('string');
        },
      ),
      opts(500),
    );
  });

  it('state → link → state is the identity (the example state is the empty link)', async () => {
    await fc.assert(
      fc.asyncProperty(state, async (s) => {
        const link = await encodeLink(s);
        if (link === '') {
          expect(s).toEqual(defaults());
          return;
        }
        expect(link.startsWith(LINK_PREFIX)).toBe(true);
        expect(link).toMatch(/^#v1\/[A-Za-z0-9_-]+$/);
        expect(await decodeLink(link)).toEqual({ ok: true, state: s, ignored: [] });
      }),
      opts(400),
    );
  });

  it('state → file → state is the identity', () => {
    fc.assert(
      fc.property(state, (s) => {
        expect(readStateFile(stateFile(s))).toEqual({ ok: true, state: s, ignored: [] });
      }),
      opts(500),
    );
  });

  it('fromPlain never throws, always gives a valid state, never pollutes a prototype, and is idempotent through toPlain', () => {
    const before = prototypeSnapshot();
    fc.assert(
      fc.property(plainText, (text) => {
        const data: unknown = JSON.parse(text);
        const s = fromPlain(data);
        expectValid(s);
        expect(({} as Record<string, unknown>).polluted).toBeUndefined();
        expect(prototypeSnapshot()).toEqual(before);
        expect(fromPlain(JSON.parse(JSON.stringify(toPlain(s))))).toEqual(s);
      }),
      opts(1000),
    );
  });

  it('a link whose compressed body is arbitrary JSON decodes to a valid state or a reason, without pollution', async () => {
    const before = prototypeSnapshot();
    await fc.assert(
      fc.asyncProperty(plainText, async (text) => {
        const deflated = await compress(new TextEncoder().encode(text));
        const link =
          LINK_PREFIX +
          btoa(String.fromCharCode(...deflated))
            .replace(/\+/g, '-')
            .replace(/\//g, '_')
            .replace(/=+$/, '');
        const r = await decodeLink(link);
        // Only an object can hold a state; any other JSON is a damaged link.
        const data: unknown = JSON.parse(text);
        expect(r.ok).toBe(typeof data === 'object' && data !== null && !Array.isArray(data));
        if (r.ok) expectValid(r.state);
        expect(({} as Record<string, unknown>).polluted).toBeUndefined();
        expect(prototypeSnapshot()).toEqual(before);
      }),
      opts(300),
    );
  });

  it('a link whose compressed body is arbitrary bytes is a reason or a valid state, never an exception', async () => {
    await fc.assert(
      fc.asyncProperty(fc.uint8Array({ maxLength: 64 }), fc.boolean(), async (bytes, deflate) => {
        const body = deflate ? await compress(bytes) : bytes;
        const link =
          LINK_PREFIX +
          btoa(String.fromCharCode(...body))
            .replace(/\+/g, '-')
            .replace(/\//g, '_')
            .replace(/=+$/, '');
        const r = await decodeLink(link);
        if (r.ok) expectValid(r.state);
      }),
      opts(300),
    );
  });
});

async function compress(bytes: Uint8Array): Promise<Uint8Array> {
  const stream = new Blob([bytes as BlobPart]).stream().pipeThrough(new CompressionStream('deflate-raw'));
  return new Uint8Array(await new Response(stream).arrayBuffer());
}
