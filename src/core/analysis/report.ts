import type { ReportInput } from '../report/markdown.ts';
import { shardRows } from '../report/shards.ts';
import type { KeysSummary } from './keys.ts';
import type { ReadyAnalysis } from './prepare.ts';

/** What the report says about its own making: the same title and generator give the same document. */
export interface ReportMeta {
  title?: string;
  generatedBy?: string;
}

/**
 * The review report's input for an analysis and its keys: one builder for the page's export and
 * `hashslot report`, so the same inputs give the same document byte for byte. Only for an analysis
 * without blockers (a report is never written about results that were not computed).
 */
export function reportInput(a: ReadyAnalysis, keys: KeysSummary, meta: ReportMeta = {}): ReportInput {
  if (a.blockers.length > 0) throw new Error('reportInput: the analysis has blockers');
  const { settings, commands } = a;
  const d = keys.distribution;
  let migration: ReportInput['migration'] = null;
  if (keys.migration) {
    const { moved: _moved, ...rest } = keys.migration;
    migration = { ...rest, commands: commands.verdictChanges ?? [] };
  }
  return {
    title: meta.title,
    policy: a.main.name,
    compare: a.compare?.name ?? null,
    target: settings.target,
    layout: a.layout.description,
    keyCount: keys.keyCount,
    unplaced: keys.unplaced,
    distribution: d,
    shards: shardRows(a.layout, d.perShard, d.unassigned),
    commands: commands.reports,
    migration,
    generatedBy: meta.generatedBy,
    rules: a.main.rules,
    compareRules: a.compare?.rules,
    implicitShardKey: settings.implicitShardKey,
    warnings: commands.warnings,
    sampledKeys: keys.sampled,
    patternKeys: keys.patternKeys,
    portability: keys.portability,
    setup: a.setup,
    patterns: commands.patterns?.report ?? null,
  };
}
