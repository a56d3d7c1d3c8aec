import type { RegexEngine } from '../rules/engine.ts';
import { parseRules, type RuleSet } from '../rules/ruleset.ts';
import { createCustomPolicy, redisPolicy, standardPolicy, type Policy, type PolicyName } from '../slots/policy.ts';
import { firstErrors, type Blocker } from './blockers.ts';
import { ruleInputOf, type AnalysisSources, type Settings } from './inputs.ts';

/** One side of an analysis: the policy and what it was built from, so a result can name it exactly. */
export interface PolicySide {
  policy: Policy;
  name: PolicyName;
  /** Custom: the rules as written, in order (what reports list), and the rule set the policy runs. */
  rules?: string[];
  ruleSet?: RuleSet;
  /** Custom: which input the rules came from. */
  ruleInput?: 'rules' | 'rulesB';
}

export interface BuiltPolicies {
  /** Null when the main policy cannot be built (see `blockers`): then nothing is computed. */
  main: PolicySide | null;
  /** Null without a second policy, or when it cannot be built (see `blockers`). */
  compare: PolicySide | null;
  /** Diagnostics of both rules texts (rule set B is read only when it is used). */
  rules: RuleSet;
  rulesB: RuleSet;
  blockers: Blocker[];
}

const NO_RULES: RuleSet = { rules: [], diagnostics: [], ok: true };

/**
 * The policies the settings name, built from the rules texts. A custom rule set with errors, without rules,
 * or that the engine refuses is never replaced by another policy: the side is null and a blocker says why.
 */
export function buildPolicies(sources: Pick<AnalysisSources, 'rules' | 'rulesB'>, settings: Settings, engine: RegexEngine): BuiltPolicies {
  // Editors on Windows may save a BOM; it is not part of rule 1.
  const sets = { rules: parseRules(sources.rules.replace(/^\uFEFF/, '')), rulesB: NO_RULES };
  if (settings.policy === 'custom' && settings.compare === 'custom') sets.rulesB = parseRules(sources.rulesB.replace(/^\uFEFF/, ''));
  const blockers: Blocker[] = [];
  const side = (name: PolicyName, which: 'main' | 'compare'): PolicySide | null => {
    if (name === 'redis') return { policy: redisPolicy, name };
    if (name === 'standard') return { policy: standardPolicy, name };
    const input = ruleInputOf(settings, which);
    const set = sets[input];
    const scope = which === 'main' ? 'analysis' : 'compare';
    const what = input === 'rulesB' ? 'Rule set B' : 'The custom rules';
    const consequence =
      which === 'main'
        ? 'no result is shown under Custom until they are fixed'
        : `the comparison with Custom is not shown until ${input === 'rulesB' ? 'it is' : 'they are'} fixed`;
    if (!set.ok) {
      blockers.push({ input, scope, message: `${what} have errors, so ${consequence} — ${firstErrors(set.diagnostics)}.` });
      return null;
    }
    if (set.rules.length === 0) {
      blockers.push({ input, scope, message: `${what} are empty: write at least one rule with a group named tag; ${consequence}.` });
      return null;
    }
    try {
      const policy = createCustomPolicy(set, engine, { implicitShardKey: settings.implicitShardKey });
      return { policy, name, rules: set.rules.map((r) => r.source), ruleSet: set, ruleInput: input };
    } catch (e) {
      blockers.push({ input, scope, message: `${what} could not be prepared (${(e as Error).message}), so ${consequence}.` });
      return null;
    }
  };
  const main = side(settings.policy, 'main');
  const compare = settings.compare ? side(settings.compare, 'compare') : null;
  return { main, compare, rules: sets.rules, rulesB: sets.rulesB, blockers };
}
