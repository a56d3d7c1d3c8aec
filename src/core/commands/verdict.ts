import { MAX_KEY_LABEL } from '../input/limits.ts';
import { KEY_TOO_LONG } from '../slots/policy.ts';

/** Where the commands will run: each has its own rule for keys in several slots. */
export const TARGETS = ['oss-cluster', 'enterprise-proxy', 'enterprise-oss-api', 'active-active'] as const;
export type Target = (typeof TARGETS)[number];

export const TARGET_LABELS: Record<Target, string> = {
  'oss-cluster': 'Redis / Valkey cluster',
  'enterprise-proxy': 'Redis Software / Cloud (proxy)',
  'enterprise-oss-api': 'Redis Software / Cloud with OSS Cluster API',
  'active-active': 'Active-Active',
};

export type Verdict = 'ok' | 'crossslot' | 'no-keys' | 'error';

export interface TargetVerdict {
  verdict: Verdict;
  /** One line, for people. */
  reason: string;
}

/**
 * Commands a target splits across slots itself (redis/docs multi-key-operations): the Redis Software /
 * Cloud proxy without the OSS Cluster API, and Active-Active. Never inside MULTI/EXEC.
 */
const SPLITTABLE: Partial<Record<Target, ReadonlySet<string>>> = {
  'enterprise-proxy': new Set(['DEL', 'MGET', 'MSET', 'EXISTS', 'UNLINK', 'TOUCH']),
  'active-active': new Set(['MGET', 'EXISTS', 'TOUCH']),
};

export interface VerdictInput {
  /** Upper-case command name (with subcommand). */
  name: string;
  /** Slot of each key; a negative value means the key has no slot under the policy. */
  slots: number[];
  /** Display form of each key, for reasons. */
  keys: string[];
  /** An error the command itself would answer after the cluster's slot check. */
  problem?: { message: string };
  /** Part of a MULTI/EXEC block: no target splits those. */
  inTransaction?: boolean;
}

/** The verdict of one command (or of a whole transaction, on EXEC) for one target. */
export function verdictFor(target: Target, input: VerdictInput): TargetVerdict {
  const unplaced = input.slots.findIndex((s) => s < 0);
  if (unplaced >= 0) {
    const key = input.keys[unplaced];
    if (input.slots[unplaced] === KEY_TOO_LONG) {
      const shown = key.length > 40 ? key.slice(0, 39) + '…' : key;
      return { verdict: 'error', reason: `key ${shown} is too long to place: over ${MAX_KEY_LABEL}, or beyond what the custom rules can match` };
    }
    return { verdict: 'error', reason: `key ${key} matches no rule: the server refuses it` };
  }
  const distinct = [...new Set(input.slots)];
  if (distinct.length > 1) {
    if (!input.inTransaction && SPLITTABLE[target]?.has(input.name)) {
      return { verdict: 'ok', reason: `keys span ${distinct.length} slots; ${input.name} is split across them (not atomic)` };
    }
    const shown = distinct.slice(0, 4).join(', ') + (distinct.length > 4 ? ', …' : '');
    return { verdict: 'crossslot', reason: `keys span ${distinct.length} slots (${shown}); ${input.inTransaction ? 'a transaction' : input.name} needs one` };
  }
  if (input.problem) return { verdict: 'error', reason: input.problem.message };
  if (distinct.length === 0) return { verdict: 'no-keys', reason: 'no keys' };
  return { verdict: 'ok', reason: input.slots.length === 1 ? `slot ${distinct[0]}` : `all ${input.slots.length} keys in slot ${distinct[0]}` };
}
