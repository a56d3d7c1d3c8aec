import type { Explanation, Inputs, ReportMeta, Settings } from '../core/index.ts';
import type { AnalysisResult, ExportFormat, KeyRow, KeySort, WorkerRequest, WorkerResponse } from './protocol.ts';

type Waiter = (r: WorkerResponse) => void;
type DistributiveOmit<T, K extends keyof T> = T extends unknown ? Omit<T, K> : never;

/** What to analyse: the editor's text, or keys from a file (then `inputs.keys` is ignored). */
export type Job = { inputs: Inputs; settings: Settings; file?: { blob: Blob; name: string } };

export interface FileProgress {
  name: string;
  bytes: number;
  total: number;
  keys: number;
  millis: number;
}

export interface ClientEvents {
  result(r: AnalysisResult): void;
  busy(busy: boolean): void;
  error(message: string): void;
  progress?(p: FileProgress | null): void;
  /** The worker stopped answering and was replaced. */
  restarted?(message: string): void;
}

/** An analysis that sends nothing for this long is taken as hung (a file sends progress every few hundred ms). */
export const WATCHDOG_MS = 10_000;

/** The part of a Worker the client uses: a real one in the page, a fake one in unit tests. */
export type WorkerLike = Pick<Worker, 'postMessage' | 'terminate'> & {
  onmessage: ((e: MessageEvent<WorkerResponse>) => void) | null;
  onerror: ((e: ErrorEvent) => void) | null;
};

export interface ClientOptions {
  /** Starts a worker (again after a cancel, a crash or a hang). */
  createWorker?: () => WorkerLike;
  watchdogMs?: number;
  /** The clock and timer the watchdog uses (tests drive them). */
  now?: () => number;
  setInterval?: (f: () => void, ms: number) => unknown;
  clearInterval?: (handle: unknown) => void;
}

/** The page's analysis worker (module worker, bundled by Vite). */
function createAnalysisWorker(): WorkerLike {
  return new Worker(new URL('./analysis.worker.ts', import.meta.url), { type: 'module' }) as WorkerLike;
}

/**
 * Main-thread side of the analysis worker. For analyses only the newest request matters: while the
 * worker is busy, later requests replace each other and only the last is sent; stale answers are
 * dropped. A file analysis is not waited for: a new request stops it. Row and explain requests are
 * answered in order after the analysis they follow. Cancel, a crash or a hang (the watchdog) replaces
 * the worker with a fresh one; the page keeps its inputs.
 */
export class AnalysisClient {
  private worker!: WorkerLike;
  private nextId = 1;
  private analyzing = 0;
  private current: Job | null = null;
  private queued: Job | null = null;
  private waiters = new Map<number, Waiter>();
  private lastHeard = 0;
  private readonly watchdog: unknown;
  private readonly watchdogMs: number;
  private readonly createWorker: () => WorkerLike;
  private readonly now: () => number;
  private readonly stopTimer: (handle: unknown) => void;

  constructor(
    private readonly events: ClientEvents,
    options: ClientOptions = {},
  ) {
    this.createWorker = options.createWorker ?? createAnalysisWorker;
    this.watchdogMs = options.watchdogMs ?? WATCHDOG_MS;
    this.now = options.now ?? (() => performance.now());
    this.stopTimer = options.clearInterval ?? ((h) => clearInterval(h as ReturnType<typeof setInterval>));
    this.start();
    this.watchdog = (options.setInterval ?? setInterval)(() => this.check(), Math.min(1000, this.watchdogMs));
  }

  private start(): void {
    this.worker = this.createWorker();
    this.worker.onmessage = (e: MessageEvent<WorkerResponse>) => this.receive(e.data);
    this.worker.onerror = (e) => {
      e.preventDefault();
      this.restart();
      this.events.error(e.message || 'the analysis worker stopped');
    };
  }

  private check(): void {
    if (!this.analyzing || this.now() - this.lastHeard < this.watchdogMs) return;
    const seconds = Math.round(this.watchdogMs / 1000);
    // The job that hung is not sent again (it would hang again); a newer one that was waiting is.
    const newer = this.queued;
    this.restart();
    if (newer) this.analyze(newer);
    this.events.restarted?.(
      `The analysis stopped answering for ${seconds} s and was restarted. Your inputs are unchanged; edit them or press Analyse again to retry.`,
    );
  }

  private receive(r: WorkerResponse): void {
    if (r.id === this.analyzing) this.lastHeard = this.now();
    const waiter = this.waiters.get(r.id);
    if (waiter) {
      this.waiters.delete(r.id);
      waiter(r);
      return;
    }
    if (r.id !== this.analyzing) return;
    if (r.type === 'progress') {
      this.events.progress?.({ name: this.current?.file?.name ?? '', bytes: r.bytes, total: r.total, keys: r.keys, millis: r.millis });
      return;
    }
    this.analyzing = 0;
    this.current = null;
    this.events.progress?.(null);
    if (this.queued) {
      const next = this.queued;
      this.queued = null;
      this.analyze(next);
    } else this.events.busy(false);
    if (r.type === 'result') this.events.result(r.result);
    else if (r.type === 'error') this.events.error(r.message);
  }

  analyze(job: Job): void {
    if (this.analyzing) {
      // A file may take seconds: stop it rather than make the new request wait.
      if (this.current?.file) this.restart();
      else {
        this.queued = job;
        return;
      }
    }
    const id = this.nextId++;
    this.analyzing = id;
    this.current = job;
    this.lastHeard = this.now();
    this.events.busy(true);
    const { inputs, settings, file } = job;
    this.worker.postMessage(
      (file
        ? { id, type: 'analyze-file', file: file.blob, name: file.name, inputs, settings }
        : { id, type: 'analyze', inputs, settings }) satisfies WorkerRequest,
    );
  }

  rows(offset: number, limit: number, filter: string, sort: KeySort): Promise<{ rows: KeyRow[]; total: number }> {
    return this.ask({ type: 'rows', offset, limit, filter, sort }).then((r) => (r.type === 'rows' ? r : { rows: [], total: 0 }));
  }

  explain(index: number): Promise<Explanation | null> {
    return this.ask({ type: 'explain', index }).then((r) => (r.type === 'explain' ? r.explanation : null));
  }

  export(format: ExportFormat, meta?: ReportMeta): Promise<string | Blob> {
    return this.ask({ type: 'export', format, meta }).then((r) => {
      if (r.type !== 'export') throw new Error('the worker gave no export');
      return r.data;
    });
  }

  /** Text as a UTF-8 Blob, encoded in the worker (the page only copies the string across). */
  toBlob(text: string): Promise<Blob> {
    return this.ask({ type: 'blob', text }).then((r) => (r.type === 'blob' ? r.blob : new Blob([text], { type: 'text/plain' })));
  }

  slotKeys(slot: number): Promise<string[]> {
    return this.ask({ type: 'slot', slot }).then((r) => (r.type === 'slot' ? r.keys : []));
  }

  /** Resolves with the answer; an export also rejects when the worker fails or is replaced meanwhile. */
  private ask(req: DistributiveOmit<Extract<WorkerRequest, { type: 'rows' | 'explain' | 'slot' | 'export' | 'blob' }>, 'id'>): Promise<WorkerResponse> {
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.waiters.set(id, (r) => (req.type === 'export' && r.type === 'error' ? reject(new Error(r.message)) : resolve(r)));
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
    this.current = null;
    this.queued = null;
    this.events.progress?.(null);
    this.events.busy(false);
    this.start();
  }

  dispose(): void {
    this.stopTimer(this.watchdog);
    this.worker.terminate();
  }
}
