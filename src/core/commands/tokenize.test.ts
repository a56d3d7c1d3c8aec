import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fromLatin1, latin1, utf8 } from '../bytes.ts';
import { commandName, splitArgs, tokenizeCommands, type CommandLine } from './tokenize.ts';
import { rng as prng } from '../random.ts';

const tok = (text: string | Uint8Array) => tokenizeCommands(typeof text === 'string' ? utf8(text) : text);
/** Args of every entry as latin1 strings (one char per byte), so binary is easy to write down. */
const args = (text: string | Uint8Array) => tok(text).lines.map((l) => l.args.map((a) => latin1(a)));
/** Args of a single-line input. */
const one = (text: string | Uint8Array) => {
  const r = tok(text);
  expect(r.lines).toHaveLength(1);
  return r.lines[0].args.map((a) => latin1(a));
};
const codes = (text: string | Uint8Array) => tok(text).diagnostics.map((d) => d.code);
/** The single error of a single-line input: [code, column, endColumn]. */
const error = (text: string) => {
  const r = tok(text);
  expect(r.lines).toHaveLength(1);
  expect(r.lines[0]).toMatchObject({ kind: 'command', args: [], spans: [], invalid: true });
  const errors = r.diagnostics.filter((d) => d.severity === 'error');
  expect(errors).toHaveLength(1);
  return [errors[0].code, errors[0].column, errors[0].endColumn];
};
const u = (s: string) => latin1(utf8(s));

