import { keyTooLongForRulesMessage, keyTooLongMessage, MAX_KEY_BYTES } from '../input/limits.ts';
import type { CompiledRule, RegexEngine } from '../rules/engine.ts';
import type { RuleSet } from '../rules/ruleset.ts';
import { slotOfBytes } from './crc16.ts';
import { redisTag } from './redis.ts';
import type { TagSpan } from './span.ts';
import { standardTag } from './standard.ts';

export type PolicyName = 'redis' | 'standard' | 'custom';

/** `locate` results below zero: the key has no slot under this policy. */
export const NO_RULE_MATCHED = -1;
/** Over MAX_KEY_BYTES (every policy), or beyond the custom rule engine's memory budget. */
export const KEY_TOO_LONG = -2;

export const KEY_ERROR_CODES: Record<number, string> = {
  [NO_RULE_MATCHED]: 'no-rule-matched',
  [KEY_TOO_LONG]: 'key-too-long',
};

/** What the user is told about a key error returned by `locate` for a key of `length` bytes. */
export function keyErrorMessage(code: number, length: number): string {
  if (code === NO_RULE_MATCHED) return 'no custom rule matches this key: the server would refuse it';
  if (code === KEY_TOO_LONG) return length > MAX_KEY_BYTES ? keyTooLongMessage(length) : keyTooLongForRulesMessage(length);
  return 'this key has no slot';
}

/** A hashing policy: where a key's hashed bytes are, and its slot. */
export interface Policy {
  readonly name: PolicyName;
  /**
   * Finds the hashed bytes of the key `bytes[start, end)` (written to `out`, absolute offsets) and
   * returns its slot, or a negative key error (NO_RULE_MATCHED, KEY_TOO_LONG).
   */
  locate(bytes: Uint8Array, start: number, end: number, out: TagSpan): number;
  /** Frees engine resources. */
  dispose(): void;
}

/** A key error leaves an empty span at the key's start and no rule, like NO_RULE_MATCHED. */
function tooLong(start: number, out: TagSpan): number {
  out.start = out.end = start;
  out.rule = 0;
  return KEY_TOO_LONG;
}

export const redisPolicy: Policy = {
  name: 'redis',
  locate(bytes, start, end, out) {
    if (end - start > MAX_KEY_BYTES) return tooLong(start, out);
    redisTag(bytes, start, end, out);
    return slotOfBytes(bytes, out.start, out.end);
  },
  dispose() {},
};

export const standardPolicy: Policy = {
  name: 'standard',
  locate(bytes, start, end, out) {
    if (end - start > MAX_KEY_BYTES) return tooLong(start, out);
    standardTag(bytes, start, end, out);
    return slotOfBytes(bytes, out.start, out.end);
  },
  dispose() {},
};

export interface CustomOptions {
  /** Redis Software's `implicit_shard_key`: a key no rule matches hashes whole instead of being refused. */
  implicitShardKey?: boolean;
}

/**
 * The custom policy: rules in order, the first that matches wins and its `tag` group is hashed. A tag
 * group that took no part hashes as empty (slot 0; the server's behaviour is unconfirmed and the rule
 * set carries a warning). The rule set must be free of errors.
 */
export function createCustomPolicy(ruleSet: RuleSet, engine: RegexEngine, options: CustomOptions = {}): Policy {
  if (!ruleSet.ok) throw new Error('createCustomPolicy: the rule set has errors');
  const compiled: CompiledRule[] = [];
  try {
    for (const rule of ruleSet.rules) compiled.push(engine.compile(rule));
  } catch (e) {
    for (const c of compiled) c.dispose();
    throw e;
  }
  const indexes = ruleSet.rules.map((r) => r.index);
  const implicit = options.implicitShardKey === true;
  return {
    name: 'custom',
    locate(bytes, start, end, out) {
      if (end - start > MAX_KEY_BYTES) return tooLong(start, out);
      for (let r = 0; r < compiled.length; r++) {
        const hit = compiled[r].exec(bytes, start, end, out);
        if (hit === null) return tooLong(start, out);
        if (hit) {
          out.rule = indexes[r];
          if (out.start < 0) out.start = out.end = start;
          return slotOfBytes(bytes, out.start, out.end);
        }
      }
      out.rule = 0;
      if (!implicit) {
        out.start = out.end = start;
        return NO_RULE_MATCHED;
      }
      out.start = start;
      out.end = end;
      return slotOfBytes(bytes, start, end);
    },
    dispose() {
      for (const c of compiled) c.dispose();
    },
  };
}
