/// <reference lib="webworker" />
import { createBytecodeEngine } from '../core/index.ts';
import { loadWasmSlotter } from '../engines/scan/wasm-slotter.ts';
import type { AnalysisResult, WorkerRequest, WorkerResponse } from './protocol.ts';
import { AnalysisSession } from './session.ts';

const post = (r: WorkerResponse, transfer: Transferable[] = []) => (self as unknown as Worker).postMessage(r, transfer);
// The WebAssembly slotter is inlined in this bundle; without WebAssembly the pure scanner stands in.
const ready = loadWasmSlotter()
  .catch(() => null)
  .then((slotter) => new AnalysisSession(createBytecodeEngine(), slotter));

function sendResult(id: number, result: AnalysisResult): void {
  if (!result.view) return post({ id, type: 'result', result });
  // Copies, so the session keeps its own arrays while these buffers move to the page.
  const perSlot = result.view.perSlot.slice();
  const slotShard = result.view.slotShard.slice();
  post({ id, type: 'result', result: { ...result, view: { ...result.view, perSlot, slotShard } } }, [perSlot.buffer, slotShard.buffer]);
}

self.onmessage = async (event: MessageEvent<WorkerRequest>) => {
  const req = event.data;
  try {
    const session = await ready;
    if (req.type === 'analyze') sendResult(req.id, session.analyze(req.inputs, req.settings));
    else if (req.type === 'analyze-file') {
      const result = await session.analyzeFile(req.file, req.name, req.inputs, req.settings, (p) => post({ id: req.id, type: 'progress', ...p }));
      sendResult(req.id, result);
    } else if (req.type === 'rows') {
      const { rows, total } = await session.rows(req.offset, req.limit, req.filter, req.sort);
      post({ id: req.id, type: 'rows', rows, total, offset: req.offset });
    } else if (req.type === 'export') {
      post({ id: req.id, type: 'export', data: await session.export(req.format, req.meta) });
    } else if (req.type === 'blob') {
      post({ id: req.id, type: 'blob', blob: new Blob([new TextEncoder().encode(req.text)], { type: 'text/plain' }) });
    } else if (req.type === 'slot') {
      post({ id: req.id, type: 'slot', keys: await session.slotKeys(req.slot) });
    } else {
      post({ id: req.id, type: 'explain', explanation: await session.explain(req.index) });
    }
  } catch (e) {
    // A bug or an unreadable file, not a user error in the inputs: report it instead of leaving the page waiting.
    post({ id: req.id, type: 'error', message: String((e as Error)?.message ?? e) });
  }
};
