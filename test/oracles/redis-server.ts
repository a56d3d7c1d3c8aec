/**
 * Test oracle: a real, throw-away single-node redis-server in cluster mode
 * that owns all 16384 slots. Used as ground truth for CLUSTER KEYSLOT and for
 * which multi-key commands Redis rejects with CROSSSLOT.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { mkdtemp, rm } from 'node:fs/promises';
import { rmSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { findExecutable } from './find-executable.ts';
import { RespConnection, type RespArg, type RespValue } from './resp.ts';

export type { RespValue } from './resp.ts';

export interface RedisOracle {
  port: number;
  /** Sends one command (binary-safe args) and returns the decoded RESP reply. Errors come back as {error: string}, not thrown. */
  command(args: (Uint8Array | string)[]): Promise<RespValue>;
  /** Pipelined: many commands, replies in order. */
  pipeline(cmds: (Uint8Array | string)[][]): Promise<RespValue[]>;
  /** CLUSTER KEYSLOT for each key, pipelined. Keys are raw bytes. */
  keyslots(keys: Uint8Array[]): Promise<number[]>;
  stop(): Promise<void>;
}

const STARTUP_TIMEOUT_MS = 15_000;
const STOP_TIMEOUT_MS = 5_000;
const START_ATTEMPTS = 3;
const LOG_LIMIT = 16 * 1024;

/**
 * Runs redis-server under a tiny sh watchdog. The watchdog reads our stdin
 * pipe (via fd 3, because sh points a background job's stdin at /dev/null) and
 * on EOF SIGKILLs redis and removes its temp dir. EOF happens however this
 * Node process dies, even by SIGKILL when no 'exit' handler gets to run. sh
 * itself exits with redis's status, so the ChildProcess 'exit' event tracks redis.
 */
const WATCHDOG_SCRIPT = [
  '"$0" "$@" </dev/null &',
  'child=$!',
  'exec 3<&0',
  '{ cat <&3; kill -9 "$child"; rm -rf "$ORACLE_TMPDIR"; } >/dev/null 2>&1 &',
  'exec 3<&-',
  'wait "$child"',
].join('\n');

/** Emergency cleanups for every live server, run synchronously if the test process exits without stop(). */
const liveCleanups = new Set<() => void>();
let exitHookInstalled = false;

function registerEmergencyCleanup(cleanup: () => void): () => void {
  if (!exitHookInstalled) {
    process.on('exit', () => {
      for (const fn of liveCleanups) fn();
    });
    exitHookInstalled = true;
  }
  liveCleanups.add(cleanup);
  return () => liveCleanups.delete(cleanup);
}

/** Asks the kernel for `count` distinct free loopback ports (held open together so they differ). */
export async function freePorts(count: number): Promise<number[]> {
  const servers: Server[] = [];
  try {
    for (let i = 0; i < count; i++) {
      const server = createServer();
      servers.push(server);
      server.listen(0, '127.0.0.1');
      await once(server, 'listening');
    }
    return servers.map((s) => {
      const address = s.address();
      if (!address || typeof address === 'string') throw new Error('could not determine a free port');
      return address.port;
    });
  } finally {
    await Promise.all(servers.map((s) => new Promise((resolve) => s.close(resolve))));
  }
}

function redisArgs(dir: string, port: number, busPort: number): string[] {
  return [
    '--port',
    String(port),
    // The cluster bus defaults to port+10000, which may be taken or exceed 65535.
    '--cluster-port',
    String(busPort),
    '--bind',
    '127.0.0.1',
    '--protected-mode',
    'yes',
    '--daemonize',
    'no',
    '--cluster-enabled',
    'yes',
    '--cluster-config-file',
    join(dir, 'nodes.conf'),
    '--dir',
    dir,
    '--save',
    '',
    '--appendonly',
    'no',
  ];
}

/** Keeps the tail of redis's log so startup failures can be explained. */
function captureLog(child: ChildProcess): () => string {
  let log = '';
  const append = (chunk: Buffer) => {
    log = (log + chunk.toString('utf8')).slice(-LOG_LIMIT);
  };
  child.stdout?.on('data', append);
  child.stderr?.on('data', append);
  return () => log;
}

function isBytes(value: RespValue, text: string): boolean {
  return value instanceof Uint8Array && Buffer.from(value).toString('latin1') === text;
}

function showReply(value: RespValue): string {
  if (value instanceof Uint8Array) return JSON.stringify(Buffer.from(value).toString('latin1'));
  return JSON.stringify(value);
}

/** Polls until redis answers PING with PONG; fails fast if the process has already exited. */
async function connectWhenReady(port: number, child: ChildProcess, log: () => string): Promise<RespConnection> {
  const deadline = Date.now() + STARTUP_TIMEOUT_MS;
  while (Date.now() < deadline) {
    if (child.exitCode !== null || child.signalCode !== null) {
      throw new Error(`redis-server exited during startup (code ${child.exitCode}, signal ${child.signalCode}):\n${log()}`);
    }
    try {
      const conn = await RespConnection.open(port);
      const [reply] = await conn.send([['PING']]);
      if (isBytes(reply, 'PONG')) return conn;
      conn.close();
    } catch {
      // Not listening yet (or a LOADING reply); retry shortly.
    }
    await sleep(25);
  }
  throw new Error(`redis-server did not answer PING within ${STARTUP_TIMEOUT_MS} ms:\n${log()}`);
}

