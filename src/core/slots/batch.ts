import type { KeyList } from '../input/keylist.ts';
import type { Policy } from './policy.ts';
import { newSpan } from './span.ts';

/** Per-key results of one policy over a key list, as typed arrays (cheap to transfer from a worker). */
export interface SlotTable {
  /** Slot, or a negative key error; -3 for a line that could not be read. */
  slots: Int16Array;
  /** Hashed bytes of key i: `list.bytes[tagStart[i], tagEnd[i])`. */
  tagStart: Uint32Array;
  tagEnd: Uint32Array;
  /** 1-based rule that matched; 0 for the Redis policy or no match. */
  rules: Uint8Array;
}

export const INVALID_LINE = -3;

/** Runs a policy over every key of a list. */
export function slotTable(list: KeyList, policy: Policy): SlotTable {
  const n = list.count;
  const table: SlotTable = {
    slots: new Int16Array(n),
    tagStart: new Uint32Array(n),
    tagEnd: new Uint32Array(n),
    rules: new Uint8Array(n),
  };
  const span = newSpan();
  const { bytes, offsets, invalid } = list;
  for (let i = 0; i < n; i++) {
    if (invalid[i]) {
      table.slots[i] = INVALID_LINE;
      table.tagStart[i] = table.tagEnd[i] = offsets[i];
      continue;
    }
    table.slots[i] = policy.locate(bytes, offsets[i], offsets[i + 1], span);
    table.tagStart[i] = span.start;
    table.tagEnd[i] = span.end;
    table.rules[i] = span.rule;
  }
  return table;
}
