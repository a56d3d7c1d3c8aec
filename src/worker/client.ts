import type { AnalysisResult, Explanation, Inputs, KeyRow, KeySort, Settings, WorkerRequest, WorkerResponse } from './protocol.ts';

type Waiter = (r: WorkerResponse) => void;
type DistributiveOmit<T, K extends keyof T> = T extends unknown ? Omit<T, K> : never;

/**
 * Main-thread side of the analysis worker. For analyses only the newest request matters: while the
 * worker is busy, later requests replace each other and only the last is sent; stale answers are
 * dropped. Row and explain requests are answered in order after the analysis they follow. Cancel
 * (or a crash) terminates the worker and starts a fresh one; the page keeps its inputs.
 */
export class AnalysisClient {
  private worker!: Worker;
  private nextId = 1;
  private analyzing = 0;
  private queued: { inputs: Inputs; settings: Settings } | null = null;
  private waiters = new Map<number, Waiter>();

  constructor(
    private readonly onResult: (r: AnalysisResult) => void,
    private readonly onBusy: (busy: boolean) => void,
    private readonly onError: (message: string) => void,
  ) {
    this.start();
  }

  private start(): void {
    this.worker = new Worker(new URL('./analysis.worker.ts', import.meta.url), { type: 'module' });
    this.worker.onmessage = (e: MessageEvent<WorkerResponse>) => this.receive(e.data);
    this.worker.onerror = (e) => {
      e.preventDefault();
      this.restart();
      this.onError(e.message || 'the analysis worker stopped');
    };
  }

  private receive(r: WorkerResponse): void {
    const waiter = this.waiters.get(r.id);
    if (waiter) {
      this.waiters.delete(r.id);
      waiter(r);
      return;
    }
    if (r.id !== this.analyzing) return;
    this.analyzing = 0;
    if (this.queued) {
      const next = this.queued;
      this.queued = null;
      this.analyze(next.inputs, next.settings);
    } else this.onBusy(false);
    if (r.type === 'result') this.onResult(r.result);
    else if (r.type === 'error') this.onError(r.message);
  }

  analyze(inputs: Inputs, settings: Settings): void {
    if (this.analyzing) {
      this.queued = { inputs, settings };
      return;
    }
    const id = this.nextId++;
    this.analyzing = id;
    this.onBusy(true);
    this.worker.postMessage({ id, type: 'analyze', inputs, settings } satisfies WorkerRequest);
  }

  rows(offset: number, limit: number, filter: string, sort: KeySort): Promise<{ rows: KeyRow[]; total: number }> {
    return this.ask({ type: 'rows', offset, limit, filter, sort }).then((r) => (r.type === 'rows' ? r : { rows: [], total: 0 }));
  }

  explain(index: number): Promise<Explanation | null> {
    return this.ask({ type: 'explain', index }).then((r) => (r.type === 'explain' ? r.explanation : null));
  }

  export(format: 'markdown' | 'csv' | 'json'): Promise<string> {
    return this.ask({ type: 'export', format }).then((r) => (r.type === 'export' ? r.text : ''));
  }

  slotKeys(slot: number): Promise<string[]> {
    return this.ask({ type: 'slot', slot }).then((r) => (r.type === 'slot' ? r.keys : []));
  }

  private ask(req: DistributiveOmit<Extract<WorkerRequest, { type: 'rows' | 'explain' | 'slot' | 'export' }>, 'id'>): Promise<WorkerResponse> {
    const id = this.nextId++;
    return new Promise((resolve) => {
      this.waiters.set(id, resolve);
      this.worker.postMessage({ ...req, id } as WorkerRequest);
    });
  }

  /** Stops the current analysis: the worker is replaced; the caller decides whether to analyse again. */
  cancel(): void {
    this.restart();
  }

  private restart(): void {
    this.worker.terminate();
    for (const w of this.waiters.values()) w({ id: 0, type: 'error', message: 'cancelled' });
    this.waiters.clear();
    this.analyzing = 0;
    this.queued = null;
    this.onBusy(false);
    this.start();
  }

  dispose(): void {
    this.worker.terminate();
  }
}
