import {
  createCustomPolicy, display, INVALID_LINE, KEY_ERROR_CODES, parseKeyList, parseRules, redisPolicy,
  slotTable, standardPolicy, utf8, type Policy, type PolicyName, type RegexEngine, type SlotTable,
} from '../core/index.ts';
import type { KeyRow, WorkerRequest, WorkerResponse } from './protocol.ts';

/** The worker's job, as a plain function so it can be tested without a worker. */
export function analyze(req: WorkerRequest, engine: RegexEngine): WorkerResponse {
  const t0 = performance.now();
  const list = parseKeyList(utf8(req.keys));
  const ruleSet = parseRules(req.rules);
  const policies: [PolicyName, Policy][] = [
    ['redis', redisPolicy],
    ['standard', standardPolicy],
  ];
  if (ruleSet.ok && ruleSet.rules.length > 0) {
    policies.push(['custom', createCustomPolicy(ruleSet, engine, { implicitShardKey: req.implicitShardKey })]);
  }
  const tables = policies.map(([name, p]) => [name, slotTable(list, p)] as [PolicyName, SlotTable]);
  for (const [, p] of policies) p.dispose();

  const rows: KeyRow[] = [];
  for (let i = 0; i < Math.min(list.count, req.maxRows); i++) {
    if (list.invalid[i]) continue;
    const row: KeyRow = { line: list.lines[i], key: display(list.bytes, list.offsets[i], list.offsets[i + 1]), cells: {} };
    for (const [name, t] of tables) {
      const slot = t.slots[i];
      row.cells[name] = {
        slot,
        tag: slot >= 0 ? display(list.bytes, t.tagStart[i], t.tagEnd[i]) : (KEY_ERROR_CODES[slot] ?? 'error'),
        rule: t.rules[i],
      };
    }
    rows.push(row);
  }
  let redisVsStandard = 0;
  const [redis, standard] = [tables[0][1].slots, tables[1][1].slots];
  for (let i = 0; i < list.count; i++) if (redis[i] !== INVALID_LINE && redis[i] !== standard[i]) redisVsStandard++;
  return {
    id: req.id,
    type: 'result',
    keyCount: list.count,
    rows,
    policies: policies.map(([n]) => n),
    keyDiagnostics: list.diagnostics,
    ruleDiagnostics: ruleSet.diagnostics,
    redisVsStandard,
    millis: performance.now() - t0,
  };
}
