import { describe, expect, it } from 'vitest';
import { adversarialKey, keyCorpus } from '../../../test/support/generate.ts';
import { concatBytes, utf8 } from '../bytes.ts';
import { parseKeyList } from '../input/keylist.ts';
import { rng } from '../random.ts';
import { slotTable } from '../slots/batch.ts';
import { redisPolicy, standardPolicy } from '../slots/policy.ts';
import { evenLayout } from '../topology/index.ts';
import { RecordLineWriter } from './record-lines.ts';
import { keyListRecords } from './records.ts';

const layout = evenLayout(3).topology!;
const holes = { slotShard: layout.slotShard.map((s, i) => (i % 7 === 0 ? -1 : s)), labels: ['a "quoted" \\ label', 'Shard 2', 'Shard 3'] };

/** The generic path: a record per key, JSON.stringify'd. */
function generic(bytes: Uint8Array, firstLine: number, policy: 'redis' | 'standard', shards: typeof holes | null): string {
  const list = parseKeyList(bytes, firstLine);
  const p = policy === 'redis' ? redisPolicy : standardPolicy;
  return keyListRecords(list, { name: policy, table: slotTable(list, p) }, null, shards)
    .map((r) => JSON.stringify(r) + '\n')
    .join('');
}

function fast(bytes: Uint8Array, firstLine: number, policy: 'redis' | 'standard', shards: typeof holes | null): string {
  const writer = new RecordLineWriter(policy, shards);
  const out = writer.write(bytes, firstLine, (line, lineBytes) => generic(lineBytes, line, policy, shards).trimEnd());
  return new TextDecoder().decode(out);
}

describe('RecordLineWriter: the JSON lines of the one per-key record, written from bytes', () => {
  const messy = utf8(
    [
      'user:{42}:cart',
      'plain',
      '{}foo',
      'foo{}{bar}',
      'a{b}c{d}e',
      'q"uo\\te{x"y}',
      ' lead',
      'trail ',
      '"quoted\\xff"',
      '"broken',
      '',
      'crlf\r',
      '\r',
      'tab\there',
      'caf\u00e9{\u00e9}',
      '{ space}',
      '{"}x',
      'x{\\}',
      '}{',
      '{a}',
      'k'.repeat(300),
    ].join('\n'),
  );
  for (const policy of ['redis', 'standard'] as const) {
    for (const shards of [null, holes]) {
      it(`${policy}${shards ? ', with shards (and slots no shard owns)' : ''}: byte for byte the generic path's`, () => {
        expect(fast(messy, 1, policy, shards)).toBe(generic(messy, 1, policy, shards));
        expect(fast(messy, 1000, policy, shards)).toBe(generic(messy, 1000, policy, shards));
        const rand = rng(policy.length * 31 + (shards ? 7 : 0));
        for (let round = 0; round < 20; round++) {
          const keys = [...keyCorpus(Math.floor(rand() * 1e9), 300), ...Array.from({ length: 50 }, () => adversarialKey(rand))];
          const bytes = concatBytes(keys.flatMap((k) => [k, utf8(rand() < 0.1 ? '\r\n' : '\n')]));
          expect(fast(bytes, 1, policy, shards)).toBe(generic(bytes, 1, policy, shards));
        }
      });
    }
  }
});
