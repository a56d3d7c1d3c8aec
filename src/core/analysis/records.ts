import type { Diagnostic } from '../diagnostics.ts';
import type { ShardMap } from '../topology/types.ts';
import type { KeyList } from '../input/keylist.ts';
import { display } from '../input/quote.ts';
import type { SlotTable } from '../slots/batch.ts';
import { KEY_ERROR_CODES, keyErrorMessage, type PolicyName } from '../slots/policy.ts';
import { newSpan } from '../slots/span.ts';
import type { PolicySide } from './policies.ts';

/** Where a key lands under one policy, or why it has no slot. */
export type Placement =
  | {
      slot: number;
      /** The hashed bytes in display form (redis-cli quoted when not printable). */
      tag: string;
      /** Standard and custom: the 1-based rule that matched; 0: none did, the whole key is hashed (implicit_shard_key). */
      rule?: number;
      /** With a layout: the owning shard's label, or null on a slot no shard owns. */
      shard?: string | null;
    }
  | { error: string; message: string };

/**
 * One key of any per-key output — `hashslot slots|dist|diff --json`, the keys table, the CSV and JSON
 * exports — in one shape. A line that could not be read has `key: null`, the parser's code, column and
 * message. `to` and `moved` are there when a second policy is compared; `pattern` when the key is a
 * sample of a key pattern.
 */
export type KeyRecord =
  | ({ line: number; key: string; pattern?: string; to?: Placement; moved?: boolean } & Placement)
  | { line: number; key: null; error: string; column: number; message: string };

/** A placement from a policy's results: `slot` (negative: a key error), the tag's bytes, the rule. */
export function placement(
  policy: PolicyName,
  slot: number,
  bytes: Uint8Array,
  tagStart: number,
  tagEnd: number,
  rule: number,
  keyLength: number,
  shards: ShardMap | null,
): Placement {
  if (slot < 0) return { error: KEY_ERROR_CODES[slot] ?? 'no-slot', message: keyErrorMessage(slot, keyLength) };
  const out: Placement = { slot, tag: display(bytes, tagStart, tagEnd) };
  if (policy !== 'redis') out.rule = rule;
  if (shards) {
    const owner = shards.slotShard[slot];
    out.shard = owner >= 0 ? shards.labels[owner] : null;
  }
  return out;
}

/** A line the key-list parser refused, as a record (its first error says why). */
export function unreadableRecord(line: number, d: Pick<Diagnostic, 'code' | 'column' | 'message'> | undefined): KeyRecord {
  return { line, key: null, error: d?.code ?? 'unreadable-line', column: d?.column ?? 1, message: d?.message ?? 'this line could not be read' };
}

/** A key with its placements under the main and (optionally) the compared policy. */
export function keyRecord(line: number, key: string, main: Placement, to: Placement | null, pattern?: string): KeyRecord {
  return { line, key, ...(pattern !== undefined ? { pattern } : {}), ...main, ...(to ? { to, moved: slotOf(main) !== slotOf(to) } : {}) };
}

const slotOf = (p: Placement) => ('slot' in p ? p.slot : p.error);

/** The records of a parsed key list from its slot tables, one per entry, in input order. */
export function keyListRecords(
  list: KeyList,
  main: { name: PolicyName; table: SlotTable },
  compare: { name: PolicyName; table: SlotTable } | null,
  shards: ShardMap | null,
  patternOf?: (i: number) => string | undefined,
): KeyRecord[] {
  const errors = lineErrors(list.diagnostics);
  const out: KeyRecord[] = [];
  for (let i = 0; i < list.count; i++) {
    const line = list.lines[i];
    if (list.invalid[i]) {
      out.push(unreadableRecord(line, errors.get(line)));
      continue;
    }
    const from = list.offsets[i];
    const length = list.offsets[i + 1] - from;
    const side = (s: { name: PolicyName; table: SlotTable }) =>
      placement(s.name, s.table.slots[i], list.bytes, s.table.tagStart[i], s.table.tagEnd[i], s.table.rules[i], length, shards);
    out.push(keyRecord(line, display(list.bytes, from, from + length), side(main), compare ? side(compare) : null, patternOf?.(i)));
  }
  return out;
}

/** The first error of each line: what an unreadable line's record says. */
export function lineErrors(diagnostics: readonly Diagnostic[]): Map<number, Diagnostic> {
  const out = new Map<number, Diagnostic>();
  for (const d of diagnostics) if (d.severity === 'error' && !out.has(d.line)) out.set(d.line, d);
  return out;
}

/** A key's record computed from its bytes (a key read back from a file, a keys-table row): the same as keyListRecords gives. */
export function locateRecord(
  line: number,
  key: Uint8Array,
  main: PolicySide,
  compare: PolicySide | null,
  shards: ShardMap | null,
  pattern?: string,
): KeyRecord {
  const span = newSpan();
  const side = (s: PolicySide) => {
    const slot = s.policy.locate(key, 0, key.length, span);
    return placement(s.name, slot, key, span.start, span.end, span.rule, key.length, shards);
  };
  return keyRecord(line, display(key), side(main), compare ? side(compare) : null, pattern);
}