/** Assigns every slot to the single node and waits for the cluster to report itself healthy. */
async function makeClusterOwnAllSlots(conn: RespConnection): Promise<void> {
  const [added] = await conn.send([['CLUSTER', 'ADDSLOTSRANGE', '0', '16383']]);
  if (!isBytes(added, 'OK')) throw new Error(`CLUSTER ADDSLOTSRANGE failed: ${showReply(added)}`);
  const deadline = Date.now() + STARTUP_TIMEOUT_MS;
  let info = '';
  while (Date.now() < deadline) {
    const [reply] = await conn.send([['CLUSTER', 'INFO']]);
    info = reply instanceof Uint8Array ? Buffer.from(reply).toString('latin1') : showReply(reply);
    if (/^cluster_state:ok\r?$/m.test(info)) return;
    await sleep(25);
  }
  throw new Error(`cluster did not reach cluster_state:ok within ${STARTUP_TIMEOUT_MS} ms:\n${info}`);
}

async function serverPid(conn: RespConnection): Promise<number | null> {
  const [reply] = await conn.send([['INFO', 'server']]);
  const text = reply instanceof Uint8Array ? Buffer.from(reply).toString('latin1') : '';
  const match = /^process_id:(\d+)/m.exec(text);
  return match ? Number(match[1]) : null;
}

function killQuietly(pid: number | null | undefined, signal: NodeJS.Signals = 'SIGKILL'): void {
  if (!pid) return;
  try {
    process.kill(pid, signal);
  } catch {
    // Already gone.
  }
}

function exited(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return once(child, 'exit').then(() => undefined);
}

async function startOnce(redisPath: string): Promise<RedisOracle> {
  const dir = await mkdtemp(join(tmpdir(), 'redis-oracle-'));
  const [port, busPort] = await freePorts(2);
  const child = spawn('/bin/sh', ['-c', WATCHDOG_SCRIPT, redisPath, ...redisArgs(dir, port, busPort)], {
    stdio: ['pipe', 'pipe', 'pipe'],
    env: { ...process.env, ORACLE_TMPDIR: dir },
  });
  child.on('error', () => {}); // surfaced through the exit checks below
  const log = captureLog(child);
  let redisPid: number | null = null;
  const unregister = registerEmergencyCleanup(() => {
    killQuietly(redisPid);
    killQuietly(child.pid);
    rmSync(dir, { recursive: true, force: true });
  });

  let conn: RespConnection | null = null;
  let stopped: Promise<void> | null = null;

  const stop = (): Promise<void> =>
    (stopped ??= (async () => {
      if (conn && child.exitCode === null) {
        // No reply comes back: the server closes the connection as it exits.
        conn.send([['SHUTDOWN', 'NOSAVE']]).catch(() => {});
      }
      const timedOut = await Promise.race([exited(child).then(() => false), sleep(STOP_TIMEOUT_MS).then(() => true)]);
      if (timedOut) {
        killQuietly(redisPid);
        killQuietly(child.pid);
        await exited(child);
      }
      conn?.close();
      child.stdin?.end(); // lets the watchdog finish
      unregister();
      await rm(dir, { recursive: true, force: true });
    })());

  try {
    conn = await connectWhenReady(port, child, log);
    redisPid = await serverPid(conn);
    await makeClusterOwnAllSlots(conn);
  } catch (error) {
    await stop();
    throw error;
  }

  const ready = conn;
  const pipeline = (cmds: RespArg[][]) => ready.send(cmds);
  return {
    port,
    command: async (args) => (await ready.send([args]))[0],
    pipeline,
    keyslots: async (keys) => {
      const replies = await pipeline(keys.map((key) => ['CLUSTER', 'KEYSLOT', key]));
      return replies.map((reply, i) => {
        if (typeof reply !== 'number') throw new Error(`CLUSTER KEYSLOT failed for key #${i}: ${showReply(reply)}`);
        return reply;
      });
    },
    stop,
  };
}

/**
 * Starts a private redis-server (127.0.0.1 only, fresh temp dir, no persistence)
 * in cluster mode with every slot assigned to it. Call stop() when done.
 */
export async function startRedisCluster(): Promise<RedisOracle> {
  const redisPath = findExecutable('redis-server', 'redis-server');
  let lastError: unknown;
  // Retries cover the small race between probing a free port and redis binding it.
  for (let attempt = 1; attempt <= START_ATTEMPTS; attempt++) {
    try {
      return await startOnce(redisPath);
    } catch (error) {
      lastError = error;
    }
  }
  throw lastError;
}
