import { describe, expect, it } from 'vitest';
import { DEFAULT_SETTINGS, EXAMPLE } from './example.ts';
import { decodeLink, encodeLink, fromPlain, readStateFile, stateFile, type SharedState } from './share.ts';

const base: SharedState = { inputs: { ...EXAMPLE }, settings: structuredClone(DEFAULT_SETTINGS), panel: 'keys' };

describe('share links', () => {
  it('the example needs no fragment at all', async () => {
    expect(await encodeLink(base)).toBe('');
  });
  it('state → link → state is the identity, for any text', async () => {
    const state: SharedState = {
      inputs: { ...EXAMPLE, keys: 'clé\n"\\xff"\nx'.repeat(50), rules: '(?<tag>a)' },
      settings: { ...structuredClone(DEFAULT_SETTINGS), policy: 'custom', compare: null, target: 'active-active', layout: { kind: 'masters', count: 7 } },
      panel: 'commands',
    };
    const link = await encodeLink(state);
    expect(link.startsWith('#v1/')).toBe(true);
    const back = await decodeLink(link);
    expect(back).toEqual({ ok: true, state, ignored: [] });
  });
  it('compresses: a repetitive keyspace makes a short link', async () => {
    const keys = Array.from({ length: 2000 }, (_, i) => `user:${i}:cart`).join('\n');
    expect((await encodeLink({ ...base, inputs: { ...base.inputs, keys } })).length).toBeLessThan(8000);
  });
  it('damaged, foreign, huge and hostile links are reasons, not exceptions', async () => {
    for (const hash of ['#v1/!!!', '#v1/AAAA', '#v9/xyz', '#something', '#v1/' + 'A'.repeat(3_000_000)]) {
      const r = await decodeLink(hash);
      expect(r.ok).toBe(false);
    }
  });
  it('says which: a damaged link, or one too large (also when it only inflates past the limit)', async () => {
    expect(await decodeLink('#v1/!!!')).toEqual({ ok: false, reason: 'this link is damaged (it may have been cut short)' });
    expect(await decodeLink('#v1/' + 'A'.repeat(3_000_000))).toEqual({ ok: false, reason: 'this link is too large to open' });
    const bomb = await encodeLink({ ...base, inputs: { ...base.inputs, keys: 'k'.repeat(30_000_000) } });
    expect(bomb.length).toBeLessThan(100_000);
    expect(await decodeLink(bomb)).toEqual({ ok: false, reason: 'this link is too large to open' });
  });
  it('ignores unknown fields, wrong types and prototype keys', () => {
    const polluted = JSON.parse(
      '{"__proto__": {"polluted": 1}, "i": {"keys": 5, "rules": "(?<tag>x)", "constructor": "x"}, ' +
        '"s": {"policy": "evil", "layout": {"kind": "even", "count": 99999}}, "p": "nope"}',
    );
    const ignored: string[] = [];
    const s = fromPlain(polluted, ignored);
    // Named so the page can say what it did not apply; unknown fields are not named (a newer version's).
    expect(ignored).toEqual(['keys', 'policy', 'layout', 'panel']);
    expect(s.inputs.keys).toBe(EXAMPLE.keys);
    expect(s.inputs.rules).toBe('(?<tag>x)');
    expect(s.settings).toEqual(DEFAULT_SETTINGS);
    expect(s.panel).toBe('keys');
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });
  it('state files round-trip and refuse other JSON', () => {
    const state: SharedState = { ...base, panel: 'migration' };
    expect(readStateFile(stateFile(state))).toEqual({ ok: true, state, ignored: [] });
    expect(readStateFile('{"a":1}').ok).toBe(false);
    expect(readStateFile('not json').ok).toBe(false);
  });
});
