import { latin1, slotOfBytes, utf8 } from '../../src/core/index.ts';
import { pcreMatchMany } from '../oracles/pcre2.ts';
import type { RedisOracle } from '../oracles/redis-server.ts';

/** Slots from the real engines: redis-server's CLUSTER KEYSLOT, or real PCRE2 running rules (then CRC16 of the tag). */
export type SlotOracle = (keys: Uint8Array[]) => Promise<number[]>;

export function redisSlots(redis: RedisOracle): SlotOracle {
  return (keys) => redis.keyslots(keys);
}

/** First rule that matches wins and its tag is hashed; -1 when no rule matches (the server refuses the key). */
export function pcreSlots(rules: readonly string[]): SlotOracle {
  return async (keys) => {
    if (keys.length === 0) return [];
    const results = await pcreMatchMany(rules.map((r) => ({ pattern: latin1(utf8(r)), subjects: keys })));
    return keys.map((_, k) => {
      for (const r of results) {
        const res = r[k];
        if (res.error) throw new Error(`pcre2test: ${res.error}`);
        if (res.matched) return slotOfBytes(res.groups.tag ?? new Uint8Array());
      }
      return -1;
    });
  };
}
