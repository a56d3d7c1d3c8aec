/// <reference lib="webworker" />
import { createBytecodeEngine } from '../core/index.ts';
import type { WorkerRequest, WorkerResponse } from './protocol.ts';
import { AnalysisSession } from './session.ts';

const session = new AnalysisSession(createBytecodeEngine());
const post = (r: WorkerResponse, transfer: Transferable[] = []) => (self as unknown as Worker).postMessage(r, transfer);

self.onmessage = (event: MessageEvent<WorkerRequest>) => {
  const req = event.data;
  try {
    if (req.type === 'analyze') {
      const result = session.analyze(req.inputs, req.settings);
      // Copies, so the session keeps its own arrays while these buffers move to the page.
      const perSlot = result.perSlot.slice();
      const slotShard = result.slotShard.slice();
      post({ id: req.id, type: 'result', result: { ...result, perSlot, slotShard } }, [perSlot.buffer, slotShard.buffer]);
    } else if (req.type === 'rows') {
      const { rows, total } = session.rows(req.offset, req.limit, req.filter, req.sort);
      post({ id: req.id, type: 'rows', rows, total, offset: req.offset });
    } else if (req.type === 'export') {
      post({ id: req.id, type: 'export', text: session.export(req.format) });
    } else if (req.type === 'slot') {
      post({ id: req.id, type: 'slot', keys: session.slotKeys(req.slot) });
    } else {
      post({ id: req.id, type: 'explain', explanation: session.explain(req.index) });
    }
  } catch (e) {
    // A bug, not a user error: report it instead of leaving the page waiting.
    post({ id: req.id, type: 'error', message: String((e as Error)?.message ?? e) });
  }
};
