import type { Target } from '../commands/verdict.ts';
import type { Diagnostic } from '../diagnostics.ts';
import type { PolicyName } from '../slots/policy.ts';

/** The inputs a user types or pastes (the page's editors; the CLI reads them from files). */
export interface Inputs {
  keys: string;
  rules: string;
  /** Second rule set, for Custom → Custom comparisons. */
  rulesB: string;
  commands: string;
  topology: string;
}

export type InputName = keyof Inputs;

/** Where slots live: an even split, the redis-cli create split, or a pasted topology. */
export type LayoutChoice = { kind: 'even' | 'masters'; count: number } | { kind: 'paste' };

/** Every choice an analysis depends on besides the inputs' text. */
export interface Settings {
  policy: PolicyName;
  /** Second policy: turns the migration view on. */
  compare: PolicyName | null;
  target: Target;
  implicitShardKey: boolean;
  layout: LayoutChoice;
  /** Concrete keys each key pattern stands for in the distribution, slot map and migration views. */
  patternSamples: number;
  /** Custom rules: values tried per pattern question; undefined: scaled to the number of patterns. */
  reviewSamples?: number;
}

/** Diagnostics of each input, for its editor markers and the Problems list (the CLI prints them with file names). */
export type Problems = Record<InputName, Diagnostic[]>;

/** Inputs as the core reads them: texts, or bytes where the input is bytes (a commands file may hold any byte). */
export interface AnalysisSources {
  rules: string;
  rulesB: string;
  commands: string | Uint8Array;
  topology: string;
}

/**
 * A key list up to this size is read whole, as a person typed it: key patterns stand for sample keys,
 * every view is exact. A bigger one streams (a dump: every line is a plain key; hot tags and groups from
 * a uniform sample). The page's editor holds at most this much, and the CLI applies the same rule, so the
 * same bytes give the same answer on every surface.
 */
export const TEXT_KEYS_LIMIT = 2 * 1024 * 1024;

/** Which rules text feeds a custom policy on each side: Custom → Custom compares rule set A with B. */
export function ruleInputOf(settings: Pick<Settings, 'policy' | 'compare'>, side: 'main' | 'compare'): 'rules' | 'rulesB' {
  return side === 'compare' && settings.policy === 'custom' && settings.compare === 'custom' ? 'rulesB' : 'rules';
}
