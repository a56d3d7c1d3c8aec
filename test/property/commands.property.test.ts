import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  analyzeCommands,
  createBytecodeEngine,
  createCustomPolicy,
  keyAt,
  newSpan,
  parseKeyList,
  parseRules,
  quote,
  redisPolicy,
  standardPolicy,
  TARGETS,
  tokenizeCommands,
  utf8,
  type Policy,
} from '../../src/core/index.ts';
import { splitArgs } from '../../src/core/commands/tokenize.ts';
import { anyBytes, editorLength, hex, hostileBytes, opts, splitLinesLF, wellFormedText } from './support.ts';
import { concatBytes } from '../../src/core/bytes.ts';

const enc = new TextEncoder();
const VERDICTS = ['ok', 'crossslot', 'no-keys', 'error'];

const customPolicy = createCustomPolicy(parseRules('(?<tag>user:\\d+):.*\nbull:\\{(?<tag>[^}]+)\\}:.*\n.*\\{(?<tag>.*)\\}.*'), createBytecodeEngine());
const customImplicit = createCustomPolicy(parseRules('(?<tag>[^:]+):.*'), createBytecodeEngine(), { implicitShardKey: true });
const policies: [string, Policy][] = [
  ['redis', redisPolicy],
  ['standard', standardPolicy],
  ['custom', customPolicy],
  ['custom-implicit', customImplicit],
];

/** C isspace: what redis-cli skips between arguments. */
const isSpace = (c: number) => c === 0x20 || (c >= 0x09 && c <= 0x0d);

/** A line is blank for the tokenizer when nothing but blanks comes before its first NUL. */
function isBlank(line: Uint8Array): boolean {
  const nul = line.indexOf(0);
  const end = nul < 0 ? line.length : nul;
  for (let i = 0; i < end; i++) if (!isSpace(line[i])) return false;
  return true;
}

// ------------------------------------------------------------------------------------------------
// Generators

const NAMES = [
  'GET',
  'SET',
  'MGET',
  'MSET',
  'DEL',
  'EXISTS',
  'UNLINK',
  'TOUCH',
  'EVAL',
  'EVALSHA',
  'EVAL_RO',
  'FCALL',
  'SORT',
  'SORT_RO',
  'BY',
  'STORE',
  'LIMIT',
  'XREAD',
  'XREADGROUP',
  'GROUP',
  'STREAMS',
  'COUNT',
  'OBJECT',
  'ENCODING',
  'MIGRATE',
  'KEYS',
  'GEORADIUS',
  'SUNIONSTORE',
  'ZUNIONSTORE',
  'WEIGHTS',
  'LMPOP',
  'BLMPOP',
  'LEFT',
  'MULTI',
  'EXEC',
  'DISCARD',
  'WATCH',
  'UNWATCH',
  'SPUBLISH',
  'SSUBSCRIBE',
  'CLIENT',
  'CONFIG',
  'PING',
  'COMMAND',
  'GETKEYS',
  'XADD',
  'BITOP',
  'AND',
  'SCAN',
  'RENAME',
  'COPY',
  'LMOVE',
  'mget',
  'multi',
  'exec',
  'OK',
  'QUEUED',
  '(integer)',
  '(nil)',
  '(error)',
  '1)',
  '2)',
  '1#',
  '=>',
  'used_memory:1',
  'Error:',
  '(0.53s)',
  '#',
  'NOSUCHCMD',
];
const ARGS = [
  'user:1000',
  'user:1000:cart',
  '{user:1000}:a',
  '{user:1000}:b',
  'bull:{emails}:1',
  '{a}',
  '{}',
  '{',
  '}',
  'a{b}c',
  'x',
  'k',
  '*',
  '0',
  '1',
  '2',
  '3',
  '-1',
  '$',
  '>',
  'nosort',
  '99999999999999999999',
  'weight_*',
  '#',
  '->',
  'v',
  "\"return redis.call('GET', 'lit')\"",
  '\'return redis.call("SET", KEYS[1], "x")\'',
  '"a b"',
  "'c d'",
  '"\\xff\\x00"',
  '""',
  "''",
];
const PREFIXES = [
  '',
  '',
  '',
  '',
  '127.0.0.1:6379> ',
  '127.0.0.1:6379[1](TX)> ',
  '[::1]:7000> ',
  'not connected> ',
  'redis /tmp/r.sock> ',
  'localhost:6379(subscribed mode)> ',
  '1700000000.123456 [0 127.0.0.1:6379] ',
  '1700000000.1 [3 lua] ',
  '# ',
  '  ',
  '\t',
];

