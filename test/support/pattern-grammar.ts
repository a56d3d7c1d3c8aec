import { rng } from './generate.ts';

/**
 * Random key patterns that stress the reasoning: literal braces and brace soup around placeholders,
 * placeholders of every type (str may hold braces, line feeds or nothing; the enumeration has a value
 * with braces and an empty one), shared names across the patterns of a group.
 */
export const NAME_TYPES: Record<string, string> = {
  u: '',
  n: ':int',
  s: ':str',
  t: ':str',
  e: ':a|{b}|',
  r: ':eu|us',
  h: ':hex2',
  d: ':date',
  w: ':word',
};

const LITERALS = ['user', ':', 'a', 'b', '{', '}', '{}', '}{', 'x', '-', 'ab', '{{', '}}', 'cart', '{x}'];

/** The pieces of one pattern over some names (each written with its type, so any subset parses alone). */
function randomPieces(rand: () => number, names: string[], maxPieces: number): string[] {
  const n = 1 + Math.floor(rand() * maxPieces);
  const pieces: string[] = [];
  for (let i = 0; i < n; i++) {
    if (rand() < 0.45 || (i === n - 1 && !pieces.some((p) => p.startsWith('<')))) {
      const name = names[Math.floor(rand() * names.length)];
      pieces.push(`<${name}${NAME_TYPES[name]}>`);
    } else pieces.push(LITERALS[Math.floor(rand() * LITERALS.length)]);
  }
  return pieces;
}

/** One pattern over some names. */
export function randomPattern(rand: () => number, names: string[], maxPieces = 7): string {
  return randomPieces(rand, names, maxPieces).join('');
}

/**
 * Groups of 2–3 patterns that share some names. Most groups are variants of one pattern — a shared
 * head (cut anywhere, even inside a brace pair) with different tails — as schemas are, so that every
 * verdict turns up often; the rest are unrelated patterns over the same names.
 */
export function patternGroups(seed: number, count: number, size = () => 2): string[][] {
  const rand = rng(seed);
  const all = Object.keys(NAME_TYPES);
  return Array.from({ length: count }, () => {
    const names = all.filter(() => rand() < 0.35);
    if (names.length === 0) names.push(all[Math.floor(rand() * all.length)]);
    const n = size();
    const r = rand();
    if (r < 0.35) return Array.from({ length: n }, () => randomPattern(rand, names));
    return variants(rand, names, n, r > 0.75);
  });
}

/**
 * Patterns with a common head and different tails; half the heads hold a hash tag around a
 * placeholder. `whole`: every variant keeps the whole head (as keys of one entity do).
 */
export function variants(rand: () => number, names: string[], n: number, whole = false): string[] {
  const ph = (name: string) => `<${name}${NAME_TYPES[name]}>`;
  const pickName = () => names[Math.floor(rand() * names.length)];
  const base = randomPieces(rand, names, whole ? 3 : 5);
  if (whole || rand() < 0.5) base.splice(Math.floor(rand() * (base.length + 1)), 0, '{', ph(pickName()), '}');
  return Array.from({ length: n }, () => {
    const head = base.slice(0, whole ? base.length : Math.floor(rand() * (base.length + 1))).join('');
    const tail = rand() < 0.3 ? randomPattern(rand, names, 3) : LITERALS[Math.floor(rand() * LITERALS.length)];
    // Every pattern needs a placeholder to be one.
    return /<\w/.test(head + tail) ? head + tail : head + tail + ph(names[0]);
  });
}

/** Equal-length prefixes with one CRC16 (checked by the tests that use them): keys that differ only there share a slot. */
export const CRC_TWINS: [string, string][] = [
  ['user:', 'zrem:'],
  ['anox:', 'daab:'],
  ['\0', ''],
  ['\0\0', ''],
];

/**
 * Pairs of patterns whose hashed parts differ by CRC-neutral bytes: a twin prefix in front of the
 * whole key, inside a hash tag, or before a placeholder, with equal or different tails. These once
 * crashed the reasoning ("could not find values that separate the keys"): the keys always share a
 * slot, or share it for the same reasons as without the twin.
 */
export function twinGroups(seed: number, count: number): string[][] {
  const rand = rng(seed);
  const all = Object.keys(NAME_TYPES);
  return Array.from({ length: count }, () => {
    const names = all.filter(() => rand() < 0.35);
    if (names.length === 0) names.push(all[Math.floor(rand() * all.length)]);
    const [x, y] = CRC_TWINS[Math.floor(rand() * CRC_TWINS.length)];
    const body = randomPattern(rand, names, 4);
    const tail = () => (rand() < 0.6 ? '' : LITERALS[Math.floor(rand() * LITERALS.length)]);
    const r = rand();
    if (r < 0.4) return [`${x}${body}`, `${y}${body}${rand() < 0.7 ? '' : tail()}`];
    const ph = `<${names[0]}${NAME_TYPES[names[0]]}>`;
    if (r < 0.7) return [`${tail()}{${x}${ph}}${body}`, `${tail()}{${y}${ph}}${body}`];
    return [`${body}${x}${ph}${tail()}`, `${body}${y}${ph}${tail()}`];
  });
}
