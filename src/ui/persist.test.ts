import { describe, expect, it } from 'vitest';
import { EXAMPLE } from './example.ts';
import { initialState, saveState, STORAGE_KEY, exampleState } from './persist.ts';
import { encodeLink } from './share.ts';

/** A Storage stand-in: a map, or one that throws like a disabled or full storage. */
function storage(items: Record<string, string> = {}, throwing = false) {
  const map = new Map(Object.entries(items));
  return {
    getItem: (k: string) => {
      if (throwing) throw new Error('SecurityError');
      return map.get(k) ?? null;
    },
    setItem: (k: string, v: string) => {
      if (throwing) throw new Error('QuotaExceededError');
      map.set(k, v);
    },
    removeItem: (k: string) => void map.delete(k),
    map,
  };
}

const edited = () => {
  const s = exampleState();
  s.inputs.keys = 'mine:{1}\nmine:{2}';
  s.settings.policy = 'standard';
  return s;
};

describe('initialState(location, storage): link, then storage, then the example', () => {
  it('a link wins over storage', async () => {
    const hash = await encodeLink(edited());
    const r = await initialState({ hash }, storage({ [STORAGE_KEY]: JSON.stringify({ i: { keys: 'stored' } }) }));
    expect(r.from).toBe('link');
    expect(r.state.inputs.keys).toBe('mine:{1}\nmine:{2}');
    expect(r.state.settings.policy).toBe('standard');
    expect(r.notice).toBeNull();
  });

  it('a damaged link opens the example and says why', async () => {
    const r = await initialState({ hash: '#v1/@@@' }, storage());
    expect(r).toMatchObject({ from: 'example', notice: 'Showing the example: this link is damaged (it may have been cut short).' });
    expect(r.state.inputs).toEqual(EXAMPLE);
  });

  it('a link with unusable fields applies the rest and names them', async () => {
    const hash = await encodeLink(edited());
    const bad = '#v1/' + Buffer.from(await deflate(JSON.stringify({ i: { keys: 'k' }, s: { policy: 'nope' } }))).toString('base64url');
    expect((await initialState({ hash }, null)).from).toBe('link');
    const r = await initialState({ hash: bad }, null);
    expect(r.notice).toBe("Opened the link, but ignored policy: not valid there, so the example's value is used.");
    expect(r.state.inputs.keys).toBe('k');
  });

  it('without a link: the stored state, if it differs from the example', async () => {
    const s = storage();
    expect(saveState(s, edited())).toBe(true);
    const r = await initialState({ hash: '' }, s);
    expect(r.from).toBe('storage');
    expect(r.state.inputs.keys).toBe('mine:{1}\nmine:{2}');
    saveState(s, exampleState());
    expect((await initialState({ hash: '' }, s)).from).toBe('example');
  });

  it('storage that throws or holds garbage: the example, never an exception', async () => {
    expect((await initialState({ hash: '' }, storage({}, true))).from).toBe('example');
    expect((await initialState({ hash: '' }, storage({ [STORAGE_KEY]: '{not json' }))).from).toBe('example');
    expect((await initialState({ hash: '' }, null)).from).toBe('example');
    expect(saveState(storage({}, true), edited())).toBe(false);
  });
});

async function deflate(text: string): Promise<Uint8Array> {
  const { deflateRawSync } = await import('node:zlib');
  return deflateRawSync(Buffer.from(text));
}
