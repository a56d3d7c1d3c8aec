import { describe, expect, it } from 'vitest';
import { latin1, utf8 } from '../../bytes.ts';
import { keyAt } from '../../input/keylist.ts';
import { rng } from '../../random.ts';
import { drawValue, edgeValues, expandKeyList, instantiate, sampleBindings, sampleValue } from './expand.ts';
import { parseKeyPatterns, parsePatternSyntax } from './parse.ts';
import { acceptsValue, typeName, type PlaceholderType } from './types.ts';

const TYPES: PlaceholderType[] = [
  { kind: 'int' },
  { kind: 'word' },
  { kind: 'str' },
  { kind: 'uuid' },
  { kind: 'date' },
  { kind: 'hex', length: 1 },
  { kind: 'hex', length: 32 },
  { kind: 'enum', values: [utf8('eu'), utf8('us'), utf8('')] },
];

describe('samplers', () => {
  it.each(TYPES.map((t) => [typeName(t), t] as const))('%s: typical, edge and adversarial values are all of the type', (_, t) => {
    const rand = rng(7);
    const values = [
      ...Array.from({ length: 300 }, () => sampleValue(t, rand)),
      ...edgeValues(t),
      ...Array.from({ length: 300 }, () => drawValue(t, rand, true)),
    ];
    expect(values.filter((v) => !acceptsValue(t, v)).map((v) => latin1(v))).toEqual([]);
  });
  it('values of a requested length have it', () => {
    const rand = rng(3);
    for (const t of [{ kind: 'int' }, { kind: 'word' }, { kind: 'str' }] as PlaceholderType[]) {
      for (const n of [1, 2, 9, 40]) expect(sampleValue(t, rand, n).length).toBe(n);
    }
  });
  it('edge values of str hold what changes hashing: nothing, braces, line feeds', () => {
    const edges = edgeValues({ kind: 'str' }).map((v) => latin1(v));
    expect(edges).toEqual(expect.arrayContaining(['', '{', '}', '{}', '{x}', '\n', 'a}b']));
  });
  it('typical word values include digits-only and non-ASCII ones (custom rules test \\d and [a-z])', () => {
    const rand = rng(11);
    const words = Array.from({ length: 400 }, () => latin1(sampleValue({ kind: 'word' }, rand)));
    expect(words.some((w) => /^\d+$/.test(w))).toBe(true);
    expect(words.some((w) => /^[a-z]+$/.test(w))).toBe(true);
    expect(words.some((w) => /[\x80-\xff]/.test(w))).toBe(true);
  });
  it('bindings are deterministic, share a name across patterns, and keep different names apart', () => {
    const schema = new Map<string, PlaceholderType>([
      ['uid', { kind: 'int' }],
      ['oid', { kind: 'int' }],
    ]);
    const a = sampleBindings(['uid', 'oid'], schema, { count: 200, seed: 5, adversarial: 0.5 });
    const b = sampleBindings(['uid', 'oid'], schema, { count: 200, seed: 5, adversarial: 0.5 });
    expect(a.map((x) => [...x].map(([k, v]) => k + latin1(v)))).toEqual(b.map((x) => [...x].map(([k, v]) => k + latin1(v))));
    expect(a.filter((x) => latin1(x.get('uid')!) === latin1(x.get('oid')!))).toEqual([]);
    const cart = parsePatternSyntax(utf8('user:{<uid>}:cart')).parts;
    const orders = parsePatternSyntax(utf8('user:{<uid>}:orders')).parts;
    expect(latin1(instantiate(cart, a[0])).replace('cart', '')).toBe(latin1(instantiate(orders, a[0])).replace('orders', ''));
  });
});

describe('expandKeyList', () => {
  it('replaces each pattern line by its samples, in input order, with the pattern line number', () => {
    const doc = parseKeyPatterns(utf8('first\nuser:{<uid:int>}:cart\n"q"\ngeo:<r:eu|us>\nbad:<x:nope>\nlast'));
    const { list, pattern } = expandKeyList(doc, { samples: 5 });
    const keys = Array.from({ length: list.count }, (_, i) => latin1(keyAt(list, i)));
    expect(keys[0]).toBe('first');
    expect(keys.slice(1, 6).every((k) => /^user:\{\d+\}:cart$/.test(k))).toBe(true);
    expect(keys.slice(6)).toEqual(['q', ...keys.slice(7, 9), 'last']);
    // Two enumeration values: duplicates are dropped.
    expect(keys.slice(7, 9).sort()).toEqual(['geo:eu', 'geo:us']);
    expect(Array.from(list.lines)).toEqual([1, 2, 2, 2, 2, 2, 3, 4, 4, 6]);
    expect(Array.from(pattern)).toEqual([-1, 0, 0, 0, 0, 0, -1, 1, 1, -1]);
    expect(Array.from(list.quoted)).toEqual([0, 0, 0, 0, 0, 0, 1, 0, 0, 0]);
  });
  it('is deterministic for a seed and follows the sample count', () => {
    const doc = parseKeyPatterns(utf8('s:<sid:hex32>'));
    const a = expandKeyList(doc, { samples: 40, seed: 9 });
    expect(a.list.count).toBe(40);
    expect(latin1(a.list.bytes)).toBe(latin1(expandKeyList(doc, { samples: 40, seed: 9 }).list.bytes));
    expect(latin1(a.list.bytes)).not.toBe(latin1(expandKeyList(doc, { samples: 40, seed: 10 }).list.bytes));
  });
});
