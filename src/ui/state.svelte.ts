import type { Diagnostic, Inputs, Settings } from '../core/index.ts';
import type { AnalysisResult } from '../worker/protocol.ts';
import { DEFAULT_SETTINGS, EXAMPLE } from './example.ts';

export type { Panel } from './panel-ids.ts';
import type { Panel } from './panel-ids.ts';
export type InputTab = 'keys' | 'rules' | 'commands' | 'topology';

/** What the page shows: inputs and settings the user controls, results the worker sends back. */
export class PlaygroundState {
  inputs = $state<Inputs>({ ...EXAMPLE });
  settings = $state<Settings>(structuredClone(DEFAULT_SETTINGS));
  result = $state<AnalysisResult | null>(null);
  busy = $state(false);
  error = $state<string | null>(null);
  panel = $state<Panel>('keys');
  inputTab = $state<InputTab>('keys');
  /** Index into the key list of the key Explain shows. */
  explainIndex = $state<number | null>(null);

  problemCount = $derived(
    this.result ? Object.values(this.result.problems).reduce((n: number, list: Diagnostic[]) => n + list.filter((d) => d.severity !== 'info').length, 0) : 0,
  );
  crossslotCount = $derived(this.result?.view ? this.result.view.commands.filter((c) => c.verdict.verdict === 'crossslot').length : 0);
  /** Command templates that are not single-slot for every value on the chosen target. */
  templateRiskCount = $derived(
    this.result?.view?.patterns?.templates.filter(
      (t) => t.template && t.kind === 'command' && !['always', 'no-keys'].includes(t.verdicts[this.settings.target].verdict),
    ).length ?? 0,
  );
}