describe('redis-cli syntax (sdssplitargs)', () => {
  it('splits plain arguments and reports their columns', () => {
    const r = tok('SET user:1 hello');
    expect(r.diagnostics).toEqual([]);
    expect(r.lines).toEqual([
      {
        line: 1,
        kind: 'command',
        args: [utf8('SET'), utf8('user:1'), utf8('hello')],
        spans: [
          [1, 4],
          [5, 11],
          [12, 17],
        ],
        source: 'cli',
      },
    ]);
  });

  it('separates on any amount of spaces and tabs, and skips every isspace blank between args', () => {
    expect(one('  GET \t\t  k   ')).toEqual(['GET', 'k']);
    expect(tok('  GET \t\t  k   ').lines[0].spans).toEqual([
      [3, 6],
      [11, 12],
    ]);
    // \v and \f are skipped as blanks before an argument but do not end an unquoted one; \r does.
    expect(one('\v\fa\vb c\rd')).toEqual(['a\vb', 'c', 'd']);
  });

  it('decodes every double-quote escape, binary included', () => {
    expect(one('SET "\\x00\\xff\\x41\\xaB" "\\n\\r\\t\\b\\a\\"\\\\"')).toEqual(['SET', '\x00\xff\x41\xab', '\n\r\t\b\x07"\\']);
    expect(one('"a b"  "c\td"')).toEqual(['a b', 'c\td']);
  });

  it('passes unknown escapes and incomplete \\x through like redis (no bad-escape)', () => {
    expect(one('"\\q" "\\xZZ" "\\x4" "\\x" "\\\'" "\\é"')).toEqual(['q', 'xZZ', 'x4', 'x', "'", u('é')]);
    expect(codes('"\\q\\xZZ"')).toEqual([]);
  });

  it("keeps single-quoted text literal except \\'", () => {
    expect(one("'it\\'s' 'a\\b\\n' 'say \"hi\"'")).toEqual(["it's", 'a\\b\\n', 'say "hi"']);
    expect(one("'a\\\\b'")).toEqual(['a\\\\b']);
  });

  it('reads empty arguments', () => {
    expect(one('SET "" \'\'')).toEqual(['SET', '', '']);
    expect(tok('SET "" \'\'').lines[0].spans).toEqual([
      [1, 4],
      [5, 7],
      [8, 10],
    ]);
  });

  it('rejects a closing quote followed by anything but a space', () => {
    expect(error('SET "a"b c')).toEqual(['quote-not-followed-by-space', 5, 8]);
    expect(error("SET 'a'b")).toEqual(['quote-not-followed-by-space', 5, 8]);
    expect(error('SET "a"\'b\'')).toEqual(['quote-not-followed-by-space', 5, 8]);
    expect(error('SET ""x')).toEqual(['quote-not-followed-by-space', 5, 7]);
    // any isspace character is fine after the closing quote
    expect(one('"a"\vb')).toEqual(['a', 'b']);
  });

  it('reports unbalanced quotes of both kinds from the argument to the end of the line', () => {
    expect(error('SET k "abc')).toEqual(['unbalanced-quote', 7, 11]);
    expect(error("SET k 'abc")).toEqual(['unbalanced-quote', 7, 11]);
    expect(error('SET k "abc\\"')).toEqual(['unbalanced-quote', 7, 13]);
    expect(error('SET k "abc\\')).toEqual(['unbalanced-quote', 7, 12]);
    // \' inside single quotes always escapes the quote, so these never close
    expect(error("SET k 'a\\'")).toEqual(['unbalanced-quote', 7, 11]);
    expect(error("SET k 'a\\\\'")).toEqual(['unbalanced-quote', 7, 12]);
    expect(tok("SET k 'a\\'").diagnostics[0].message).toMatch(/escaped quote/);
    expect(error('SET "é😀')).toEqual(['unbalanced-quote', 5, 9]);
  });

  it('opens quotes in the middle of a token, as sdssplitargs does', () => {
    expect(one('SET ab"c d" x')).toEqual(['SET', 'abc d', 'x']);
    expect(tok('SET ab"c d" x').lines[0].spans).toEqual([
      [1, 4],
      [5, 12],
      [13, 14],
    ]);
    expect(one("a'b c'")).toEqual(['ab c']);
    expect(error('SET ab"c')).toEqual(['unbalanced-quote', 5, 9]);
    expect(error("SET it's")).toEqual(['unbalanced-quote', 5, 9]);
    expect(error('SET a"b"c')).toEqual(['quote-not-followed-by-space', 5, 9]);
  });

  it('keeps UTF-8 bytes and gives UTF-16 columns', () => {
    const r = tok('SET café 😀 "é x" \'😀\'');
    expect(r.lines[0].args.map((a) => latin1(a))).toEqual(['SET', u('café'), u('😀'), u('é x'), u('😀')]);
    expect(r.lines[0].spans).toEqual([
      [1, 4],
      [5, 9],
      [10, 12],
      [13, 18],
      [19, 23],
    ]);
  });

  it('counts invalid UTF-8 like the editor does (one U+FFFD per bad sequence)', () => {
    const r = tok(fromLatin1('\xff\xfe a \xe2\x82 b'));
    expect(r.lines[0].args.map((a) => latin1(a))).toEqual(['\xff\xfe', 'a', '\xe2\x82', 'b']);
    expect(r.lines[0].spans).toEqual([
      [1, 3],
      [4, 5],
      [6, 7],
      [8, 9],
    ]);
  });

  it('splits on LF only, drops one trailing CR, skips blank lines and keeps line numbers', () => {
    const r = tok('GET a\r\n\r\n  \t\nGET "b\r"\r\r\nGET c\rd\n\nGET e');
    expect(r.lines.map((l) => l.line)).toEqual([1, 4, 5, 7]);
    expect(r.lines.map((l) => l.args.map((a) => latin1(a)))).toEqual([
      ['GET', 'a'],
      ['GET', 'b\r'],
      ['GET', 'c', 'd'],
      ['GET', 'e'],
    ]);
    expect(r.diagnostics).toEqual([]);
  });

  it('treats a NUL byte as the end of the line, like redis-cli, with a warning', () => {
    const r = tok(fromLatin1('SET a\x00b c\n\x00GET x'));
    expect(r.lines.map((l) => l.args.map((a) => latin1(a)))).toEqual([['SET', 'a']]);
    expect(r.diagnostics.map((d) => [d.code, d.severity, d.line, d.column, d.endColumn])).toEqual([
      ['nul-byte', 'warning', 1, 6, 10],
      ['nul-byte', 'warning', 2, 1, 7],
    ]);
  });

  it('exports the splitter with byte offsets', () => {
    expect(splitArgs(utf8('  a "b c"'))).toEqual({ ok: true, args: [utf8('a'), utf8('b c')], starts: [2, 4], ends: [3, 9] });
    expect(splitArgs(utf8('x "y'), 0)).toMatchObject({ ok: false, code: 'unbalanced-quote', start: 2, end: 4 });
  });
});

