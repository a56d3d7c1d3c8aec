import type { WorkerRequest, WorkerResponse } from './protocol.ts';

type Pending = Omit<WorkerRequest, 'id'>;

/**
 * Main-thread side of the analysis worker. Only the newest request matters: while the worker is busy,
 * later requests replace each other and only the last is sent; stale answers are dropped.
 */
export class AnalysisClient {
  private worker: Worker;
  private nextId = 1;
  private inFlight = 0;
  private queued: Pending | null = null;

  constructor(private readonly onResult: (r: WorkerResponse) => void) {
    this.worker = new Worker(new URL('./analysis.worker.ts', import.meta.url), { type: 'module' });
    this.worker.onmessage = (e: MessageEvent<WorkerResponse>) => {
      const latest = e.data.id === this.nextId - 1;
      this.inFlight = 0;
      if (this.queued) {
        const next = this.queued;
        this.queued = null;
        this.send(next);
      } else if (latest) this.onResult(e.data);
    };
    this.worker.onerror = (e) => {
      this.inFlight = 0;
      this.onResult({ id: this.nextId - 1, type: 'error', message: e.message || 'the analysis worker failed' });
    };
  }

  request(req: Pending): void {
    if (this.inFlight) this.queued = req;
    else this.send(req);
  }

  private send(req: Pending): void {
    const id = this.nextId++;
    this.inFlight = id;
    this.worker.postMessage({ ...req, id } satisfies WorkerRequest);
  }

  dispose(): void {
    this.worker.terminate();
  }
}
