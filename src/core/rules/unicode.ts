import { addByte, emptySet, invert, type ByteSet } from './ast.ts';

/**
 * Unicode properties of the code points 0–255, which is what `\p` and `\P` test in PCRE's 8-bit non-UTF
 * mode (a byte is the code point of the same number). The general category of each, run-length coded
 * from Unicode's data (stable for Latin-1 since Unicode 1.1; checked against pcre2test by the tests).
 */
const GC_RUNS =
  'Cc32 Zs1 Po3 Sc1 Po3 Ps1 Pe1 Po1 Sm1 Po1 Pd1 Po2 Nd10 Po2 Sm3 Po2 Lu26 Ps1 Po1 Pe1 Sk1 Pc1 Sk1 Ll26 Ps1 Sm1 Pe1 Sm1 Cc33 ' +
  'Zs1 Po1 Sc4 So1 Po1 Sk1 So1 Lo1 Pi1 Sm1 Cf1 So1 Sk1 So1 Sm1 No2 Sk1 Ll1 Po2 Sk1 No1 Lo1 Pf1 No3 Po1 Lu23 Sm1 Lu7 Ll24 Sm1 Ll8';

let categories: string[] | null = null;

function categoryOf(b: number): string {
  if (!categories) {
    categories = [];
    for (const run of GC_RUNS.split(' ')) for (let k = Number(run.slice(2)); k > 0; k--) categories.push(run.slice(0, 2));
  }
  return categories[b];
}

function setWhere(test: (b: number) => boolean): ByteSet {
  const s = emptySet();
  for (let b = 0; b < 256; b++) if (test(b)) addByte(s, b);
  return s;
}

const GENERAL = ['C', 'L', 'M', 'N', 'P', 'S', 'Z'];
const PARTICULAR = 'Cc Cf Cn Co Cs Ll Lm Lo Lt Lu Mc Me Mn Nd Nl No Pc Pd Pe Pf Pi Po Ps Sc Sk Sm So Zl Zp Zs'.split(' ');
// PCRE's own white space for Xps/Xsp: its \h and \v lists plus the Z categories.
const SPACE = new Set([0x09, 0x0a, 0x0b, 0x0c, 0x0d, 0x20, 0x85, 0xa0]);

export interface Property {
  set: ByteSet;
  /**
   * Whether PCRE's auto-possessification compares this property with a neighbouring character at all
   * (check_char_prop: not for Any, nor for Xuc).
   */
  comparable: boolean;
}

/**
 * The property `name` as written in `\p{name}` / `\pX` (negated for `\P` or `\p{^…}`), or null when this
 * tool does not know it. Names are taken exactly as PCRE1 spells them, which PCRE2 also accepts (PCRE2
 * alone also matches them loosely, so the spelling is where the two could disagree). Script names are
 * not taken: PCRE1 tests a byte's Script and PCRE2 (≥ 10.40) its Script_Extensions, which differ for
 * Latin-1 bytes such as U+00B7.
 */
export function property(name: string, negated: boolean): Property | null {
  let p: Property | null = null;
  if (GENERAL.includes(name)) p = { set: setWhere((b) => categoryOf(b)[0] === name), comparable: true };
  else if (PARTICULAR.includes(name)) p = { set: setWhere((b) => categoryOf(b) === name), comparable: true };
  else if (name === 'L&') p = { set: setWhere((b) => ['Lu', 'Ll', 'Lt'].includes(categoryOf(b))), comparable: true };
  else if (name === 'Any') p = { set: setWhere(() => true), comparable: false };
  else if (name === 'Xan') p = { set: setWhere((b) => 'LN'.includes(categoryOf(b)[0])), comparable: true };
  else if (name === 'Xps' || name === 'Xsp') p = { set: setWhere((b) => SPACE.has(b) || categoryOf(b)[0] === 'Z'), comparable: true };
  else if (name === 'Xwd') p = { set: setWhere((b) => 'LN'.includes(categoryOf(b)[0]) || b === 0x5f), comparable: true };
  // Characters a C99 universal character name may stand for: $ @ ` and U+00A0 up.
  else if (name === 'Xuc') p = { set: setWhere((b) => b === 0x24 || b === 0x40 || b === 0x60 || b >= 0xa0), comparable: false };
  if (!p) return null;
  return negated ? { set: invert(p.set), comparable: p.comparable } : p;
}

/** The names `property` knows, for messages. */
export const PROPERTY_NAMES = 'the general categories (L, Lu, Nd …), L&, Any, Xan, Xps, Xsp, Xwd and Xuc';
