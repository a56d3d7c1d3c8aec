/**
 * Random PCRE rules from a grammar of the features our engine supports, each with a `tag` group, for
 * differential fuzzing against pcre2test. Small alphabets make matches (and corner cases) likely.
 */
export function randomRule(rand: () => number): string {
  const pick = <T>(xs: T[]): T => xs[Math.floor(rand() * xs.length)];
  // Issue 20's constructs are in: the types PCRE's auto-possessification misjudges, properties, \\X, \\R,
  // \\N{n}, word-boundary classes, callouts, possessive and long counted repeats, start-of-pattern settings.
  const atoms = ['a', 'b', '\\{', '\\}', '.', '[ab]', '[^a]', '[a-c{]', '\\d', '\\w', '\\s', '\\W', ':', 'x', '\\n', '\\r', '\\xff', '(?:)'];
  atoms.push('\\R', '\\X', '\\h', '\\H', '\\v', '\\V', '\\S', '\\N', '\\N{2}', '\\C', '\\x85', '\\xa0', '\\pL', '\\p{Xsp}', '\\PN', '[\\pL:]');
  atoms.push('[[:<:]]', '[[:>:]]', '(?C1)', '[[:alpha:]]');
  const assertions = ['^', '$', '\\b', '\\B', '\\z', '\\Z', '\\A'];
  const quants = ['*', '+', '?', '*?', '+?', '??', '{2}', '{0,2}', '{1,}', '{1,3}?', '{0}', '*+', '++', '?+', '{0,70}', '{2,}'];
  let tagUsed = false;
  const expr = (depth: number): string => {
    const n = 1 + Math.floor(rand() * 3);
    let s = '';
    for (let i = 0; i < n; i++) {
      const r = rand();
      let item: string;
      let group = false;
      if (depth < 3 && r < 0.3) {
        const inner = rand() < 0.4 ? `${expr(depth + 1)}|${expr(depth + 1)}` : expr(depth + 1);
        group = true;
        if (!tagUsed && rand() < 0.5) {
          tagUsed = true;
          item = `(?<tag>${inner})`;
        } else item = pick([`(?:${inner})`, `(${inner})`, `(?|${inner})`]);
      } else if (r < 0.38) item = pick(assertions);
      else item = pick(atoms);
      // Groups take no possessive quantifier (an atomic group), nor do callouts or word-boundary classes any.
      const quantifiable = !assertions.includes(item) && item !== '(?C1)' && item !== '\\N{2}';
      const plainOnly = group || item === '(?:)' || item.startsWith('[[:<') || item.startsWith('[[:>');
      // Long counts on groups only make the rule too large for PCRE's compiled-size limit, which is not modelled.
      if (quantifiable && rand() < 0.4) item += pick(plainOnly ? quants.filter((q) => (!q.endsWith('+') || q === '+') && q !== '{0,70}') : quants);
      s += item;
    }
    return s;
  };
  let body = expr(0);
  if (!tagUsed) body = rand() < 0.5 ? `(?<tag>${body})` : `${body}(?<tag>${pick(atoms.filter((x) => x !== '(?C1)' && x !== '\\N{2}' && x !== '(?:)'))}*)`;
  const flags = rand() < 0.15 ? pick(['(?i)', '(?s)', '(?m)', '(?U)', '(?ims)']) : '';
  const settings = ['(*CR)', '(*CRLF)', '(*ANYCRLF)', '(*ANY)', '(*NUL)', '(*BSR_ANYCRLF)', '(*NO_AUTO_POSSESS)', '(*NOTEMPTY)', '(*NO_START_OPT)'];
  const start = rand() < 0.15 ? pick(settings) : '';
  return start + flags + body;
}

/** Keys over the same small alphabet. */
export function fuzzKey(rand: () => number): Uint8Array {
  const alphabet = [0x61, 0x62, 0x7b, 0x7d, 0x3a, 0x78, 0x0a, 0x0d, 0x31, 0x20, 0xff, 0x41, 0x5f, 0x85, 0xa0, 0x09, 0x0b, 0x00];
  const n = Math.floor(rand() * 9);
  const out = new Uint8Array(n);
  for (let i = 0; i < n; i++) out[i] = alphabet[Math.floor(rand() * alphabet.length)];
  return out;
}
