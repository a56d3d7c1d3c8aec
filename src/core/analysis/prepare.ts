import { utf8 } from '../bytes.ts';
import { tokenizeCommands } from '../commands/tokenize.ts';
import { parseKeyList } from '../input/keylist.ts';
import { parsePatternDocuments } from '../patterns/review/analysis.ts';
import { hasPlaceholder } from '../patterns/language/parse.ts';
import type { RegexEngine } from '../rules/engine.ts';
import type { Blocker } from './blockers.ts';
import { analyzeCommandInputs, type CommandsPart } from './commands.ts';
import type { AnalysisSources, Problems, Settings } from './inputs.ts';
import { buildLayout, type Layout } from './layout.ts';
import { buildPolicies, type PolicySide } from './policies.ts';
import { setupProblems, type SetupProblem } from './setups.ts';

/** Everything an analysis computes apart from the keys, for every surface: the page's worker, the CLI, exports. */
interface PreparedBase {
  settings: Settings;
  /** Diagnostics of each input (keys: those of a typed key list; a stream adds its own). */
  problems: Problems;
  /** Inputs a result needs that cannot be used; results that need them are not computed. */
  blockers: Blocker[];
  /** Policy and deployment combinations Redis does not offer (results are computed, and marked so). */
  setup: SetupProblem[];
  /** Frees the policies' engine resources. */
  dispose(): void;
}

/** The main policy and the layout could be built: keys, commands and patterns can be analysed. */
export interface ReadyAnalysis extends PreparedBase {
  ready: true;
  main: PolicySide;
  /** Null without a second policy, or when it cannot be built (a `compare` blocker says why). */
  compare: PolicySide | null;
  layout: Layout;
  commands: CommandsPart;
}

/** The main policy or the layout cannot be built: no result is computed, the blockers say why. */
export interface BlockedAnalysis extends PreparedBase {
  ready: false;
}

export type PreparedAnalysis = ReadyAnalysis | BlockedAnalysis;

export interface AnalysisDeps {
  /** The engine custom rules run on (the core never imports one). */
  engine: RegexEngine;
}

export interface AnalysisOptions {
  /**
   * `auto`: key patterns and command templates are reviewed when an input has a placeholder; `always`:
   * every command line gets a template verdict even without one (`hashslot patterns`).
   */
  review?: 'auto' | 'always';
}

/**
 * The one place where inputs and settings become an analysis: policies with their rule sources, the
 * shard layout and its description, command and template verdicts, the pattern review, verdict changes,
 * and diagnostics grouped by input. `keyText` is a key list read whole (its patterns are reviewed and
 * stand for sample keys, see TEXT_KEYS_LIMIT); null when the keys stream from a file.
 */
export function prepareAnalysis(
  sources: AnalysisSources,
  settings: Settings,
  deps: AnalysisDeps,
  keyText: Uint8Array | null = null,
  options: AnalysisOptions = {},
): PreparedAnalysis {
  const policies = buildPolicies(sources, settings, deps.engine);
  const built = buildLayout(settings.layout, sources.topology);
  const problems: Problems = { keys: [], rules: policies.rules.diagnostics, rulesB: policies.rulesB.diagnostics, commands: [], topology: [] };
  // The layout's findings (a pasted topology's, or a count's: too few masters, a bad N); the page marks
  // the Topology editor with them only when the topology is pasted.
  problems.topology = built.diagnostics;
  const blockers = [...policies.blockers, ...(built.blocker ? [built.blocker] : [])];
  const commandText = typeof sources.commands === 'string' ? utf8(sources.commands) : sources.commands;
  const setup = setupProblems(settings, hasContent(commandText));
  const dispose = () => {
    policies.main?.policy.dispose();
    policies.compare?.policy.dispose();
  };
  const { main, compare } = policies;
  if (!main || !built.layout) {
    // What the other inputs say about themselves stays visible while nothing can be computed.
    problems.commands = tokenizeCommands(commandText).diagnostics.filter((d) => d.severity !== 'info');
    if (keyText) {
      problems.keys = hasPlaceholder(keyText)
        ? parsePatternDocuments({ keys: keyText, commands: commandText }).keyDiagnostics
        : parseKeyList(keyText).diagnostics;
    }
    return { ready: false, settings, problems, blockers, setup, dispose };
  }
  const commands = analyzeCommandInputs(commandText, keyText, main, compare, built.layout, settings, options.review ?? 'auto');
  problems.commands = commands.diagnostics;
  if (commands.patterns && keyText) problems.keys = commands.patterns.report.keyDiagnostics;
  return { ready: true, settings, problems, blockers, setup, dispose, main, compare, layout: built.layout, commands };
}

/** Whether a commands input holds anything besides blanks (only then are there verdicts). */
function hasContent(bytes: Uint8Array): boolean {
  for (const b of bytes) if (b !== 0x20 && b !== 0x09 && b !== 0x0a && b !== 0x0d) return true;
  return false;
}
