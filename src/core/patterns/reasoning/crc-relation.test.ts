import { afterAll, describe, expect, it } from 'vitest';
import { latin1, utf8 } from '../../bytes.ts';
import { crc16, slotOfBytes } from '../../slots/crc16.ts';
import { relate, shift, solveLengths, LENGTH_WINDOW } from './crc-relation.ts';
import { rng } from '../../random.ts';
import { parseKeyPatterns } from '../language/parse.ts';
import { Space, type Tok } from './symbolic.ts';

/** Two patterns as token lists over one space. */
function pair(a: string, b: string) {
  const doc = parseKeyPatterns(utf8(`${a}\n${b}`));
  if (doc.diagnostics.length) throw new Error(JSON.stringify(doc.diagnostics));
  const space = new Space([...new Set(doc.patterns.flatMap((p) => p.names))], doc.schema);
  const toks = doc.patterns.map((p) => p.parts.map((q): Tok => (q.kind === 'lit' ? { lit: q.bytes } : { v: space.byName.get(q.name)! })));
  return { space, toks, doc };
}

/** The CRC register after n more zero bytes, bit by bit (the specification's loop, no tables). */
function slowShift(c: number, n: number): number {
  for (let i = 0; i < 8 * n; i++) c = (c & 0x8000 ? (c << 1) ^ 0x1021 : c << 1) & 0xffff;
  return c;
}

describe('shifting a CRC by zero bytes', () => {
  it('is a table lookup that agrees with running the CRC, for any length', () => {
    const rand = rng(3);
    for (let i = 0; i < 12; i++) {
      const c = Math.floor(rand() * 65536);
      for (const n of [0, 1, 7, 200, 32767, 40000]) expect(shift(c, n)).toBe(slowShift(c, n));
    }
  });
});

describe('relate: literal terms shifted by the same lengths add up before anything is decided', () => {
  it('equal-length prefixes with one CRC cancel: user:<uid> and zrem:<uid> always share a slot', () => {
    expect(crc16(utf8('user:'))).toBe(crc16(utf8('zrem:')));
    for (const [a, b] of [
      ['user:<uid>', 'zrem:<uid>'],
      ['anox:<x:str>:<y:int>', 'daab:<x:str>:<y:int>'],
      ['\0<c>', '<c>'],
      ['\0\0<s:str>', '<s:str>'],
    ]) {
      const { space, toks } = pair(a, b);
      expect([a, b, relate(space, toks[0], toks[1]).kind]).toEqual([a, b, 'same']);
    }
  });
});

describe('solveLengths agrees with brute force over every length up to the window', () => {
  // Keys L0 <a> L1 <b> L2 vs M0 <a> M1 <b> M2, |Li| = |Mi| for i > 0: every variable cancels, and the
  // slot difference depends on <a>+<b> (what follows L0/M0) and <b> (what follows L1/M1).
  const rand = rng(11);
  const word = (n: number) => Array.from({ length: n }, () => 'abcxyz:!'[Math.floor(rand() * 8)]).join('');
  // Found by search: one of each shape with a collision in the window.
  const cases: [string, string][] = [
    ['xc<a:int>:<b:int>', 'a<a:int>:<b:int>'],
    ['<a:int>ac<b:int>', '<a:int>xy<b:int>'],
    ['a<a:int>a<b:int>', 'b<a:int>z<b:int>'],
  ];
  while (cases.length < 40) {
    const l = [word(Math.floor(rand() * 4)), word(Math.floor(rand() * 3)), word(Math.floor(rand() * 3))];
    const m = [word(Math.floor(rand() * 4)), rand() < 0.5 ? l[1] : word(l[1].length), rand() < 0.5 ? l[2] : word(l[2].length)];
    cases.push([`${l[0]}<a:int>${l[1]}<b:int>${l[2]}`, `${m[0]}<a:int>${m[1]}<b:int>${m[2]}`]);
  }
  const kinds: string[] = [];
  afterAll(() => {
    // The cases must exercise each shape of the difference.
    expect(new Set(kinds)).toEqual(new Set(['a+b b: some', 'a+b b: none', 'a+b: some', 'a+b: none', 'b: some', 'b: none']));
  });
  it.each(cases)('%s vs %s', (a, b) => {
    const { space, toks, doc } = pair(a, b);
    const r = relate(space, toks[0], toks[1]);
    const slotOf = (k: number, la: number, lb: number) =>
      slotOfBytes(utf8(doc.patterns[k].parts.map((p) => (p.kind === 'lit' ? latin1(p.bytes) : p.name === 'a' ? '1'.repeat(la) : '2'.repeat(lb))).join('')));
    // Distinct hits as (<a>+<b>, <b>): what the difference depends on.
    const hits = new Set<string>();
    let tried = 0;
    for (let la = 1; la <= LENGTH_WINDOW; la++) {
      for (let lb = 1; lb <= LENGTH_WINDOW; lb++) {
        tried++;
        if (slotOf(0, la, lb) === slotOf(1, la, lb)) hits.add(`${la + lb},${lb}`);
      }
    }
    if (r.kind === 'same') return expect(hits.size).toBe(tried);
    if (r.kind === 'different') return expect(hits.size).toBe(0);
    expect(r.kind).toBe('lengths');
    if (r.kind !== 'lengths') return;
    const forms = r.diff.groups
      .map((g) =>
        [...g.form.keys()]
          .map((v) => space.vars[v].name)
          .sort()
          .join('+'),
      )
      .sort();
    const s = solveLengths(space, [r.diff]);
    kinds.push(`${forms.join(' ')}: ${s.kind}`);
    if (hits.size === 0) return expect(s).toEqual({ kind: 'none', exact: false });
    expect(s.kind).toBe('some');
    if (s.kind !== 'some') return;
    const lengthsOf = (m: Map<number, number>) => [m.get(space.byName.get('a')!)!, m.get(space.byName.get('b')!)!];
    const [ha, hb] = lengthsOf(s.hit);
    expect(slotOf(0, ha, hb)).toBe(slotOf(1, ha, hb));
    const [ma, mb] = lengthsOf(s.miss!);
    expect(slotOf(0, ma, mb)).not.toBe(slotOf(1, ma, mb));
    // Hits are counted as the distinct lengths the difference depends on: <a>+<b> and <b>, or one of them.
    const project = (h: string) => (forms.length === 2 ? h : forms[0] === 'a+b' ? h.split(',')[0] : h.split(',')[1]);
    expect(s.hits).toBe(new Set([...hits].map(project)).size);
    expect(s.condition.text).toMatch(
      forms.length === 2 ? /^\(<a>, <b>\) are \(|^<a> is \d+ bytes? long and <b> is / : forms[0] === 'a+b' ? /^<a>\+<b> together are / : /^<b> is /,
    );
  });
});
