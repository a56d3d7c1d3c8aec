/**
 * Ground truth from the real tools: throw-away local clusters made by `redis-cli --cluster create`,
 * read back with redis-cli in every output mode, must parse to exactly `redisCliCreateLayout(N)`.
 * Every server is started here under a watchdog (killed when this process's pipe closes, however it
 * dies) and stopped in afterAll / on failure.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, describe, expect, it } from 'vitest';
import { findExecutable } from '../../../test/oracles/find-executable.ts';
import { redisCliCreateLayout, redisCliCreateRanges } from './layout.ts';
import { parseTopology } from './parse.ts';
import { shardRuns } from './ranges.ts';
import type { Topology } from './types.ts';
import { freePorts } from '../../../test/oracles/redis-server.ts';

const REDIS_SERVER = findExecutable('redis-server', 'redis-server');
const REDIS_CLI = findExecutable('redis-cli', 'redis-tools');

const WATCHDOG = ['"$0" "$@" </dev/null &', 'child=$!', 'exec 3<&0', '{ cat <&3; kill -9 "$child"; } >/dev/null 2>&1 &', 'exec 3<&-', 'wait "$child"'].join(
  '\n',
);

interface Server1 {
  port: number;
  child: ChildProcess;
  dir: string;
}
const live = new Set<Server1>();
process.on('exit', () => {
  for (const s of live) s.child.stdin?.destroy(); // the watchdog SIGKILLs redis on EOF
});

/** Runs redis-cli; resolves with stdout (stderr appended), never rejects on a non-zero exit. */
function cli(args: string[], input = ''): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(REDIS_CLI, args, { stdio: ['pipe', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString('utf8')));
    child.stderr.on('data', (d: Buffer) => (err += d.toString('utf8')));
    child.on('error', reject);
    child.stdin.on('error', () => {}); // redis-cli may exit before reading its input (EPIPE)
    const timer = setTimeout(() => child.kill('SIGKILL'), 60_000);
    child.on('close', () => {
      clearTimeout(timer);
      resolve(out + err);
    });
    child.stdin.end(input);
  });
}

async function startServer(dir: string, port: number, busPort: number): Promise<Server1> {
  const args = [
    '--port',
    String(port),
    '--cluster-port',
    String(busPort),
    '--bind',
    '127.0.0.1',
    '--protected-mode',
    'yes',
    '--cluster-enabled',
    'yes',
    '--cluster-config-file',
    join(dir, `nodes-${port}.conf`),
    '--dir',
    dir,
    '--save',
    '',
    '--appendonly',
    'no',
    '--daemonize',
    'no',
    '--logfile',
    join(dir, `log-${port}.txt`),
  ];
  const child = spawn('/bin/sh', ['-c', WATCHDOG, REDIS_SERVER, ...args], { stdio: ['pipe', 'ignore', 'ignore'] });
  child.on('error', () => {});
  const server = { port, child, dir };
  live.add(server);
  const deadline = Date.now() + 15_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) break;
    if ((await cli(['-p', String(port), 'PING'])).trim() === 'PONG') return server;
    await sleep(25);
  }
  let log = '';
  try {
    log = readFileSync(join(dir, `log-${port}.txt`), 'utf8').slice(-2000);
  } catch {
    // no log yet
  }
  await stopServer(server);
  throw new Error(`redis-server on port ${port} did not start:\n${log}`);
}

async function stopServer(server: Server1): Promise<void> {
  if (!live.delete(server)) return;
  const exited = server.child.exitCode !== null || server.child.signalCode !== null ? Promise.resolve() : once(server.child, 'exit');
  server.child.stdin?.end();
  await Promise.race([exited, sleep(5000).then(() => server.child.kill('SIGKILL'))]);
}