const token: fc.Arbitrary<Uint8Array> = fc.oneof(
  { arbitrary: fc.constantFrom(...NAMES).map((s) => enc.encode(s)), weight: 4 },
  { arbitrary: fc.constantFrom(...ARGS).map((s) => enc.encode(s)), weight: 4 },
  { arbitrary: hostileBytes(6).map((b) => utf8(quote(b))), weight: 1 },
  { arbitrary: hostileBytes(6), weight: 2 },
);
const SEP = fc.constantFrom(' ', ' ', ' ', '  ', '\t', '\v', '\f', '\r').map((s) => enc.encode(s));
/** Real command names, most lines start with one (so the analysis goes past "unknown command"). */
const COMMANDS = [
  'GET',
  'SET',
  'MGET',
  'MSET',
  'DEL',
  'EXISTS',
  'TOUCH',
  'UNLINK',
  'EVAL',
  'EVAL_RO',
  'FCALL',
  'SORT',
  'XREAD',
  'OBJECT',
  'MIGRATE',
  'GEORADIUS',
  'SUNIONSTORE',
  'ZUNIONSTORE',
  'LMPOP',
  'RENAME',
  'COPY',
  'LMOVE',
  'SPUBLISH',
  'WATCH',
  'PING',
  'mget',
  'MULTI',
  'EXEC',
  'DISCARD',
  'MULTI',
  'EXEC',
];
const first = fc.oneof({ arbitrary: fc.constantFrom(...COMMANDS).map((s) => enc.encode(s)), weight: 4 }, { arbitrary: token, weight: 1 });
const structuredLine = fc
  .tuple(fc.constantFrom(...PREFIXES), first, fc.array(fc.tuple(SEP, token), { maxLength: 6 }), fc.constantFrom('', '', '', ' ', '\r', '\x00junk'))
  .map(([prefix, name, parts, tail]) => {
    const bytes: Uint8Array[] = [enc.encode(prefix), name];
    for (const [s, t] of parts) bytes.push(s, t);
    bytes.push(enc.encode(tail));
    return concatBytes(bytes);
  });
const structuredInput = fc
  .array(structuredLine, { maxLength: 10 })
  .chain((lines) => fc.constantFrom('\n', '\r\n').map((nl) => concatBytes(lines.flatMap((l, i) => (i ? [enc.encode(nl), l] : [l])))));
/** Well-formed commands (K = a key) in session-like scripts: transactions, WATCH, scripts, SORT, XREAD. */
const TEMPLATES = [
  'MULTI',
  'EXEC',
  'DISCARD',
  'MULTI',
  'EXEC',
  'WATCH K',
  'WATCH K K',
  'GET K',
  'SET K v',
  'MGET K K',
  'MGET K K K',
  'MSET K 1 K 2',
  'DEL K K',
  'EXISTS K K',
  'TOUCH K K',
  'UNLINK K',
  'RENAME K K',
  'LMOVE K K LEFT RIGHT',
  'SUNIONSTORE K K K',
  'ZUNIONSTORE K 2 K K',
  'EVAL "return redis.call(\'GET\', KEYS[1])" 1 K',
  "EVAL \"return redis.call('GET', 'lit')\" 0",
  'FCALL f 2 K K',
  'SORT K BY w_* GET # STORE K',
  'SORT K BY nosort',
  'XREAD COUNT 2 STREAMS K K 0 0',
  'OBJECT ENCODING K',
  'SPUBLISH K msg',
  'LMPOP 2 K K LEFT',
  'PING',
  'GET',
  'MULTI x',
];
const keyToken = fc.oneof(
  {
    arbitrary: fc.constantFrom(
      'user:1000:a',
      'user:1000:b',
      '{user:1000}:a',
      '{user:1000}:b',
      'bull:{q}:1',
      'bull:{q}:2',
      '{}',
      'a{b}c',
      'x',
      'y',
      '{x}1',
      '{x}2',
    ),
    weight: 3,
  },
  { arbitrary: hostileBytes(8).map((b) => quote(b)), weight: 1 },
);
const scriptLine = fc.tuple(fc.constantFrom(...TEMPLATES), fc.array(keyToken, { minLength: 3, maxLength: 3 })).map(([t, ks]) => {
  let k = 0;
  return t.replace(/K/g, () => ks[k++ % ks.length]);
});
const scriptInput = fc.array(scriptLine, { maxLength: 12 }).map((ls) => utf8(ls.join('\n')));
const commandInput = fc.oneof(structuredInput, scriptInput, anyBytes(100));

