import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { isPromptLine, parseRedisCliReply, splitLines, unescapeQuoted } from './reply.ts';

const fixture = (name: string) => readFileSync(new URL(`../../../fixtures/topology/${name}`, import.meta.url), 'utf8');
const value = (text: string) => {
  const r = parseRedisCliReply(text);
  expect(r.diagnostics).toEqual([]);
  return r.value;
};
const error = (text: string) => {
  const r = parseRedisCliReply(text);
  expect(r.value).toBeUndefined();
  expect(r.diagnostics).toHaveLength(1);
  const [d] = r.diagnostics;
  expect(d).toMatchObject({ severity: 'error', code: 'bad-reply' });
  return [d.line, d.column, d.endColumn, d.message] as const;
};

describe('parseRedisCliReply', () => {
  it('reads a real CLUSTER SLOTS reply (nested arrays, integers, strings, empty array)', () => {
    const v = value(fixture('c3-slots.txt')) as unknown[][];
    expect(v).toHaveLength(3);
    expect(v[0]).toEqual([0, 5460, ['127.0.0.1', 32100, expect.stringMatching(/^[0-9a-f]{40}$/), []]]);
    expect(v[2].slice(0, 2)).toEqual([10923, 16383]);
  });

  it('reads right-aligned item numbers (10+ items) in a real CLUSTER SHARDS reply', () => {
    const v = value(fixture('c3-shards.txt')) as unknown[][];
    expect(v).toHaveLength(3);
    const node = (v[0][3] as unknown[][])[0];
    expect(node).toHaveLength(14);
    expect(node.slice(2)).toEqual(['port', 32102, 'ip', '127.0.0.1', 'endpoint', '127.0.0.1', 'role', 'master', 'replication-offset', 0, 'health', 'online']);
  });

  it('reads RESP3 maps (1# key => value, values on the same or the next lines) as flat arrays', () => {
    const v = value(fixture('c3-shards-resp3.txt')) as unknown[][];
    expect(v[0][0]).toBe('slots');
    expect(v[0][1]).toEqual([10923, 16383]);
    expect(v[0][2]).toBe('nodes');
    expect((v[0][3] as unknown[][])[0].slice(0, 4)).toEqual(['id', expect.any(String), 'port', 32102]);
    expect(value('1# "a" => (integer) 1\n2# "b" => 1) "x"\n            2) "y"\n3# "c" =>\n   1) (nil)')).toEqual(['a', 1, 'b', ['x', 'y'], 'c', [null]]);
    expect(value('1~ "x"\n2~ "y"')).toEqual(['x', 'y']);
  });

  it('reads every scalar form', () => {
    expect(
      value(
        [
          '1) (integer) -5',
          '2) (double) 1.5',
          '3) (nil)',
          '4) (true)',
          '5) (false)',
          '6) (error) ERR nope',
          '7) (empty array)',
          '8) (empty list or set)',
          '9) (empty hash)',
          '10) OK',
          '11) "a\\"b\\\\c\\n\\x41\\xc3\\xa9"',
          '12) ""',
        ].join('\n'),
      ),
    ).toEqual([-5, 1.5, null, true, false, { error: 'ERR nope' }, [], [], [], 'OK', 'a"b\\c\nAé', '']);
    expect(value('(integer) 7')).toBe(7);
    expect(value('"just a string"')).toBe('just a string');
    expect(value('(empty array)')).toEqual([]);
  });

  it('skips prompt lines, the password warning and blank lines', () => {
    const warning = "Warning: Using a password with '-a' or '-u' option on the command line interface may not be safe.\n";
    const text = `${warning}127.0.0.1:30001> CLUSTER SLOTS\n\n${fixture('c3-slots.txt')}127.0.0.1:30001> \n`;
    const r = parseRedisCliReply(text);
    expect(r.diagnostics).toEqual([]);
    expect((r.value as unknown[]).length).toBe(3);
    expect(r.lines.get(r.value as never)).toBe(4);
    expect(r.lines.get((r.value as never[])[1])).toBe(10);
  });

  it('copes with lost indentation by following the item numbers', () => {
    const flat = fixture('c3-slots.txt')
      .split('\n')
      .map((l) => l.trimStart())
      .join('\n');
    expect(value(flat)).toEqual(value(fixture('c3-slots.txt')));
  });

  it.each([
    ['1) "a"\n3) "b"', 2, 'item 3) does not continue'],
    ['2) "a"', 1, 'first item should be numbered 1'],
    ['1) 2) "a"', 1, 'nested list should start at item 1'],
    ['1) "a"\nnot numbered', 2, 'expected a numbered item'],
    ['1) "abc', 1, 'unbalanced quote'],
    ['1) "a" junk', 1, 'unexpected text after the value'],
    ['1) "a"\n\n1) "b"', 3, 'a second reply starts here'],
    ['1# "k" =>', 1, 'has no value'],
  ])('reports %j as an error on line %i', (text, line, message) => {
    const [l, , , m] = error(text);
    expect(l).toBe(line);
    expect(m).toContain(message);
  });

  it('points at the offending column', () => {
    const [, column, endColumn] = error('1) "a"\n   5) "b"');
    expect([column, endColumn]).toEqual([4, 6]);
  });

  it('reports an empty text without throwing', () => {
    expect(parseRedisCliReply('').diagnostics[0].message).toBe('no reply found');
  });
});

describe('helpers', () => {
  it('splitLines drops one CR per line and numbers from 1', () => {
    expect(splitLines('a\r\nb\n\nc\r\r')).toEqual([
      { text: 'a', line: 1 },
      { text: 'b', line: 2 },
      { text: '', line: 3 },
      { text: 'c\r', line: 4 },
    ]);
  });

  it.each([
    ['127.0.0.1:6379> CLUSTER SLOTS', true],
    ['127.0.0.1:6379[2]> cluster shards', true],
    ['$ redis-cli -p 30001 cluster nodes', true],
    ['127.0.0.1:6379>', true],
    ['127.0.0.1:6379(TX)> ', true],
    ['redis /tmp/redis.sock> ', false],
    ['1) 1) (integer) 0', false],
    ['127.0.0.1', false],
    ['07c37dfeb235213a872192d90877d0cd55635b91 127.0.0.1:30004@31004 slave e7d1eecce10fd6bb5eb35b9f99a514335d9ba9ca 0 1426238317239 4 connected', false],
  ])('isPromptLine(%j) = %s', (line, expected) => {
    expect(isPromptLine(line)).toBe(expected);
  });

  it('unescapeQuoted maps decoded chars back to source columns', () => {
    const q = unescapeQuoted('x "a\\nb\\x41"', 2)!;
    expect(q.text).toBe('a\nbA');
    expect(q.columns).toEqual([3, 4, 6, 7, 11]);
    expect(q.end).toBe(12);
    expect(unescapeQuoted('"open', 0)).toBeNull();
    expect(unescapeQuoted('"\\u00e9\\/"', 0)!.text).toBe('é/');
  });
});
