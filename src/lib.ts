/**
 * The library entry of the `slot-playground` package: the byte-exact core the playground and `hashslot`
 * run on, for other Node and browser code, plus a few helpers for the common questions.
 *
 * ```ts
 * import { slotOf, makePolicy, checkCommands } from 'slot-playground';
 * slotOf('user:{42}:cart');                          // 8000 (Redis hash tags)
 * slotOf('a{b}c{d}e', 'standard');                   // 11298 (the last {…})
 * const custom = makePolicy({ policy: 'custom', rules: '(?<tag>user:\\d+):.*' });
 * checkCommands('MSET user:1:a 1 user:2:b 2', 'redis')[0].verdicts['oss-cluster'].verdict; // 'crossslot'
 * ```
 */
import {
  analyzeCommands,
  blockedMessage,
  buildPolicies,
  createBytecodeEngine,
  display,
  newSpan,
  redisPolicy,
  standardPolicy,
  tokenizeCommands,
  utf8,
  type CommandReport,
  type Diagnostic,
  type Policy,
  type PolicyName,
  type RegexEngine,
} from './core/index.ts';

export * from './core/index.ts';
export { loadWasmSlotter } from './engines/scan/wasm-slotter.ts';

/** A policy by name, or one made with makePolicy. */
export type PolicyLike = Policy | 'redis' | 'standard';

const asBytes = (key: string | Uint8Array) => (typeof key === 'string' ? utf8(key) : key);
const asPolicy = (p: PolicyLike) => (p === 'redis' ? redisPolicy : p === 'standard' ? standardPolicy : p);

/** The hash slot of a key (a string is its UTF-8 bytes), or a negative key error (no custom rule matched: -1; too long: -2). */
export function slotOf(key: string | Uint8Array, policy: PolicyLike = 'redis'): number {
  const bytes = asBytes(key);
  return asPolicy(policy).locate(bytes, 0, bytes.length, newSpan());
}

/** What a key hashes: its slot, the hashed bytes (and their display form), the 1-based custom/Standard rule. */
export function tagOf(key: string | Uint8Array, policy: PolicyLike = 'redis'): { slot: number; tag: Uint8Array; display: string; rule: number } {
  const bytes = asBytes(key);
  const span = newSpan();
  const slot = asPolicy(policy).locate(bytes, 0, bytes.length, span);
  const tag = slot >= 0 ? bytes.slice(span.start, span.end) : new Uint8Array();
  return { slot, tag, display: display(tag), rule: span.rule };
}

/** Thrown by makePolicy for rules that cannot be used: the message says why, `diagnostics` where. */
export class PolicyError extends Error {
  constructor(
    message: string,
    readonly diagnostics: Diagnostic[],
  ) {
    super(message);
  }
}

/**
 * A policy: Redis, Standard, or custom rules (one PCRE rule per line, each with a group named `tag`),
 * validated as Redis Cloud does. Custom rules with errors throw a PolicyError — never another policy.
 * Free a custom policy with `dispose()` when done with it.
 */
export function makePolicy(spec: { policy: PolicyName; rules?: string; implicitShardKey?: boolean; engine?: RegexEngine }): Policy {
  const settings = {
    policy: spec.policy,
    compare: null,
    target: 'oss-cluster',
    implicitShardKey: spec.implicitShardKey === true,
    layout: { kind: 'even', count: 3 },
    patternSamples: 32,
  } as const;
  const built = buildPolicies({ rules: spec.rules ?? '', rulesB: '' }, settings, spec.engine ?? createBytecodeEngine());
  if (!built.main) throw new PolicyError(blockedMessage(built.blockers), built.rules.diagnostics);
  return built.main.policy;
}

/** CROSSSLOT verdicts of commands in redis-cli syntax (one per line, MULTI … EXEC blocks), on every deployment target. */
export function checkCommands(text: string | Uint8Array, policy: PolicyLike = 'redis'): CommandReport[] {
  return analyzeCommands(tokenizeCommands(asBytes(text)).lines, asPolicy(policy)).reports;
}