// ------------------------------------------------------------------------------------------------

describe('property: commands (tokenizeCommands + analyzeCommands)', () => {
  it('tokenizeCommands never throws; lines are non-blank input lines, in order; spans and diagnostics within their lines', () => {
    fc.assert(
      fc.property(commandInput, (input) => {
        const { lines, diagnostics } = tokenizeCommands(input);
        const src = splitLinesLF(input);
        let prev = 0;
        for (const l of lines) {
          expect(l.line).toBeGreaterThan(prev);
          prev = l.line;
          expect(l.line).toBeLessThanOrEqual(src.length);
          const text = src[l.line - 1];
          expect(isBlank(text)).toBe(false);
          expect(l.spans.length).toBe(l.args.length);
          if (l.kind === 'comment' || l.invalid) expect(l.args.length).toBe(0);
          else expect(l.args.length).toBeGreaterThan(0);
          const width = editorLength(text) + 1;
          for (const [a, b] of l.spans) {
            expect(a).toBeGreaterThanOrEqual(1);
            expect(b).toBeGreaterThan(a);
            expect(b).toBeLessThanOrEqual(width);
          }
        }
        for (const d of diagnostics) {
          expect(d.line).toBeGreaterThanOrEqual(1);
          expect(d.line).toBeLessThanOrEqual(src.length);
          expect(d.column).toBeGreaterThanOrEqual(1);
          expect(d.endColumn).toBeGreaterThan(d.column);
          expect(d.endColumn).toBeLessThanOrEqual(editorLength(src[d.line - 1]) + 1);
        }
      }),
      opts(1000),
    );
  });

  it('without prompts (no ">" anywhere), every non-blank line gives exactly one line, hence one report', () => {
    fc.assert(
      fc.property(
        commandInput.filter((b) => !b.includes(0x3e)),
        (input) => {
          const { lines } = tokenizeCommands(input);
          const expected = splitLinesLF(input)
            .map((l, n) => ({ l, n: n + 1 }))
            .filter((x) => !isBlank(x.l))
            .map((x) => x.n);
          expect(lines.map((l) => l.line)).toEqual(expected);
          expect(analyzeCommands(lines, redisPolicy).reports.map((r) => r.line)).toEqual(expected);
        },
      ),
      opts(1000),
    );
  });

  it('analyzeCommands never throws: one report per line, a known verdict for every target, consistent with the slots', () => {
    fc.assert(
      fc.property(commandInput, fc.constantFrom(...policies), (input, [, policy]) => {
        const tokens = tokenizeCommands(input);
        const { reports, diagnostics } = analyzeCommands(tokens.lines, policy);
        expect(reports.length).toBe(tokens.lines.length);
        const lineCount = splitLinesLF(input).length;
        reports.forEach((r, i) => {
          const cl = tokens.lines[i];
          expect(r.line).toBe(cl.line);
          expect(r.kind).toBe(cl.kind);
          expect(Object.keys(r.verdicts).sort()).toEqual([...TARGETS].sort());
          for (const t of TARGETS) {
            expect(VERDICTS).toContain(r.verdicts[t].verdict);
            expect(typeof r.verdicts[t].reason).toBe('string');
          }
          expect(r.slots.length).toBe(r.keys.length);
          for (const s of r.slots) expect(Number.isInteger(s) && s <= 16383).toBe(true);
          if (r.kind === 'comment') for (const t of TARGETS) expect(r.verdicts[t].verdict).toBe('no-keys');
          const placed = r.slots.filter((s) => s >= 0);
          for (const t of TARGETS) {
            const v = r.verdicts[t].verdict;
            if (v === 'crossslot') expect(new Set(placed).size).toBeGreaterThan(1);
            if (v === 'no-keys' && r.kind === 'command' && !r.transaction) expect(r.keys.length).toBe(0);
            if (v === 'ok' && t === 'oss-cluster') expect(new Set(r.slots).size).toBeLessThanOrEqual(1);
          }
          if (r.suggestion) {
            // A suggestion is verified under the policy: read back as key-list lines, its keys share one slot.
            expect(r.verdicts['oss-cluster'].verdict).toBe('crossslot');
            expect(r.suggestion.length).toBe(r.keys.length);
            const list = parseKeyList(utf8(r.suggestion.join('\n')));
            expect(list.count).toBe(r.suggestion.length);
            const span = newSpan();
            const slots = new Set(Array.from({ length: list.count }, (_, k) => policy.locate(list.bytes, list.offsets[k], list.offsets[k + 1], span)));
            expect(slots.size).toBe(1);
            expect([...slots][0]).toBeGreaterThanOrEqual(0);
          }
          if (r.transaction) {
            expect(r.transaction.from).toBeLessThanOrEqual(r.transaction.to);
            expect(r.transaction.to).toBe(r.line);
          }
        });
        for (const d of diagnostics) {
          expect(d.line).toBeGreaterThanOrEqual(1);
          expect(d.line).toBeLessThanOrEqual(lineCount);
          expect(d.endColumn).toBeGreaterThan(d.column);
        }
      }),
      opts(800),
    );
  });

  it("report keys are the display form of the command's key arguments: read back, each hashes to its slot", () => {
    fc.assert(
      fc.property(fc.oneof(structuredInput, scriptInput), fc.constantFrom(...policies), (input, [, policy]) => {
        const tokens = tokenizeCommands(input);
        const { reports } = analyzeCommands(tokens.lines, policy);
        const span = newSpan();
        reports.forEach((r, i) => {
          if (r.transaction || r.keys.length === 0) return;
          const list = parseKeyList(utf8(r.keys.join('\n')));
          expect(list.count).toBe(r.keys.length);
          r.keys.forEach((_, k) => {
            const key = keyAt(list, k);
            expect(tokens.lines[i].args.some((a) => hex(a) === hex(key))).toBe(true);
            expect(policy.locate(key, 0, key.length, span)).toBe(r.slots[k]);
          });
        });
      }),
      opts(500),
    );
  });
});

