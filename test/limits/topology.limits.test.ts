/**
 * Issue 8, malformed topology: what the user is told for each kind of broken paste (the parser's
 * shapes and positions are tested in src/core/topology; here, the messages), and what the CLI does.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseTopology, utf8 } from '../../src/core/index.ts';
import { hashslot } from './cli.ts';

const A = 'a'.repeat(40);
const node = (slots: string) => `${A} 127.0.0.1:30001@40001 myself,master - 0 0 1 connected ${slots}`.trimEnd();
const UNRECOGNIZED = 'not a cluster topology: paste the output of CLUSTER NODES, CLUSTER SLOTS or CLUSTER SHARDS (redis-cli, --raw, or JSON)';

let dir: string;
beforeAll(() => void (dir = mkdtempSync(join(tmpdir(), 'limits-topology-'))));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('malformed topology: every paste gets a message, none throws', () => {
  it.each([
    ['garbage text', 'hello world', false, [['error', 'unrecognized-topology', UNRECOGNIZED]]],
    ['binary junk', '\u0000\u0001\uffff\ud800', false, [['error', 'unrecognized-topology', UNRECOGNIZED]]],
    [
      'a CLUSTER NODES line cut short',
      `${A} 127.0.0.1:30001@40001 master`,
      false,
      [['error', 'bad-nodes-line', 'a CLUSTER NODES line needs at least 8 fields (id, address, flags, master, ping, pong, epoch, link), this one has 3']],
    ],
    [
      'a slot range past 16383',
      node('0-16384'),
      true,
      [
        ['error', 'bad-slot', '"0-16384" is not a slot range within 0-16383'],
        ['warning', 'unassigned-slots', 'slots 0-16383 are not assigned to any shard (16384 slots)'],
      ],
    ],
    [
      'a slot that is not a number',
      node('abc'),
      true,
      [
        ['error', 'bad-slot', '"abc" is not a slot, a range a-b, or a migrating [N->-id] / importing [N-<-id] slot'],
        ['warning', 'unassigned-slots', 'slots 0-16383 are not assigned to any shard (16384 slots)'],
      ],
    ],
    ['slots nobody owns', node('0-8000'), true, [['warning', 'unassigned-slots', 'slots 8001-16383 are not assigned to any shard (8383 slots)']]],
    [
      'a negative slot (JSON CLUSTER SLOTS)',
      '[[-1,0,["127.0.0.1",30001]]]',
      false,
      [['error', 'bad-slot', 'CLUSTER SLOTS entry 1: -1-0 is not a slot range within 0-16383']],
    ],
    [
      'a reversed range (JSON CLUSTER SLOTS)',
      '[[100,0,["127.0.0.1",30001]]]',
      false,
      [['error', 'bad-slot', 'CLUSTER SLOTS entry 1: 100-0 is not a slot range within 0-16383']],
    ],
    [
      'a CLUSTER SLOTS entry without a port',
      '[[0,16383,["127.0.0.1"]]]',
      false,
      [['error', 'bad-slots-entry', 'CLUSTER SLOTS entry 1 (slots 0-16383) has no valid master node [endpoint, port, id]']],
    ],
    [
      'CLUSTER SHARDS slots that are not pairs',
      JSON.stringify([{ slots: [0], nodes: [{ id: A, ip: '10.0.0.1', port: 1, role: 'master' }] }]),
      false,
      [['error', 'bad-slots-entry', 'CLUSTER SHARDS entry 1: "slots" should be a list of start/end pairs']],
    ],
    [
      'redis-cli items out of order',
      '1) 1) (integer) 0\n   3) (integer) 16383',
      false,
      [['error', 'bad-reply', 'item 3) does not continue any open list here (expected item 2)']],
    ],
    [
      '10,000 nested JSON arrays',
      '['.repeat(10_000) + ']'.repeat(10_000),
      false,
      [['error', 'unrecognized-topology', 'this reply is neither CLUSTER SLOTS (start, end, nodes…) nor CLUSTER SHARDS (slots, nodes)']],
    ],
    [
      '2,000 nested redis-cli lists',
      Array.from({ length: 2000 }, (_, k) => ' '.repeat(3 * k) + '1) ').join('\n'),
      false,
      [['error', 'bad-reply', 'item 1) does not continue any open list here (expected item 2)']],
    ],
  ] as const)('%s', (_name, text, hasTopology, expected) => {
    const r = parseTopology(text);
    expect(r.topology !== null).toBe(hasTopology);
    expect(r.diagnostics.map((d) => [d.severity, d.code, d.message])).toEqual(expected);
  });

  it('JSON cut short: the message says so and where', () => {
    const r = parseTopology('[[0, 16383, ["127.0.0.1", 30001');
    expect(r.topology).toBeNull();
    expect(r.diagnostics).toHaveLength(1);
    expect(r.diagnostics[0]).toMatchObject({ code: 'bad-json', line: 1, column: 32 });
    expect(r.diagnostics[0].message).toMatch(/^invalid JSON: the text ends too early \(/);
  });
});

describe('hashslot with a malformed --topology file', () => {
  const keys = utf8('a\nb\nc\n');
  const write = (name: string, text: string) => {
    const file = join(dir, name);
    writeFileSync(file, text);
    return file;
  };

  it('nothing usable: exit 2 with file:line:column and the message', async () => {
    const file = write('garbage.txt', 'hello world\n');
    const run = await hashslot(['dist', '--policy', 'redis', '--topology', file], keys);
    expect(run.code).toBe(2);
    expect(run.stderr.trim()).toBe(`hashslot dist: ${file}:1:1: unrecognized-topology: ${UNRECOGNIZED}`);
  });

  it('usable with problems: the problems on stderr, the keys in unowned slots counted', async () => {
    const file = write('partial.txt', node('0-8000 99999') + '\n');
    const run = await hashslot(['dist', '--policy', 'redis', '--topology', file, '--json'], keys);
    expect(run.code).toBe(0);
    expect(run.stderr.trim().split('\n')).toEqual([
      `${file}:1:${node('').length + 9}: error bad-slot: "99999" is not a slot range within 0-16383`,
      `${file}:1:1: warning unassigned-slots: slots 8001-16383 are not assigned to any shard (8383 slots)`,
    ]);
    const summary = JSON.parse(run.stdout.trim().split('\n').at(-1)!).summary;
    // a → 15495, b → 3300, c → 7365: a is in a slot no shard owns.
    expect(summary).toMatchObject({ keys: 3, unassigned: 1 });
    // Those keys are a row of their own, never silently dropped from the shards.
    expect(summary.shards.at(-1)).toEqual({ label: 'no owner', keys: 1, ranges: '8001-16383', owner: false });
  });
});