describe('comments', () => {
  it('marks lines whose first non-blank character is # as comments', () => {
    const r = tok('# keys of the session\n   # indented\nGET a # not a comment');
    expect(r.lines.map((l) => [l.kind, l.args.length, l.spans.length])).toEqual([
      ['comment', 0, 0],
      ['comment', 0, 0],
      ['command', 6, 6],
    ]);
  });
});

describe('lines copied from an interactive redis-cli session', () => {
  it.each([
    ['127.0.0.1:6379> GET k', 17],
    ['localhost:6379[2]> GET k', 20],
    ['redis-host.example.com:12000> GET k', 31],
    ['[::1]:6379> GET k', 13],
    ['[fe80::1%eth0]:6379[15]> GET k', 26],
    ['not connected> GET k', 16],
    ['127.0.0.1:6379(TX)> GET k', 21],
    ['127.0.0.1:6379[3](TX)> GET k', 24],
    ['127.0.0.1:6379(subscribed mode)> GET k', 34],
    ['redis /tmp/redis.sock> GET k', 24],
    ['redis 127.0.0.1:6379> GET k', 23],
    ['  127.0.0.1:6379>   GET k', 21],
  ])('strips the prompt of %s', (text, column) => {
    const r = tok(text);
    expect(r.diagnostics).toEqual([]);
    expect(r.lines).toEqual([
      {
        line: 1,
        kind: 'command',
        args: [utf8('GET'), utf8('k')],
        spans: [
          [column, column + 3],
          [column + 4, column + 5],
        ],
        source: 'prompt',
      },
    ]);
  });

  it('takes only a leading host:port prompt, never "> " inside the command', () => {
    expect(tok('SET k "127.0.0.1:6379> x"').lines[0]).toMatchObject({ source: 'cli' });
    expect(one('SET k 127.0.0.1:6379> x')).toEqual(['SET', 'k', '127.0.0.1:6379>', 'x']);
    expect(tok('foo> GET k').lines[0]).toMatchObject({ source: 'cli', args: [utf8('foo>'), utf8('GET'), utf8('k')] });
    expect(tok('127.0.0.1:6379>GET k').lines[0]).toMatchObject({ source: 'cli' });
    expect(tok('127.0.0.1:6379> SET k "a> b"').lines[0].args.map((a) => latin1(a))).toEqual(['SET', 'k', 'a> b']);
  });

  it('reports errors after a prompt at the right columns', () => {
    const r = tok('127.0.0.1:6379> SET k "v');
    expect(r.lines[0]).toMatchObject({ source: 'prompt', invalid: true, args: [] });
    expect(r.diagnostics.map((d) => [d.code, d.column, d.endColumn])).toEqual([['unbalanced-quote', 23, 25]]);
  });

  it('skips the output redis-cli printed after a prompt, with an info diagnostic', () => {
    const session = [
      '127.0.0.1:6379> SET k v', // 1
      'OK',
      '127.0.0.1:6379> MULTI',
      'OK',
      '127.0.0.1:6379(TX)> INCR n', // 5
      'QUEUED',
      '127.0.0.1:6379(TX)> EXEC',
      '1) (integer) 1',
      '127.0.0.1:6379> LRANGE l 0 -1',
      ' 1) "a"', // 10
      '10) "b\\n"',
      '127.0.0.1:6379> HGETALL h',
      '1) 1) "f"',
      '   2) "v"',
      '127.0.0.1:6379> GET k', // 15
      '"v"',
      '127.0.0.1:6379> GET missing',
      '(nil)',
      '127.0.0.1:6379> GET "x',
      'Invalid argument(s)', // 20
      '127.0.0.1:6379> LPUSH k x',
      '(error) WRONGTYPE Operation against a key holding the wrong kind of value',
      '127.0.0.1:6379> TYPE k',
      'string',
      '127.0.0.1:6379> SMEMBERS nothing', // 25
      '(empty array)',
      '127.0.0.1:6379> INFO keyspace',
      '# Keyspace',
      'db0:keys=2,expires=0,avg_ttl=0',
      '', // 30
      '127.0.0.1:7000> GET foo',
      '-> Redirected to slot [12182] located at 127.0.0.1:7002',
      '"bar"',
      '127.0.0.1:6379> HGETALL h3',
      '1# "f" => "v"', // 35
      '127.0.0.1:6379> DEBUG SLEEP 1',
      'OK',
      '(1.00s)',
      '127.0.0.1:6379>',
      'GET after', // 40: a command again, ends the session
      'OK', // so this is a command too
    ];
    const r = tok(session.join('\n'));
    const commands = r.lines.filter((l) => l.kind === 'command');
    expect(commands.map((l) => [l.line, commandName(l), l.source])).toEqual([
      [1, 'SET', 'prompt'],
      [3, 'MULTI', 'prompt'],
      [5, 'INCR', 'prompt'],
      [7, 'EXEC', 'prompt'],
      [9, 'LRANGE', 'prompt'],
      [12, 'HGETALL', 'prompt'],
      [15, 'GET', 'prompt'],
      [17, 'GET', 'prompt'],
      [19, '', 'prompt'],
      [21, 'LPUSH', 'prompt'],
      [23, 'TYPE', 'prompt'],
      [25, 'SMEMBERS', 'prompt'],
      [27, 'INFO', 'prompt'],
      [31, 'GET', 'prompt'],
      [34, 'HGETALL', 'prompt'],
      [36, 'DEBUG', 'prompt'],
      [40, 'GET', 'cli'],
      [41, 'OK', 'cli'],
    ]);
    const output = [2, 4, 6, 8, 10, 11, 13, 14, 16, 18, 20, 22, 24, 26, 29, 32, 33, 35, 37, 38];
    expect(r.lines.filter((l) => l.kind === 'comment').map((l) => l.line)).toEqual([...output, 28].sort((a, b) => a - b));
    const info = r.diagnostics.filter((d) => d.code === 'cli-output');
    expect(info.map((d) => d.line)).toEqual(output);
    expect(info.every((d) => d.severity === 'info' && /skipped/.test(d.message))).toBe(true);
    expect(info.find((d) => d.line === 10)).toMatchObject({ column: 2, endColumn: 8 });
    expect(r.lines.find((l) => l.line === 2)).toMatchObject({ kind: 'comment', source: 'prompt', args: [], spans: [] });
    expect(r.diagnostics.filter((d) => d.severity === 'error').map((d) => d.line)).toEqual([19]);
  });

  it('parses output-looking lines as commands when no prompt came before', () => {
    expect(args('OK\nQUEUED\n"GET" k\n(integer) 1')).toEqual([['OK'], ['QUEUED'], ['GET', 'k'], ['(integer)', '1']]);
    expect(codes('OK\n"v"')).toEqual([]);
  });

  it('ends the session at a command without prompt and keeps it across comments and blank lines', () => {
    const r = tok('127.0.0.1:6379> PING\n\n# reply:\nPONG\nGET a\nOK');
    expect(r.lines.map((l) => [l.line, l.kind])).toEqual([
      [1, 'command'],
      [3, 'comment'],
      [4, 'comment'],
      [5, 'command'],
      [6, 'command'],
    ]);
  });

  it('does not take a command with arguments for output', () => {
    expect(args('127.0.0.1:6379> SET a b\nSET c d\nGET e')).toEqual([
      ['SET', 'a', 'b'],
      ['SET', 'c', 'd'],
      ['GET', 'e'],
    ]);
    expect(args('127.0.0.1:6379> GET a\n"GET" "b"')).toEqual([
      ['GET', 'a'],
      ['GET', 'b'],
    ]);
  });
});

