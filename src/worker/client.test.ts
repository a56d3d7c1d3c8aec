import { describe, expect, it } from 'vitest';
import type { Inputs, Settings } from '../core/index.ts';
import { AnalysisClient, type ClientEvents, type WorkerLike } from './client.ts';
import type { AnalysisResult, WorkerRequest, WorkerResponse } from './protocol.ts';

/** A worker that records what it is sent and answers only when told to. */
class FakeWorker implements WorkerLike {
  posted: WorkerRequest[] = [];
  terminated = false;
  onmessage: ((e: MessageEvent<WorkerResponse>) => void) | null = null;
  onerror: ((e: ErrorEvent) => void) | null = null;
  postMessage(message: unknown): void {
    this.posted.push(message as WorkerRequest);
  }
  terminate(): void {
    this.terminated = true;
  }
  reply(r: WorkerResponse): void {
    this.onmessage?.({ data: r } as MessageEvent<WorkerResponse>);
  }
}

const INPUTS: Inputs = { keys: 'a', rules: '', rulesB: '', commands: '', topology: '' };
const SETTINGS: Settings = {
  policy: 'redis',
  compare: null,
  target: 'oss-cluster',
  implicitShardKey: false,
  layout: { kind: 'even', count: 3 },
  patternSamples: 32,
};
const job = (keys: string) => ({ inputs: { ...INPUTS, keys }, settings: SETTINGS });
const result = (millis: number) => ({ millis }) as AnalysisResult;

function setup() {
  const workers: FakeWorker[] = [];
  let now = 0;
  let tick: () => void = () => {};
  const seen: { results: number[]; busy: boolean[]; restarted: string[]; errors: string[] } = { results: [], busy: [], restarted: [], errors: [] };
  const events: ClientEvents = {
    result: (r) => seen.results.push(r.millis),
    busy: (b) => seen.busy.push(b),
    error: (m) => seen.errors.push(m),
    restarted: (m) => seen.restarted.push(m),
  };
  const client = new AnalysisClient(events, {
    createWorker: () => {
      const w = new FakeWorker();
      workers.push(w);
      return w;
    },
    watchdogMs: 10_000,
    now: () => now,
    setInterval: (f) => ((tick = f), 1),
    clearInterval: () => {},
  });
  const keysOf = (w: FakeWorker) => w.posted.map((p) => (p.type === 'analyze' ? p.inputs.keys : p.type));
  return { client, workers, seen, keysOf, advance: (ms: number) => ((now += ms), tick()) };
}

describe('AnalysisClient: the newest request wins', () => {
  it('while the worker is busy, later requests replace each other; only the last is sent', () => {
    const { client, workers, seen, keysOf } = setup();
    client.analyze(job('A'));
    client.analyze(job('B'));
    client.analyze(job('C'));
    const [w] = workers;
    expect(keysOf(w)).toEqual(['A']);
    w.reply({ id: w.posted[0].id, type: 'result', result: result(1) });
    expect(keysOf(w)).toEqual(['A', 'C']);
    w.reply({ id: w.posted[1].id, type: 'result', result: result(3) });
    expect(seen.results).toEqual([1, 3]);
    expect(seen.busy.at(-1)).toBe(false);
  });

  it('an answer for a request that is no longer current is dropped', () => {
    const { client, workers, seen } = setup();
    client.analyze({ ...job('file'), file: { blob: new Blob(['k']), name: 'k.txt' } });
    const first = workers[0];
    // A new request stops a file analysis: the worker is replaced, its late answer ignored.
    client.analyze(job('typed'));
    expect(first.terminated).toBe(true);
    first.reply({ id: first.posted[0].id, type: 'result', result: result(7) });
    const second = workers[1];
    second.reply({ id: second.posted[0].id, type: 'result', result: result(8) });
    expect(seen.results).toEqual([8]);
  });
});

describe('AnalysisClient: the watchdog', () => {
  it('replaces a worker that sends nothing for 10 s, says so, and sends the newer job, not the hung one', () => {
    const { client, workers, seen, keysOf, advance } = setup();
    client.analyze(job('hangs'));
    client.analyze(job('newer'));
    advance(9_000);
    expect(workers).toHaveLength(1);
    advance(1_500);
    expect(workers[0].terminated).toBe(true);
    expect(workers).toHaveLength(2);
    expect(keysOf(workers[1])).toEqual(['newer']);
    expect(seen.restarted).toEqual([
      'The analysis stopped answering for 10 s and was restarted. Your inputs are unchanged; edit them or press Analyse again to retry.',
    ]);
  });

  it('progress messages keep a long analysis alive: slow is not hung', () => {
    const { client, workers, seen, advance } = setup();
    client.analyze({ ...job('big'), file: { blob: new Blob(['k']), name: 'big.txt' } });
    const [w] = workers;
    for (let i = 0; i < 10; i++) {
      advance(5_000);
      w.reply({ id: w.posted[0].id, type: 'progress', bytes: i, total: 10, keys: i, millis: i });
    }
    expect(workers).toHaveLength(1);
    expect(seen.restarted).toEqual([]);
  });

  it('an idle worker is never restarted', () => {
    const { workers, advance } = setup();
    advance(60_000);
    expect(workers).toHaveLength(1);
  });
});

describe('AnalysisClient: exports', () => {
  it('an export the worker refuses rejects with its message (the page shows it)', async () => {
    const { client, workers } = setup();
    const pending = client.export('markdown');
    const [w] = workers;
    w.reply({ id: w.posted[0].id, type: 'error', message: 'nothing to export: The custom rules have errors' });
    await expect(pending).rejects.toThrow('nothing to export: The custom rules have errors');
  });
});
