import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  createBytecodeEngine,
  createCustomPolicy,
  crc16,
  INVALID_LINE,
  latin1,
  newSpan,
  parseKeyList,
  parseRules,
  redisPolicy,
  slotTable,
  standardPolicy,
  STANDARD_RULES,
} from '../../src/core/index.ts';
import { slotsOfFile } from '../../src/core/slots/scan.ts';
import { refCrc16 } from '../support/reference.ts';
import { anyBytes, concat, hex, hostileBytes, opts } from './support.ts';

// ------------------------------------------------------------------------------------------------
// Reference implementations, straight from the Redis Cluster specification (and SEMANTICS.md for
// Standard), written for clarity, not speed.

/** keyHashSlot: hash the bytes between the first `{` and the first `}` after it, if non-empty; else the key. */
function refRedis(key: Uint8Array): { tag: Uint8Array; slot: number } {
  const s = key.indexOf(0x7b);
  if (s >= 0) {
    const e = key.indexOf(0x7d, s + 1);
    if (e > s + 1) {
      const tag = key.subarray(s + 1, e);
      return { tag, slot: refCrc16(tag) % 16384 };
    }
  }
  return { tag: key, slot: refCrc16(key) % 16384 };
}

/** Standard: PCRE byte-mode `.*\{(?<tag>.*)\}.*` then `(?<tag>.*)`, `.` not matching LF; here with JS regexes over latin1. */
function refStandard(key: Uint8Array): { tag: Uint8Array; slot: number; rule: number } {
  const text = latin1(key);
  const m = /^[^\n]*\{([^\n]*)\}[^\n]*/d.exec(text);
  if (m) {
    const [start, end] = m.indices![1]!;
    const tag = key.subarray(start, end);
    return { tag, slot: refCrc16(tag) % 16384, rule: 1 };
  }
  const line = /^[^\n]*/.exec(text)![0];
  const tag = key.subarray(0, line.length);
  return { tag, slot: refCrc16(tag) % 16384, rule: 2 };
}

/** A key placed in a larger buffer, so absolute offsets are exercised. */
const placed = fc.tuple(anyBytes(4), fc.oneof(hostileBytes(24), fc.uint8Array({ maxLength: 40 })), anyBytes(4)).map(([pre, key, post]) => ({
  buf: concat([pre, key, post]),
  start: pre.length,
  end: pre.length + key.length,
  key,
}));

describe('property: slots', () => {
  it('crc16 (slicing-by-8) equals the bit-by-bit CRC16-XMODEM of the spec, on any sub-range', () => {
    fc.assert(
      fc.property(placed, ({ buf, start, end, key }) => {
        expect(crc16(buf, start, end)).toBe(refCrc16(key));
      }),
      opts(1000),
    );
  });

  it('redisPolicy.locate equals the cluster-spec reference (first {, first } after it, non-empty)', () => {
    const span = newSpan();
    fc.assert(
      fc.property(placed, ({ buf, start, end, key }) => {
        const ref = refRedis(key);
        expect(redisPolicy.locate(buf, start, end, span)).toBe(ref.slot);
        expect(hex(buf.subarray(span.start, span.end))).toBe(hex(ref.tag));
        expect(span.start).toBeGreaterThanOrEqual(start);
        expect(span.end).toBeLessThanOrEqual(end);
        expect(span.rule).toBe(0);
      }),
      opts(1000),
    );
  });

  it('standardPolicy.locate equals the regex reference (rule 1: last {…} of the first line; rule 2: the first line)', () => {
    const span = newSpan();
    fc.assert(
      fc.property(placed, ({ buf, start, end, key }) => {
        const ref = refStandard(key);
        expect(standardPolicy.locate(buf, start, end, span)).toBe(ref.slot);
        expect(hex(buf.subarray(span.start, span.end))).toBe(hex(ref.tag));
        expect(span.rule).toBe(ref.rule);
      }),
      opts(1000),
    );
  });

  it('the Standard rules run as custom rules on the bytecode engine give exactly standardPolicy', () => {
    const custom = createCustomPolicy(parseRules(STANDARD_RULES.join('\n')), createBytecodeEngine());
    const a = newSpan();
    const b = newSpan();
    fc.assert(
      fc.property(placed, ({ buf, start, end }) => {
        expect(custom.locate(buf, start, end, a)).toBe(standardPolicy.locate(buf, start, end, b));
        expect([a.start, a.end, a.rule]).toEqual([b.start, b.end, b.rule]);
      }),
      opts(1000),
    );
  });

  it('slotsOfFile equals parseKeyList + slotTable, for both policies, on any file (also when its output buffer must grow)', () => {
    fc.assert(
      fc.property(anyBytes(120), fc.constantFrom('redis' as const, 'standard' as const), fc.boolean(), (file, name, tiny) => {
        const fast = slotsOfFile(file, name, tiny ? new Int16Array(1) : undefined);
        const list = parseKeyList(file);
        const table = slotTable(list, name === 'redis' ? redisPolicy : standardPolicy);
        expect(fast.count).toBe(list.count);
        expect(Array.from(fast.slots)).toEqual(Array.from(table.slots));
        for (const s of fast.slots) expect(s === INVALID_LINE || (s >= 0 && s <= 16383)).toBe(true);
      }),
      opts(1000),
    );
  });
});