describe('MONITOR output', () => {
  it('drops timestamp and client, reads the quoted arguments with sdscatrepr escapes', () => {
    const text = [
      '1700000000.123456 [0 127.0.0.1:6379] "SET" "k\\x00\\xff" "a\\\\b\\"c\\n\\r\\t\\a\\b"',
      '1700000001.000001 [0 lua] "GET" "{user}:1"',
      '1700000002.5 [12 unix:/tmp/redis.sock] "del" "k"',
      '1700000003.000000 [0 [::1]:51234] "PING"',
      '1700000004.000000 [0 10.0.0.7:6379] "SET" "caf\\xc3\\xa9" "1"',
    ].join('\n');
    const r = tok(text);
    expect(r.diagnostics).toEqual([]);
    expect(r.lines.map((l) => l.source)).toEqual(['monitor', 'monitor', 'monitor', 'monitor', 'monitor']);
    expect(r.lines.map((l) => l.args.map((a) => latin1(a)))).toEqual([
      ['SET', 'k\x00\xff', 'a\\b"c\n\r\t\x07\b'],
      ['GET', '{user}:1'],
      ['del', 'k'],
      ['PING'],
      ['SET', u('café'), '1'],
    ]);
    expect(r.lines[1].spans).toEqual([
      [27, 32],
      [33, 43],
    ]);
    expect(commandName(r.lines[2])).toBe('DEL');
  });

  it('reports a broken MONITOR line like any other', () => {
    const r = tok('1700000000.123456 [0 lua] "GET" "k');
    expect(r.lines[0]).toMatchObject({ source: 'monitor', invalid: true });
    expect(r.diagnostics.map((d) => [d.code, d.column, d.endColumn])).toEqual([['unbalanced-quote', 33, 35]]);
  });

  it('recognises MONITOR lines after a prompt (MONITOR run from redis-cli)', () => {
    const r = tok('127.0.0.1:6379> MONITOR\nOK\n1700000000.1 [0 127.0.0.1:1] "GET" "a"\nOK');
    expect(r.lines.map((l) => [l.kind, l.source])).toEqual([
      ['command', 'prompt'],
      ['comment', 'prompt'],
      ['command', 'monitor'],
      ['command', 'cli'],
    ]);
  });
});