describe('property: splitArgs / tokenizeCommands round trips', () => {
  const args = fc.array(anyBytes(20), { maxLength: 8 });
  const blanks = fc.array(fc.constantFrom(' ', '\t', '\n', '\v', '\f', '\r'), { minLength: 1, maxLength: 3 }).map((xs) => xs.join(''));

  it('quote(arg) for each arg, joined with any isspace run, splits back into the same args (splitArgs)', () => {
    fc.assert(
      fc.property(args, blanks, fc.constantFrom('', ' ', '\t\r'), (xs, sep, edge) => {
        const line = utf8(edge + xs.map((a) => quote(a)).join(sep) + edge);
        const r = splitArgs(line);
        expect(r.ok).toBe(true);
        if (!r.ok) return;
        expect(r.args.map(hex)).toEqual(xs.map(hex));
      }),
      opts(1000),
    );
  });

  const lineBlanks = fc.array(fc.constantFrom(' ', '\t', '\v', '\f'), { minLength: 1, maxLength: 3 }).map((xs) => xs.join(''));
  const forms: [string, string, 'cli' | 'prompt' | 'monitor'][] = [
    ['plain', '', 'cli'],
    ['prompt', '127.0.0.1:6379> ', 'prompt'],
    ['monitor', '1700000000.123456 [0 127.0.0.1:6379] ', 'monitor'],
  ];

  it('a redis-cli quoted line (plain, after a prompt, or as MONITOR prints it) tokenizes back to the same args', () => {
    fc.assert(
      fc.property(
        fc.array(anyBytes(20), { minLength: 1, maxLength: 6 }),
        lineBlanks,
        fc.constantFrom(...forms),
        fc.boolean(),
        (xs, sep, [, prefix, source], crlf) => {
          const text = prefix + xs.map((a) => quote(a)).join(sep) + (crlf ? '\r\n' : '');
          const { lines, diagnostics } = tokenizeCommands(utf8(text));
          expect(diagnostics).toEqual([]);
          expect(lines.length).toBe(1);
          expect(lines[0].kind).toBe('command');
          expect(lines[0].source).toBe(source);
          expect(lines[0].args.map(hex)).toEqual(xs.map(hex));
        },
      ),
      opts(1000),
    );
  });

  it('a copied redis-cli session (prompts, commands, replies) reads back as exactly its commands; the replies are skipped', () => {
    const prompt = fc.constantFrom('127.0.0.1:6379> ', '127.0.0.1:6379[2]> ', '[::1]:7000(TX)> ', 'localhost:6380> ', 'redis /tmp/r.sock> ', 'not connected> ');
    const reply = fc.constantFrom(
      '(integer) 1',
      'OK',
      'QUEUED',
      'PONG',
      '(nil)',
      '"v"',
      '"a\\x00b"',
      '1) "a"',
      '2) "b"',
      '   3) 1) (integer) 0',
      '(error) ERR x',
      '(empty array)',
      '(empty list or set)',
      'used_memory:1',
      '(0.53s)',
      '# Server',
      '',
      'string',
      '1# "k" => "v"',
      '(true)',
      '(double) 1.5',
    );
    const session = fc.array(fc.tuple(prompt, fc.array(anyBytes(12), { minLength: 1, maxLength: 4 }), fc.array(reply, { maxLength: 4 })), { maxLength: 5 });
    fc.assert(
      fc.property(session, (steps) => {
        const text = steps.map(([p, args, replies]) => [p + args.map((a) => quote(a)).join(' '), ...replies].join('\n')).join('\n');
        const { lines } = tokenizeCommands(utf8(text));
        const commands = lines.filter((l) => l.kind === 'command');
        expect(commands.map((l) => l.args.map(hex))).toEqual(steps.map(([, args]) => args.map(hex)));
        for (const l of commands) expect(l.source).toBe('prompt');
      }),
      opts(1000),
    );
  });

  /** Unquoted words: no blanks, quotes, NUL or `>`, not starting with `#`. */
  const word = wellFormedText(6)
    .map((s) => s.replace(/[\s"'\0>]/g, ''))
    .filter((s) => s.length > 0 && !s.startsWith('#'));

  it('spans are the editor columns of each argument (UTF-16 units of the text before it)', () => {
    fc.assert(
      fc.property(fc.array(word, { minLength: 1, maxLength: 6 }), (words) => {
        const { lines } = tokenizeCommands(utf8(words.join(' ')));
        expect(lines.length).toBe(1);
        let col = 1;
        const expected = words.map((w) => {
          const span: [number, number] = [col, col + w.length];
          col += w.length + 1;
          return span;
        });
        expect(lines[0].spans).toEqual(expected);
      }),
      opts(1000),
    );
  });

  // Found by "tokenizeCommands never throws …" (minimal counterexample: the input bytes EF BB BF, one
  // line holding only U+FEFF, had the empty span [[1,1]]): Columns decodes the bytes between two
  // offsets on their own, and the decoder stripped a BOM at the start of an argument, so that argument
  // and everything after it lost a column. Fixed upstream in 14c4304 (ignoreBOM); regression tests.
  it('regression: an argument starting with U+FEFF gets the right span (input EF BB BF)', () => {
    const { lines } = tokenizeCommands(Uint8Array.of(0xef, 0xbb, 0xbf));
    expect(lines[0].spans).toEqual([[1, 2]]);
  });
  it('regression: arguments after one starting with U+FEFF keep their columns', () => {
    const { lines } = tokenizeCommands(utf8('a \ufeffb c'));
    expect(lines[0].spans).toEqual([
      [1, 2],
      [3, 5],
      [6, 7],
    ]);
  });
});
