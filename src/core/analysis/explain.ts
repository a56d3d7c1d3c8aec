import type { ShardMap } from '../topology/types.ts';
import { display } from '../input/quote.ts';
import { crc16 } from '../slots/crc16.ts';
import { newSpan } from '../slots/span.ts';
import { STANDARD_RULES } from '../slots/standard.ts';
import type { PolicySide } from './policies.ts';

export interface ExplainStep {
  title: string;
  detail: string;
}

/** How one key got its slot, step by step: the teaching view. */
export interface Explanation {
  key: string;
  /** The key's bytes as hex pairs and display chars, with the hashed range marked. */
  bytes: { hex: string; char: string; hashed: boolean }[];
  steps: ExplainStep[];
  crc: number;
  /** Negative: the key has no slot under the policy. */
  slot: number;
}

/** Explains `key` under one policy and layout: the hashed bytes, the rule, the CRC16, the slot and its shard. */
export function explainKey(key: Uint8Array, side: PolicySide, shards: ShardMap): Explanation {
  const span = newSpan();
  const slot = side.policy.locate(key, 0, key.length, span);
  const { start: tagStart, end: tagEnd } = span;
  const bytes = Array.from(key, (b, i) => ({
    hex: b.toString(16).padStart(2, '0'),
    char: b >= 0x20 && b < 0x7f ? String.fromCharCode(b) : '·',
    hashed: slot >= 0 && i >= tagStart && i < tagEnd,
  }));
  const shown = display(key, 0, key.length);
  const tag = display(key, tagStart, tagEnd);
  const steps: ExplainStep[] = [{ title: 'Key', detail: `${shown} — ${key.length} bytes` }];
  if (side.name === 'redis') {
    const open = key.indexOf(0x7b);
    steps.push({
      title: 'Hash tag (Redis)',
      detail:
        open < 0
          ? 'no { in the key: the whole key is hashed'
          : tagStart === 0 && tagEnd === key.length
            ? 'the first { has no non-empty {…} after it: the whole key is hashed'
            : `first { at byte ${open}, first } after it: hash ${tag}`,
    });
  } else if (side.name === 'standard') {
    steps.push({ title: `Rule ${span.rule} of Standard matches`, detail: `${STANDARD_RULES[span.rule - 1]} — tag ${tag}` });
  } else if (slot < 0) {
    steps.push({ title: 'No rule matches', detail: 'the server refuses this key (ERR key does not match any rule)' });
  } else {
    const rule = span.rule > 0 ? side.rules?.[span.rule - 1] : undefined;
    steps.push({
      title: rule !== undefined ? `Rule ${span.rule} matches (first that does)` : 'No rule matches: implicit_shard_key hashes the whole key',
      detail: rule !== undefined ? `${rule} — tag ${tag}` : shown,
    });
  }
  const crc = slot >= 0 ? crc16(key, tagStart, tagEnd) : 0;
  if (slot >= 0) {
    steps.push({ title: 'CRC16-XMODEM', detail: `crc16(${tag}) = 0x${crc.toString(16).padStart(4, '0')} (${crc})` });
    steps.push({ title: 'Slot', detail: `${crc} mod 16384 = ${slot}` });
    const shard = shards.slotShard[slot];
    steps.push({ title: 'Shard', detail: shard >= 0 ? `slot ${slot} is on ${shards.labels[shard]}` : `slot ${slot} has no owner in this topology` });
  }
  return { key: shown, bytes, steps, crc, slot };
}
