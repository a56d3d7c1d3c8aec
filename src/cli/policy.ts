import { readFile } from 'node:fs/promises';
import {
  createBytecodeEngine,
  createCustomPolicy,
  parseRules,
  redisPolicy,
  standardPolicy,
  type Diagnostic,
  type Policy,
  type RegexEngine,
} from '../core/index.ts';

export interface PolicyOptions {
  policy: string;
  rules?: string;
  implicitShardKey: boolean;
  engine: string;
}

export const POLICY_HELP = `  --policy P             redis (open-source cluster hash tags, default), standard (Redis Cloud / Software
                         default rules) or custom (needs --rules)
  --rules FILE           custom rules, one PCRE rule per line, each with a group named tag
  --implicit-shard-key   custom: hash the whole key when no rule matches (else the key is an error)
  --engine E             regex engine for custom rules: bytecode (default) or re2 (re2-wasm, cross-check)`;

export const POLICY_ARGS = {
  policy: { type: 'string', default: 'redis' },
  rules: { type: 'string' },
  'implicit-shard-key': { type: 'boolean', default: false },
  engine: { type: 'string', default: 'bytecode' },
} as const;

function formatRuleError(file: string, d: Diagnostic): string {
  return `${file}:${d.line}:${d.column}: ${d.code}: ${d.message}`;
}

async function makeEngine(name: string): Promise<RegexEngine> {
  if (name === 're2') {
    const { loadRe2Node } = await import('../engines/re2/load-node.ts');
    const { createRe2Engine } = await import('../engines/re2/engine.ts');
    return createRe2Engine(await loadRe2Node());
  }
  return createBytecodeEngine();
}

/** Builds the policy the options name, or the message for a usage or rules-file error (exit 2). */
export async function makePolicy(opts: PolicyOptions): Promise<Policy | { error: string }> {
  if (opts.engine !== 'bytecode' && opts.engine !== 're2') return { error: `unknown engine "${opts.engine}": use bytecode or re2` };
  if (opts.policy !== 'custom' && opts.rules !== undefined) return { error: '--rules only applies to --policy custom' };
  if (opts.policy === 'redis') return redisPolicy;
  if (opts.policy === 'standard') return standardPolicy;
  if (opts.policy !== 'custom') return { error: `unknown policy "${opts.policy}": use redis, standard or custom` };
  if (opts.rules === undefined) return { error: '--policy custom needs --rules FILE' };
  let text: string;
  try {
    text = await readFile(opts.rules, 'utf8');
  } catch (e) {
    return { error: `cannot read rules file ${opts.rules}: ${(e as Error).message}` };
  }
  // Editors on Windows may save a BOM; it is not part of rule 1.
  const ruleSet = parseRules(text.replace(/^\uFEFF/, ''));
  for (const d of ruleSet.diagnostics) {
    if (d.severity !== 'error') process.stderr.write(`${formatRuleError(opts.rules, { ...d, code: `${d.severity}: ${d.code}` })}\n`);
  }
  if (!ruleSet.ok) {
    return {
      error: ruleSet.diagnostics
        .filter((d) => d.severity === 'error')
        .map((d) => formatRuleError(opts.rules!, d))
        .join('\n'),
    };
  }
  if (ruleSet.rules.length === 0) return { error: `${opts.rules}: no rules` };
  try {
    return createCustomPolicy(ruleSet, await makeEngine(opts.engine), { implicitShardKey: opts.implicitShardKey });
  } catch (e) {
    return { error: `${opts.rules}: ${(e as Error).message}` };
  }
}
