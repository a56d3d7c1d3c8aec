import { PANEL_IDS, type Panel } from './panel-ids.ts';

/** Docs-page embed: `?embed&panels=keys,commands&inputs=keys&readonly`. */
export interface EmbedOptions {
  panels: Panel[];
  /** Input editors shown (none by default: a pinned view). */
  inputs: ('keys' | 'rules' | 'commands' | 'topology')[];
  readonly: boolean;
}

const INPUTS = ['keys', 'rules', 'commands', 'topology'] as const;

/** Null when the page is not embedded. Unknown names are ignored; an empty list means all. */
export function embedOptions(search: string): EmbedOptions | null {
  const q = new URLSearchParams(search);
  if (!q.has('embed')) return null;
  const list = <T extends string>(name: string, allowed: readonly T[]) =>
    (q.get(name) ?? '')
      .split(',')
      .map((s) => s.trim())
      .filter((s): s is T => (allowed as readonly string[]).includes(s));
  const panels = list('panels', PANEL_IDS);
  return {
    panels: panels.length ? panels : [...PANEL_IDS],
    inputs: list('inputs', INPUTS),
    readonly: q.has('readonly'),
  };
}

/** Tells the parent page how tall the embed is, so its iframe can fit it. */
export function reportHeight(): () => void {
  if (window.parent === window) return () => {};
  let last = 0;
  const send = () => {
    const height = Math.ceil(document.documentElement.getBoundingClientRect().height);
    if (height !== last) {
      last = height;
      window.parent.postMessage({ type: 'slot-playground:height', height }, '*');
    }
  };
  const observer = new ResizeObserver(send);
  observer.observe(document.body);
  send();
  return () => observer.disconnect();
}
