/**
 * Random PCRE rules from a grammar of the features our engine supports, each with a `tag` group, for
 * differential fuzzing against pcre2test. Small alphabets make matches (and corner cases) likely.
 */
export function randomRule(rand: () => number): string {
  const pick = <T>(xs: T[]): T => xs[Math.floor(rand() * xs.length)];
  const atoms = ['a', 'b', '\\{', '\\}', '.', '[ab]', '[^a]', '[a-c{]', '\\d', '\\w', '\\s', '\\W', ':', 'x', '\\n', '\\r', '\\xff', '(?:)'];
  const assertions = ['^', '$', '\\b', '\\B', '\\z', '\\Z', '\\A'];
  const quants = ['*', '+', '?', '*?', '+?', '??', '{2}', '{0,2}', '{1,}', '{1,3}?', '{0}'];
  let tagUsed = false;
  const expr = (depth: number): string => {
    const n = 1 + Math.floor(rand() * 3);
    let s = '';
    for (let i = 0; i < n; i++) {
      const r = rand();
      let item: string;
      if (depth < 3 && r < 0.3) {
        const inner = rand() < 0.4 ? `${expr(depth + 1)}|${expr(depth + 1)}` : expr(depth + 1);
        if (!tagUsed && rand() < 0.5) {
          tagUsed = true;
          item = `(?<tag>${inner})`;
        } else item = rand() < 0.5 ? `(?:${inner})` : `(${inner})`;
      } else if (r < 0.38) item = pick(assertions);
      else item = pick(atoms);
      if (!pick(assertions).includes(item) && rand() < 0.4 && !assertions.includes(item)) item += pick(quants);
      s += item;
    }
    return s;
  };
  let body = expr(0);
  if (!tagUsed) body = rand() < 0.5 ? `(?<tag>${body})` : `${body}(?<tag>${pick(atoms)}*)`;
  const flags = rand() < 0.15 ? pick(['(?i)', '(?s)', '(?m)', '(?U)', '(?ims)']) : '';
  return flags + body;
}

/** Keys over the same small alphabet. */
export function fuzzKey(rand: () => number): Uint8Array {
  const alphabet = [0x61, 0x62, 0x7b, 0x7d, 0x3a, 0x78, 0x0a, 0x0d, 0x31, 0x20, 0xff, 0x41, 0x5f];
  const n = Math.floor(rand() * 9);
  const out = new Uint8Array(n);
  for (let i = 0; i < n; i++) out[i] = alphabet[Math.floor(rand() * alphabet.length)];
  return out;
}
