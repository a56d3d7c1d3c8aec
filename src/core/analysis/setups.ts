import { TARGET_LABELS, type Target } from '../commands/verdict.ts';
import type { PolicyName } from '../slots/policy.ts';
import type { Settings } from './inputs.ts';

/**
 * A combination of policy and deployment that Redis does not offer. The verdicts are still computed (a
 * review may want them), but every surface says the setup cannot exist, with the documented rule.
 */
export interface SetupProblem {
  code: 'oss-api-needs-standard' | 'oss-cluster-redis-only';
  /** The policy of the analysis, or the compared one. */
  side: 'main' | 'compare';
  message: string;
  /** Where the rule is documented. */
  source: string;
}

const POLICY: Record<PolicyName, string> = { redis: 'Redis', standard: 'Standard', custom: 'Custom' };

/**
 * The rules, each from Redis's documentation:
 * - The OSS Cluster API needs the Standard hashing policy. Redis Cloud, clustering page: "The OSS Cluster
 *   API is supported only when a database uses the standard hashing policy"
 *   (https://redis.io/docs/latest/operate/rc/databases/configuration/clustering/#oss-cluster-api); Redis
 *   Software, Enable OSS Cluster API, prerequisites: "The database must: use the standard hashing policy"
 *   (https://redis.io/docs/latest/operate/rs/databases/configure/oss-cluster-api/#prerequisites).
 * - Open-source Redis and Valkey clusters hash keys one way, with hash tags (cluster specification,
 *   https://redis.io/docs/latest/operate/oss_and_stack/reference/cluster-spec/#hash-tags): the Standard and
 *   Custom policies exist on Redis Cloud and Redis Software only. Checked for the main policy only: a
 *   compared Standard or Custom side under this target gets the verdicts of "every key in one slot", the
 *   same as with the OSS Cluster API, so the comparison still means what it says. Said only when there
 *   are verdicts: the target is the default deployment and only the verdicts depend on it, so "what are
 *   my slots under Standard" needs no warning, while "check my commands under Standard" gets one.
 */
export function setupProblems(settings: Pick<Settings, 'policy' | 'compare' | 'target'>, hasVerdicts: boolean): SetupProblem[] {
  const out: SetupProblem[] = [];
  const where = (t: Target) => TARGET_LABELS[t];
  const sides: [PolicyName | null, 'main' | 'compare'][] = [
    [settings.policy, 'main'],
    [settings.compare, 'compare'],
  ];
  for (const [policy, side] of sides) {
    if (!policy) continue;
    const which = side === 'main' ? `the ${POLICY[policy]} policy` : `the compared ${POLICY[policy]} policy`;
    if (settings.target === 'enterprise-oss-api' && policy !== 'standard') {
      out.push({
        code: 'oss-api-needs-standard',
        side,
        message: `${where(settings.target)} with ${which} is a setup Redis does not offer: the OSS Cluster API needs the Standard hashing policy.`,
        source: 'https://redis.io/docs/latest/operate/rc/databases/configuration/clustering/#oss-cluster-api',
      });
    }
    if (side === 'main' && hasVerdicts && settings.target === 'oss-cluster' && policy !== 'redis') {
      out.push({
        code: 'oss-cluster-redis-only',
        side,
        message:
          `${where(settings.target)} with ${which} is a setup Redis does not offer: ` +
          'open-source clusters hash keys only the Redis way; Standard and Custom exist on Redis Cloud and Redis Software, ' +
          'so choose their deployment for the verdicts.',
        source: 'https://redis.io/docs/latest/operate/oss_and_stack/reference/cluster-spec/#hash-tags',
      });
    }
  }
  return out;
}