describe('commandName', () => {
  it('uppercases ASCII letters only', () => {
    const line = (s: string): CommandLine => ({ line: 1, kind: 'command', args: [utf8(s)], spans: [[1, 2]], source: 'cli' });
    expect(commandName(line('hgetAll'))).toBe('HGETALL');
    expect(commandName(line('é-x'))).toBe('é-X');
    expect(commandName({ line: 1, kind: 'comment', args: [], spans: [], source: 'cli' })).toBe('');
  });
});

/** Bytes that exercise the splitter: quotes, escapes, hex digits, blanks, UTF-8 pieces, NUL. */
const TRICKY = [
  0x20, 0x20, 0x09, 0x0b, 0x0c, 0x0d, 0x22, 0x22, 0x27, 0x27, 0x5c, 0x5c, 0x78, 0x41, 0x66, 0x30, 0x6e, 0x61, 0x62, 0x71, 0xc3, 0xa9, 0xff, 0x00, 0x23, 0x3e,
];

function trickyLine(rand: () => number, maxLength: number, withNul: boolean): Uint8Array {
  const out: number[] = [];
  const n = Math.floor(rand() * maxLength);
  for (let i = 0; i < n; i++) {
    const b = TRICKY[Math.floor(rand() * TRICKY.length)];
    if (b !== 0 || withNul) out.push(b);
  }
  return Uint8Array.from(out);
}

describe('robustness', () => {
  it('never throws on random bytes and keeps diagnostics inside their lines', () => {
    const rand = prng(0x5eed);
    for (let i = 0; i < 2000; i++) {
      const n = Math.floor(rand() * 200);
      const bytes = new Uint8Array(n);
      const tricky = i % 2 === 0;
      for (let j = 0; j < n; j++) {
        bytes[j] = tricky ? (rand() < 0.1 ? 0x0a : TRICKY[Math.floor(rand() * TRICKY.length)]) : Math.floor(rand() * 256);
      }
      const r = tokenizeCommands(bytes);
      for (const d of r.diagnostics) expect(d.endColumn).toBeGreaterThan(d.column);
      for (const l of r.lines) {
        expect(l.spans).toHaveLength(l.args.length);
        for (const [s, e] of l.spans) expect(e).toBeGreaterThan(s);
      }
    }
  });

  it('handles a 1 MB line and many lines', () => {
    const big = 'SET k "' + 'é\\x41 '.repeat(150_000) + '" ' + 'x '.repeat(100_000);
    const r = tok(big);
    expect(r.lines[0].args).toHaveLength(3 + 100_000);
    expect(r.lines[0].spans[2]).toEqual([7, 7 + 150_000 * 6 + 2]); // é is one UTF-16 unit
    const many = tok('GET a\n'.repeat(100_000));
    expect(many.lines).toHaveLength(100_000);
    expect(tok('"' + 'a'.repeat(1 << 20)).diagnostics[0].code).toBe('unbalanced-quote');
  });
});