/** Starts `n` empty cluster-enabled servers in one temp dir (retrying once if a port was taken meanwhile). */
async function startServers(n: number): Promise<{ servers: Server1[]; stop: () => Promise<void> }> {
  const dir = mkdtempSync(join(tmpdir(), 'topology-cluster-'));
  const servers: Server1[] = [];
  const stop = async () => {
    await Promise.all(servers.map(stopServer));
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    const ports = await freePorts(2 * n);
    for (let i = 0; i < n; i++) servers.push(await startServer(dir, ports[i], ports[n + i]));
    return { servers, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}

const ranges = (t: Topology) => shardRuns(t).map((runs) => runs.map(([a, b]) => `${a}-${b}`).join(', '));
const createdSplit = (output: string) => [...output.matchAll(/Master\[(\d+)\] -> Slots (\d+) - (\d+)/g)].map((m) => [Number(m[2]), Number(m[3])]);

afterAll(async () => {
  await Promise.all([...live].map(stopServer));
});

describe('redis-cli --cluster create on real servers (redis 7.0)', () => {
  it.each([3, 5, 7])(
    'N=%i: NODES, SLOTS and SHARDS in normal, --raw and RESP3 modes all parse to redisCliCreateLayout(N)',
    async (n) => {
      const { servers, stop } = await startServers(n);
      try {
        const addrs = servers.map((s) => `127.0.0.1:${s.port}`);
        const created = await cli(['--cluster', 'create', ...addrs, '--cluster-yes']);
        expect(created, created).toContain('[OK] All 16384 slots covered');
        const expected = redisCliCreateLayout(n).topology!;
        expect(createdSplit(created)).toEqual(redisCliCreateRanges(n));

        // Until every node knows every other node and all slots.
        const p = String(servers[0].port);
        const deadline = Date.now() + 30_000;
        for (;;) {
          const info = await cli(['-p', p, 'CLUSTER', 'INFO']);
          if (/cluster_state:ok/.test(info) && info.includes(`cluster_known_nodes:${n}`) && info.includes('cluster_slots_assigned:16384')) break;
          if (Date.now() > deadline) throw new Error(`cluster never settled:\n${info}`);
          await sleep(50);
        }

        const outputs: Record<string, string> = {};
        for (const cmd of ['NODES', 'SLOTS', 'SHARDS']) {
          outputs[`${cmd} normal`] = await cli(['-p', p, '--no-raw', 'CLUSTER', cmd]);
          outputs[`${cmd} --raw`] = await cli(['-p', p, '--raw', 'CLUSTER', cmd]);
          if (cmd !== 'NODES') {
            outputs[`${cmd} -3`] = await cli(['-3', '-p', p, '--no-raw', 'CLUSTER', cmd]);
            outputs[`${cmd} -3 --raw`] = await cli(['-3', '-p', p, '--raw', 'CLUSTER', cmd]);
          }
          // As pasted from an interactive session: prompt, command, reply, next prompt.
          outputs[`${cmd} with prompt`] = `127.0.0.1:${p}> CLUSTER ${cmd}\n${outputs[`${cmd} normal`]}127.0.0.1:${p}> \n`;
        }
        const topologies = Object.entries(outputs).map(([form, text]) => {
          const r = parseTopology(text);
          expect(r.diagnostics, `${form}:\n${text}`).toEqual([]);
          expect(ranges(r.topology!), form).toEqual(ranges(expected));
          expect(r.topology!.migrating, form).toEqual([]);
          return [form, r.topology!] as const;
        });
        // All forms agree on which node owns what, and name shards by address, in slot order.
        const first = topologies[0][1];
        expect(first.shards.map((s) => s.nodes)).toHaveLength(n);
        const owners = first.shards.map((s) => s.nodes[0].addr);
        expect([...owners].sort()).toEqual([...addrs].sort());
        for (const [form, t] of topologies) {
          expect(t.shards, form).toEqual(first.shards);
          expect(Array.from(t.slotShard), form).toEqual(Array.from(expected.slotShard));
        }
        expect(first.shards.map((s) => s.id)).toEqual(owners);
      } finally {
        await stop();
      }
    },
    120_000,
  );

  it('prints the split of redisCliCreateRanges(N) for N = 3..128, 200, 1000, 7542; refuses N = 2 (an empty node N times, answered "no")', async () => {
    const { servers, stop } = await startServers(1);
    try {
      const addr = `127.0.0.1:${servers[0].port}`;
      const two = await cli(['--cluster', 'create', addr, addr], 'no\n');
      expect(two).toContain('Redis Cluster requires at least 3 master nodes');
      const counts = [...Array.from({ length: 126 }, (_, i) => i + 3), 200, 1000, 7542];
      for (const n of counts) {
        const out = await cli(['--cluster', 'create', ...Array(n).fill(addr)], 'no\n');
        expect(createdSplit(out), `N=${n}`).toEqual(redisCliCreateRanges(n));
      }
      // Answering "no" left the node untouched.
      expect(await cli(['-p', String(servers[0].port), 'CLUSTER', 'INFO'])).toContain('cluster_slots_assigned:0');
    } finally {
      await stop();
    }
  }, 300_000);
});
