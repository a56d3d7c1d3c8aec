/// <reference lib="webworker" />
import { createBytecodeEngine } from '../core/index.ts';
import { analyze } from './analyze.ts';
import type { WorkerRequest, WorkerResponse } from './protocol.ts';

const engine = createBytecodeEngine();

self.onmessage = (event: MessageEvent<WorkerRequest>) => {
  let response: WorkerResponse;
  try {
    response = analyze(event.data, engine);
  } catch (e) {
    // A bug, not a user error: report it instead of leaving the page waiting.
    response = { id: event.data.id, type: 'error', message: String((e as Error)?.message ?? e) };
  }
  (self as unknown as Worker).postMessage(response);
};