/**
 * Oracle: the real redis-cli splits the same lines. Each line is piped into redis-cli after
 * `EVAL "<script>" 0`, and the script returns its ARGV as hex, so we see the exact bytes redis-cli sent
 * (or its "Invalid argument(s)"). Needs redis-server and redis-cli; skipped without them.
 */
const haveRedis = ['redis-server', 'redis-cli'].every((cmd) => spawnSync(cmd, ['--version']).status === 0);

describe.skipIf(!haveRedis)('against the real redis-cli', () => {
  let dir = '';
  let server: ChildProcess | undefined;
  let socket = '';

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'tokenize-oracle-'));
    socket = join(dir, 'redis.sock');
    server = spawn('redis-server', ['--port', '0', '--unixsocket', socket, '--save', '', '--appendonly', 'no', '--dir', dir], { stdio: 'ignore' });
    for (let i = 0; i < 100 && !existsSync(socket); i++) await new Promise((resolve) => setTimeout(resolve, 50));
    if (!existsSync(socket)) throw new Error('redis-server did not start');
  }, 10_000);

  afterAll(() => {
    server?.kill('SIGKILL');
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  const SCRIPT =
    "local r={} for i=1,#ARGV do r[i]=(ARGV[i]:gsub('.',function(c) return string.format('%02x',c:byte()) end)) end return #ARGV..':'..table.concat(r,',')";

  /** How redis-cli splits each line: hex args, or null when it rejects the line. */
  function redisCliSplit(lines: Uint8Array[]): (string[] | null)[] {
    const prefix = utf8(`EVAL "${SCRIPT}" 0 `);
    const chunks: Uint8Array[] = [];
    for (const line of lines) chunks.push(prefix, line, Uint8Array.of(0x0a));
    const input = Buffer.concat(chunks);
    const out = spawnSync('redis-cli', ['-s', socket], { input, encoding: 'latin1', timeout: 20_000 });
    const replies = out.stdout.split('\n').slice(0, -1);
    expect(replies).toHaveLength(lines.length);
    return replies.map((reply) => {
      if (reply === 'Invalid argument(s)') return null;
      const m = /^(\d+):(.*)$/.exec(reply);
      if (!m) throw new Error(`unexpected redis-cli reply: ${reply}`);
      return Number(m[1]) === 0 ? [] : m[2].split(',');
    });
  }

  const hex = (a: Uint8Array) => Array.from(a, (b) => b.toString(16).padStart(2, '0')).join('');
  const ours = (line: Uint8Array) => {
    const split = splitArgs(line);
    return split.ok ? split.args.map(hex) : null;
  };

  it('agrees on hand-picked tricky lines', () => {
    const cases = [
      'a b',
      'ab"c d"',
      'ab"c',
      '"a"b',
      '"a"\'b\'',
      'a"b"c',
      "'\\'",
      "'a\\\\'",
      "'a\\b\\'c'",
      '"\\xZZ" "\\x4" "\\q" "\\x"',
      '"\\x41\\x4a\\xfF\\x00" "\\n\\r\\t\\b\\a\\"\\\\"',
      "a'' \"\" ''",
      '"ab\\',
      '\v x\fy "a"\vb',
      'a\rb "c\rd"',
      'ab\u0000cd ef',
      '"é😀" x',
      "it's",
      '',
      '   ',
    ].map((s) => utf8(s));
    cases.push(fromLatin1('\x80\xff "\xc3"'));
    expect(cases.map(ours)).toEqual(redisCliSplit(cases));
  });

  it('agrees on 600 random lines of quotes, escapes and blanks', () => {
    const rand = prng(42);
    const cases = Array.from({ length: 600 }, () => trickyLine(rand, 24, true));
    expect(cases.map(ours)).toEqual(redisCliSplit(cases));
  });
});
