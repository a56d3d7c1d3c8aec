import { createBytecodeEngine, createCustomPolicy, newSpan, parseRules, redisPolicy, standardPolicy, type Policy } from '../../src/core/index.ts';

export interface CoreResult {
  slot: number;
  tag: Uint8Array | null;
  rule: number;
}

/** Runs a policy over separate key buffers (the oracle's shape). */
export function runPolicy(policy: Policy, keys: Uint8Array[]): CoreResult[] {
  const span = newSpan();
  return keys.map((key) => {
    const slot = policy.locate(key, 0, key.length, span);
    return { slot, tag: slot >= 0 ? key.slice(span.start, span.end) : null, rule: span.rule };
  });
}

export function customPolicy(rules: string, implicitShardKey = false): Policy {
  const set = parseRules(rules);
  if (!set.ok) throw new Error(`bad rules in test: ${JSON.stringify(set.diagnostics)}`);
  return createCustomPolicy(set, createBytecodeEngine(), { implicitShardKey });
}

export { redisPolicy, standardPolicy };
