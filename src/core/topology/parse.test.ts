import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { MAX_ERRORS } from './build.ts';
import { redisCliCreateLayout } from './layout.ts';
import { jsonErrorOffset, parseTopology } from './parse.ts';
import { shardRuns } from './ranges.ts';
import { parseRedisCliReply } from './reply.ts';
import type { Topology, TopologyResult } from './types.ts';

const fixture = (name: string) => readFileSync(new URL(`../../../fixtures/topology/${name}`, import.meta.url), 'utf8');

/** Slot ranges per shard as text, e.g. ["0-5460", "5461-10922"]. */
const ranges = (t: Topology) => shardRuns(t).map((runs) => runs.map(([a, b]) => (a === b ? `${a}` : `${a}-${b}`)).join(', '));
/** What a topology says, minus where it came from: comparable across input forms. */
const essence = (t: Topology | null) => t && { shards: t.shards, ranges: ranges(t), migrating: t.migrating };
const codes = (r: TopologyResult) => r.diagnostics.map((d) => `${d.severity}:${d.code}`);
const ok = (text: string) => {
  const r = parseTopology(text);
  expect(r.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
  expect(r.topology).not.toBeNull();
  return r.topology!;
};

/** redis-cli's quoted form of a string (sdscatrepr). */
const quoteRedis = (s: string) =>
  '"' +
  s
    .replace(/[\\"]/g, (c) => '\\' + c)
    .replace(/\n/g, '\\n')
    .replace(/\r/g, '\\r')
    .replace(/\t/g, '\\t') +
  '"';

const A = 'a'.repeat(40);
const B = 'b'.repeat(40);
const C = 'c'.repeat(40);
const R1 = '1'.repeat(40);
const R2 = '2'.repeat(40);
const nodeLine = (id: string, addr: string, flags: string, master: string, ...slots: string[]) =>
  [id, addr, flags, master, '0', '1426238317239', '1', 'connected', ...slots].join(' ');

describe('real redis-cli 7.0.15 outputs (fixtures/topology, from capture.sh)', () => {
  const forms = {
    nodes: ['-nodes.txt'],
    slots: ['-slots.txt', '-slots-raw.txt'],
    shards: ['-shards.txt', '-shards-raw.txt'],
  };

  it.each(['c3', 'c5'])('%s: every form gives the layout of redis-cli --cluster create', (cluster) => {
    const n = cluster === 'c3' ? 3 : 5;
    const expected = ranges(redisCliCreateLayout(n).topology!);
    const all = [...forms.nodes, ...forms.slots, ...forms.shards].map((suffix) => {
      const r = parseTopology(fixture(cluster + suffix));
      expect(r.diagnostics, suffix).toEqual([]);
      expect(ranges(r.topology!), suffix).toEqual(expected);
      return essence(r.topology);
    });
    for (const e of all.slice(1)) expect(e).toEqual(all[0]);
    const t = parseTopology(fixture(`${cluster}-nodes.txt`)).topology!;
    expect(t.shards.map((s) => s.id)).toEqual(Array.from({ length: n }, (_, i) => `127.0.0.1:${(cluster === 'c3' ? 32100 : 32110) + i}`));
    expect(t.shards[0]).toEqual({
      id: '127.0.0.1:' + (cluster === 'c3' ? 32100 : 32110),
      label: '127.0.0.1:' + (cluster === 'c3' ? 32100 : 32110),
      nodes: [{ id: expect.stringMatching(/^[0-9a-f]{40}$/), addr: t.shards[0].id, role: 'master' }],
    });
  });

  it('names the source of each form', () => {
    expect(parseTopology(fixture('c3-nodes.txt')).topology!.source).toBe('cluster-nodes');
    for (const f of ['c3-slots.txt', 'c3-slots-raw.txt', 'c3-slots-resp3.txt']) expect(parseTopology(fixture(f)).topology!.source).toBe('cluster-slots');
    for (const f of ['c3-shards.txt', 'c3-shards-raw.txt', 'c3-shards-resp3.txt', 'c3-shards-resp3-raw.txt']) {
      expect(parseTopology(fixture(f)).topology!.source).toBe('cluster-shards');
    }
  });

  it('reads RESP3 (redis-cli -3) SLOTS and SHARDS, normal and raw, the same as RESP2', () => {
    const base = essence(parseTopology(fixture('c3-nodes.txt')).topology);
    for (const f of ['c3-slots-resp3.txt', 'c3-shards-resp3.txt', 'c3-shards-resp3-raw.txt']) {
      const r = parseTopology(fixture(f));
      expect(r.diagnostics, f).toEqual([]);
      expect(essence(r.topology), f).toEqual(base);
    }
  });

  it('c6: replicas, announced hostnames, a migrating slot and a failed replica', () => {
    const nodes = parseTopology(fixture('c6-nodes.txt'));
    const t = nodes.topology!;
    expect(t.shards.map((s) => s.label)).toEqual(['host-1.example:32120', 'host-2.example:32121', 'host-3.example:32122']);
    expect(ranges(t)).toEqual(['0-5460', '5461-10922', '10923-16383']);
    expect(t.shards.map((s) => s.nodes.map((n) => n.role))).toEqual([
      ['master', 'replica'],
      ['master', 'replica'],
      ['master', 'replica'],
    ]);
    const ids = t.shards.map((s) => s.nodes[0].id);
    expect(t.migrating).toEqual([{ slot: 100, from: ids[0], to: ids[1] }]);
    // The killed replica is flagged fail: an info, since it owns no slots.
    expect(nodes.diagnostics).toMatchObject([{ severity: 'info', code: 'node-failed' }]);
    expect(nodes.diagnostics[0].message).toMatch(/^replica host-\d\.example:3212\d is marked failed$/);

    // The destination's own view shows the other end of the move; together they make one entry.
    const importing = parseTopology(fixture('c6-nodes-importing.txt')).topology!;
    expect(importing.migrating).toEqual([{ slot: 100, from: ids[0], to: ids[1] }]);
    expect(parseTopology(fixture('c6-nodes.txt') + fixture('c6-nodes-importing.txt')).topology!.migrating).toEqual([{ slot: 100, from: ids[0], to: ids[1] }]);

    // SHARDS knows the same nodes (health "fail"); SLOTS leaves out the failed replica.
    for (const f of ['c6-shards.txt', 'c6-shards-raw.txt', 'c6-shards-resp3.txt']) {
      const r = parseTopology(fixture(f));
      expect(r.topology!.shards, f).toEqual(t.shards);
      expect(codes(r), f).toEqual(['info:node-failed']);
    }
    for (const f of ['c6-slots.txt', 'c6-slots-raw.txt', 'c6-slots-hostname.txt']) {
      const r = parseTopology(fixture(f));
      expect(r.diagnostics, f).toEqual([]);
      expect(ranges(r.topology!), f).toEqual(ranges(t));
      const healthy = t.shards.map((s) => ({ ...s, nodes: s.nodes.filter((n) => !nodes.diagnostics[0].message.includes(n.addr!)) }));
      expect(r.topology!.shards, f).toEqual(healthy);
    }
  });

  it('unassigned: slots deleted on every node are reported compactly by every form', () => {
    for (const f of ['nodes', 'slots', 'slots-raw', 'shards', 'shards-raw']) {
      const r = parseTopology(fixture(`unassigned-${f}.txt`));
      expect(ranges(r.topology!), f).toEqual(['0-4999, 5100-5460', '5461-10922', '10923-16382']);
      expect(r.diagnostics, f).toMatchObject([{ severity: 'warning', code: 'unassigned-slots', line: 1, column: 1 }]);
      expect(r.diagnostics[0].message).toBe('slots 5000-5099, 16383 are not assigned to any shard (101 slots)');
      expect(r.topology!.slotShard[5000]).toBe(-1);
      expect(r.topology!.slotShard[16383]).toBe(-1);
    }
  });

  it('ignores prompt lines, the password warning, CRLF and trailing prompts around any form', () => {
    for (const f of ['c3-nodes.txt', 'c3-slots.txt', 'c3-slots-raw.txt', 'c3-shards.txt', 'c3-shards-raw.txt', 'c3-shards-resp3.txt']) {
      const cmd = f.includes('nodes') ? 'CLUSTER NODES' : f.includes('slots') ? 'cluster slots' : 'CLUSTER SHARDS';
      const pasted = `Warning: Using a password with '-a' or '-u' option on the command line interface may not be safe.\r\n127.0.0.1:32100> ${cmd}\r\n${fixture(f).replace(/\n/g, '\r\n')}127.0.0.1:32100> \r\n`;
      const r = parseTopology(pasted);
      expect(r.diagnostics, f).toEqual([]);
      expect(essence(r.topology), f).toEqual(essence(parseTopology(fixture(f)).topology));
      expect(essence(parseTopology(`$ redis-cli -p 32100 ${cmd}\n${fixture(f)}`).topology), f).toEqual(essence(r.topology));
    }
  });

  it('reads CLUSTER NODES printed as one quoted string, after a prompt', () => {
    const quoted = `127.0.0.1:32100> CLUSTER NODES\n${quoteRedis(fixture('c6-nodes.txt'))}\n`;
    const r = parseTopology(quoted);
    expect(codes(r)).toEqual(['info:node-failed']);
    expect(r.diagnostics[0].line).toBe(2);
    expect(essence(r.topology)).toEqual(essence(parseTopology(fixture('c6-nodes.txt')).topology));
  });

  it('reads JSON from client libraries: nested arrays, objects, key/value pair lists', () => {
    const expected = essence(parseTopology(fixture('c6-slots.txt')).topology);
    // ioredis-style CLUSTER SLOTS: the reply as nested arrays.
    const slots = parseRedisCliReply(fixture('c6-slots.txt')).value;
    expect(essence(ok(JSON.stringify(slots)))).toEqual(expected);
    expect(essence(ok(JSON.stringify(slots, null, 2)))).toEqual(expected);
    // node-redis style: { from, to, master: { ip, port, id }, replicas: [...] }.
    const objects = (slots as unknown[][]).map(([from, to, master, ...replicas]) => {
      const node = (n: unknown) => {
        const [ip, port, id, meta] = n as [string, number, string, string[]];
        return { ip, port, id, hostname: meta[1] };
      };
      return { from, to, master: node(master), replicas: replicas.map(node) };
    });
    expect(essence(ok(JSON.stringify(objects)))).toEqual(expected);

    const shardsExpected = essence(parseTopology(fixture('c6-shards.txt')).topology);
    const shards = parseRedisCliReply(fixture('c6-shards.txt')).value as unknown[][];
    expect(essence(parseTopology(JSON.stringify(shards)).topology)).toEqual(shardsExpected);
    const toObject = (flat: unknown[]) => Object.fromEntries(Array.from({ length: flat.length / 2 }, (_, i) => [flat[2 * i], flat[2 * i + 1]]));
    const asObjects = shards.map((s) => ({ slots: s[1], nodes: (s[3] as unknown[][]).map(toObject) }));
    expect(essence(parseTopology(JSON.stringify(asObjects)).topology)).toEqual(shardsExpected);
    const asPairs = shards.map((s) => [
      ['slots', s[1]],
      ['nodes', (s[3] as unknown[][]).map((n) => Object.entries(toObject(n)))],
    ]);
    expect(essence(parseTopology(JSON.stringify(asPairs)).topology)).toEqual(shardsExpected);
    // A single shard object, and slots as "a-b" strings.
    const single = parseTopology(JSON.stringify({ slots: ['0-16383'], nodes: [{ id: A, ip: '10.0.0.1', port: 6379, role: 'master', health: 'online' }] }));
    expect(single.diagnostics).toEqual([]);
    expect(ranges(single.topology!)).toEqual(['0-16383']);
    expect(single.topology!.shards[0].id).toBe('10.0.0.1:6379');
  });
});

describe('CLUSTER NODES details', () => {
  it('attaches replicas to their master wherever they appear, and keeps masters without slots (last)', () => {
    const t = ok(
      [
        nodeLine(R1, '10.0.0.4:6379@16379', 'slave', A),
        nodeLine(C, '10.0.0.3:6379@16379', 'master', '-'),
        nodeLine(A, '10.0.0.1:6379@16379', 'myself,master', '-', '0-16383'),
        nodeLine(R2, '10.0.0.5:6379@16379', 'replica', A),
      ].join('\n') + '\n',
    );
    expect(t.shards).toEqual([
      {
        id: '10.0.0.1:6379',
        label: '10.0.0.1:6379',
        nodes: [
          { id: A, addr: '10.0.0.1:6379', role: 'master' },
          { id: R1, addr: '10.0.0.4:6379', role: 'replica' },
          { id: R2, addr: '10.0.0.5:6379', role: 'replica' },
        ],
      },
      { id: '10.0.0.3:6379', label: '10.0.0.3:6379', nodes: [{ id: C, addr: '10.0.0.3:6379', role: 'master' }] },
    ]);
    expect(ranges(t)).toEqual(['0-16383', '']);
  });

  it('reads single slots, ranges, migrating [N->-id] and importing [N-<-id] markers', () => {
    const r = parseTopology(
      [
        nodeLine(A, '127.0.0.1:30001@40001', 'myself,master', '-', '0-99', '101-8191', '100', `[200->-${B}]`, `[9000-<-${C}]`),
        nodeLine(B, '127.0.0.1:30002@40002', 'master', '-', '8192-16383', `[200-<-${A}]`),
      ].join('\n'),
    );
    expect(r.diagnostics).toEqual([]);
    expect(ranges(r.topology!)).toEqual(['0-8191', '8192-16383']);
    expect(r.topology!.migrating).toEqual([
      { slot: 200, from: A, to: B },
      { slot: 9000, from: C, to: A },
    ]);
  });

  it('reads hostnames, 7.2 auxiliary fields, IPv6, Redis 3 addresses without @cport, noaddr and handshake nodes', () => {
    const r = parseTopology(
      [
        nodeLine(A, '10.0.0.1:6379@16379,redis-0.example,shard-id=' + 'f'.repeat(40), 'master', '-', '0-4095'),
        nodeLine(B, '[::1]:6380@16380', 'master', '-', '4096-8191'),
        nodeLine(C, '::1:6381@16381', 'master', '-', '8192-12287'),
        nodeLine(R1, '10.0.0.9:6379', 'master', '-', '12288-16383'),
        nodeLine(R2, ':0@0', 'slave,noaddr', A),
        nodeLine('d'.repeat(40), '10.0.0.7:6379@16379', 'handshake', '-'),
      ].join('\n'),
    );
    expect(r.diagnostics).toEqual([]);
    expect(r.topology!.shards.map((s) => s.id)).toEqual(['redis-0.example:6379', '[::1]:6380', '[::1]:6381', '10.0.0.9:6379']);
    expect(r.topology!.shards[0].nodes[1]).toEqual({ id: R2, role: 'replica' });
    expect(r.topology!.shards.flatMap((s) => s.nodes)).toHaveLength(5);
  });

  it('warns about a failed master that owns slots, and notes suspected failures', () => {
    const r = parseTopology(
      [
        nodeLine(A, '127.0.0.1:30001@40001', 'master,fail', '-', '0-8191'),
        nodeLine(B, '127.0.0.1:30002@40002', 'myself,master', '-', '8192-16383'),
        nodeLine(R1, '127.0.0.1:30003@40003', 'slave,fail?', B),
      ].join('\n'),
    );
    expect(r.diagnostics.map((d) => [d.severity, d.code, d.line])).toEqual([
      ['warning', 'node-failed', 1],
      ['info', 'node-failed', 3],
    ]);
    expect(r.diagnostics[0].message).toBe(
      'master 127.0.0.1:30001 is marked failed: its slots are unavailable until a replica takes over (shard 127.0.0.1:30001)',
    );
    expect(r.diagnostics[1].message).toContain('suspected');
    expect(ranges(r.topology!)).toEqual(['0-8191', '8192-16383']);
  });

  it('reports a slot assigned to two shards, naming the slots and both shards, and keeps the first', () => {
    const r = parseTopology(
      [nodeLine(A, '127.0.0.1:30001@40001', 'master', '-', '0-200', '300'), nodeLine(B, '127.0.0.1:30002@40002', 'master', '-', '150-16383')].join('\n'),
    );
    expect(r.diagnostics).toHaveLength(1);
    const [d] = r.diagnostics;
    expect(d).toMatchObject({ severity: 'error', code: 'double-assignment', line: 2 });
    expect(d.message).toBe('slots 150-200, 300 are assigned to both 127.0.0.1:30001 and 127.0.0.1:30002 (127.0.0.1:30001 is used)');
    const line = nodeLine(B, '127.0.0.1:30002@40002', 'master', '-', '150-16383');
    expect([d.column, d.endColumn]).toEqual([line.indexOf('150-16383') + 1, line.length + 1]);
    expect(r.topology!.slotShard[150]).toBe(0);
    expect(r.topology!.slotShard[250]).toBe(1);
  });

  it('reports a single unassigned slot in the singular', () => {
    const r = parseTopology(nodeLine(A, '127.0.0.1:30001@40001', 'master', '-', '0-16382'));
    expect(r.diagnostics.map((d) => d.message)).toEqual(['slot 16383 is not assigned to any shard']);
  });

  it('reports bad lines and bad slots with their columns, and keeps the good lines', () => {
    const bad = nodeLine(B, '127.0.0.1:30002@40002', 'master', '-', '8192-16384', '9-3', 'x');
    const text = [nodeLine(A, '127.0.0.1:30001@40001', 'master', '-', '0-8191'), bad, 'this is not a node line', `${C} nowhere master - 0 0 1 connected`].join(
      '\n',
    );
    const r = parseTopology(text);
    expect(r.diagnostics.map((d) => [d.severity, d.code, d.line, d.column])).toEqual([
      ['error', 'bad-slot', 2, bad.indexOf('8192-16384') + 1],
      ['error', 'bad-slot', 2, bad.indexOf(' 9-3') + 2],
      ['error', 'bad-slot', 2, bad.indexOf(' x') + 2],
      ['error', 'bad-nodes-line', 3, 1],
      ['error', 'bad-nodes-line', 4, 42],
      ['warning', 'unassigned-slots', 1, 1],
    ]);
    expect(r.diagnostics[1]).toMatchObject({ endColumn: bad.indexOf(' 9-3') + 5 });
    expect(r.topology!.shards.map((s) => s.id)).toEqual(['127.0.0.1:30001', '127.0.0.1:30002']);
  });

  it('maps positions inside a quoted CLUSTER NODES string back to the pasted line', () => {
    const text = quoteRedis(
      nodeLine(A, '127.0.0.1:30001@40001', 'master', '-', '0-16383') + '\n' + nodeLine(B, '127.0.0.1:30002@40002', 'master', '-', '99999') + '\n',
    );
    const r = parseTopology(text);
    expect(r.diagnostics).toMatchObject([{ code: 'bad-slot', line: 1 }]);
    expect(text.slice(r.diagnostics[0].column - 1, r.diagnostics[0].endColumn - 1)).toBe('99999');
  });
});

describe('CLUSTER SLOTS and SHARDS details', () => {
  it('reads --raw CLUSTER SLOTS of Redis 3 (no ids) and with replicas', () => {
    const t = ok(['0', '8191', '10.0.0.1', '6379', '10.0.0.2', '6380', '8192', '16383', '10.0.0.3', '6379'].join('\n'));
    expect(t.shards.map((s) => s.nodes)).toEqual([
      [
        { addr: '10.0.0.1:6379', role: 'master' },
        { addr: '10.0.0.2:6380', role: 'replica' },
      ],
      [{ addr: '10.0.0.3:6379', role: 'master' }],
    ]);
  });

  it('groups several ranges of one master into one shard and orders shards by lowest slot', () => {
    const json = JSON.stringify([
      [8192, 16383, ['10.0.0.2', 6379, B]],
      [0, 99, ['10.0.0.1', 6379, A], ['10.0.0.3', 6379, R1]],
      [100, 8191, ['10.0.0.1', 6379, A], ['10.0.0.3', 6379, R1]],
    ]);
    const t = ok(json);
    expect(ranges(t)).toEqual(['0-8191', '8192-16383']);
    expect(t.shards[0].nodes).toEqual([
      { id: A, addr: '10.0.0.1:6379', role: 'master' },
      { id: R1, addr: '10.0.0.3:6379', role: 'replica' },
    ]);
  });

  it('reports a double assignment across CLUSTER SLOTS entries', () => {
    const r = parseTopology(
      JSON.stringify([
        [0, 9000, ['10.0.0.1', 6379, A]],
        [9000, 16383, ['10.0.0.2', 6379, B]],
      ]),
    );
    expect(r.diagnostics.map((d) => d.message)).toEqual(['slot 9000 is assigned to both 10.0.0.1:6379 and 10.0.0.2:6379 (10.0.0.1:6379 is used)']);
  });

  it('keeps a CLUSTER SHARDS shard with no slots (a new master) and a shard whose master failed over', () => {
    const r = parseTopology(
      JSON.stringify([
        { slots: [], nodes: [{ id: C, port: 7002, ip: '10.0.0.3', endpoint: '10.0.0.3', role: 'master', 'replication-offset': 0, health: 'online' }] },
        {
          slots: [0, 16383],
          nodes: [
            { id: A, port: 7000, ip: '10.0.0.1', role: 'master', health: 'failed' },
            { id: R1, port: 7001, ip: '10.0.0.2', role: 'replica', health: 'online' },
          ],
        },
      ]),
    );
    expect(codes(r)).toEqual(['warning:node-failed']);
    expect(r.topology!.shards.map((s) => s.id)).toEqual(['10.0.0.1:7000', '10.0.0.3:7002']);
    expect(ranges(r.topology!)).toEqual(['0-16383', '']);
  });

  it('reports a wrong-shaped CLUSTER SLOTS entry on its line', () => {
    const text = fixture('c3-slots.txt').replace('2) (integer) 5460', '2) "x"');
    const r = parseTopology(text);
    expect(r.diagnostics.map((d) => [d.code, d.line])).toContainEqual(['bad-slots-entry', 1]);
  });

  it('reports broken --raw output on the line where it breaks', () => {
    const r = parseTopology('0\n5460\n127.0.0.1\nnot-a-port\n');
    expect(r.topology).toBeNull();
    expect(r.diagnostics).toMatchObject([{ severity: 'error', code: 'bad-slots-entry', line: 4 }]);
    const s = parseTopology('slots\n0\n5460\nfoo\n');
    expect(s.diagnostics).toMatchObject([{ severity: 'error', code: 'bad-slots-entry', line: 4 }]);
  });
});

describe('jsonErrorOffset', () => {
  it.each([
    ['[1,]', 3],
    ['[1 2]', 3],
    ['{"a" 1}', 5],
    ['{"a":1,}', 7],
    ['[1', 2],
    ['"abc', 4],
    ['["a\\q"]', 3],
    ['[01]', 2],
    ['[1] x', 4],
    ['[tru]', 1],
    ['  ', 2],
  ])('%j fails at offset %i', (text, offset) => {
    expect(() => JSON.parse(text)).toThrow();
    expect(jsonErrorOffset(text)).toBe(offset);
  });

  it('does not overflow on deep nesting', () => {
    expect(jsonErrorOffset('['.repeat(1 << 20) + '}')).toBe(1 << 20);
  });
});

describe('what is not a topology', () => {
  it.each(['', '   \n\n', '127.0.0.1:6379> CLUSTER NODES\n'])('%j: nothing to read, an info', (text) => {
    expect(parseTopology(text)).toEqual({
      topology: null,
      diagnostics: [expect.objectContaining({ severity: 'info', code: 'empty-topology', line: 1 })],
    });
  });

  it.each([
    ['(error) ERR This instance has cluster support disabled', 'redis-error', 'Redis answered with an error: ERR This instance has cluster support disabled'],
    ['ERR This instance has cluster support disabled', 'redis-error', 'Redis answered with an error: ERR This instance has cluster support disabled'],
    ['(empty array)', 'empty-reply', 'the reply is empty: no slots are assigned in this cluster'],
    ['[]', 'empty-reply', 'the reply is empty: no slots are assigned in this cluster'],
  ])('%j → %s', (text, code, message) => {
    const r = parseTopology(text);
    expect(r.topology).toBeNull();
    expect(r.diagnostics).toMatchObject([{ code, message }]);
  });

  it.each([
    ['hello world', 1, 1],
    ['\n\n  just some text', 3, 3],
    ['{"a": 1}', 1, 1],
    ['[1, 2, 3]', 1, 1],
    ['"not nodes"', 1, 1],
    ['1) "a"\n2) "b"', 1, 1],
  ])('garbage %j → an error at line %i', (text, line, column) => {
    const r = parseTopology(text);
    expect(r.topology).toBeNull();
    expect(r.diagnostics).toHaveLength(1);
    expect(r.diagnostics[0]).toMatchObject({ severity: 'error', line, column });
  });

  it('reports invalid JSON with its position', () => {
    const r = parseTopology('[[0, 5460, ["127.0.0.1", 30001,]]]');
    expect(r.diagnostics).toMatchObject([{ severity: 'error', code: 'bad-json', line: 1 }]);
    expect(r.diagnostics[0].column).toBeGreaterThan(25);
    const multi = parseTopology('[\n  [0, 5460,\n  oops\n]');
    expect(multi.diagnostics).toMatchObject([{ code: 'bad-json', line: 3 }]);
  });

  it('never throws on odd values', () => {
    for (const v of [null, undefined, 42, {}, '\u0000', '\ufeff', '\\', '"', '[', '{', '1)', '1) ', '1# "a" => ', 'slots', '0', 'nodes']) {
      expect(() => parseTopology(v as string)).not.toThrow();
    }
  });

  it('handles 1 MB of junk of every flavour without throwing, with a bounded number of diagnostics', () => {
    let seed = 12345;
    const rand = () => (seed = (seed * 1103515245 + 12345) & 0x7fffffff) / 0x7fffffff;
    const printable = Array.from({ length: 1 << 20 }, () => String.fromCharCode(32 + Math.floor(rand() * 95)) + (rand() < 0.02 ? '\n' : '')).join('');
    const flavours = {
      printable,
      nodesLike: (A + ' ' + printable.slice(0, 200).replace(/\n/g, ' ') + '\n').repeat(5000),
      manyBadNodeLines: (nodeLine(A, '127.0.0.1:1@2', 'master', '-', 'x') + '\n').repeat(10000),
      tty: ('1) ' + printable.slice(0, 100).replace(/\n/g, ' ') + '\n').repeat(10000),
      ttyDeep: '1) '.repeat(300000),
      json: '[' + printable,
      jsonDeep: '['.repeat(1 << 20),
      raw: '0\n' + printable,
      rawNumbers: '1\n'.repeat(500000),
      quoted: '"' + printable.replace(/\n/g, '\\n'),
      longLine: A + ' ' + 'x'.repeat(1 << 20),
      oneHugeToken: '7'.repeat(1 << 20),
      shardsRaw: 'slots\n' + 'id\n'.repeat(300000),
      // ~9000 masters that all claim every slot: 9000 × 16384 slot checks, one capped error list.
      allClaimAll: Array.from({ length: 9000 }, (_, i) =>
        nodeLine(i.toString(16).padStart(40, '0'), `10.0.${i >> 8}.${i & 255}:6379@16379`, 'master', '-', '0-16383'),
      ).join('\n'),
      moreMastersThanSlots: Array.from({ length: 17000 }, (_, i) =>
        nodeLine(i.toString(16).padStart(40, '0'), `10.${i >> 8}.0.${i & 255}:1@2`, 'master', '-'),
      ).join('\n'),
      oneLineManyRanges: nodeLine(A, '10.0.0.1:6379@16379', 'master', '-', ...Array(100000).fill('0-16383')),
    };
    // Speed is the bench's business, not a test's: a hang still fails here (the test's timeout).
    for (const [name, text] of Object.entries(flavours)) {
      let r: TopologyResult | undefined;
      expect(() => (r = parseTopology(text)), name).not.toThrow();
      if (name === 'oneLineManyRanges') expect(ranges(r!.topology!)).toEqual(['0-16383']);
      else expect(r!.diagnostics.length, name).toBeGreaterThan(0);
      expect(r!.diagnostics.filter((d) => d.severity === 'error').length, name).toBeLessThanOrEqual(MAX_ERRORS + 1);
    }
  });
});
