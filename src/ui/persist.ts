import { DEFAULT_SETTINGS, EXAMPLE } from './example.ts';
import { decodeLink, fromPlain, toPlain, type SharedState } from './share.ts';

/** Where the last state of the full playground is kept between visits (embeds never write it). */
export const STORAGE_KEY = 'slot-playground:v1';

export interface InitialState {
  /** What to show: from the link, from storage, or the example. */
  state: SharedState;
  from: 'link' | 'storage' | 'example';
  /** What the page should tell the user about it (a damaged link, ignored fields), or null. */
  notice: string | null;
}

/** The example, as a state. */
export function exampleState(): SharedState {
  return { inputs: { ...EXAMPLE }, settings: structuredClone(DEFAULT_SETTINGS), panel: 'keys' };
}

export function ignoredNotice(what: string, fields: string[]): string {
  return `Opened the ${what}, but ignored ${fields.join(', ')}: not valid there, so the example's value is used.`;
}

/**
 * What the page opens with: a link wins (a bad one opens the example with a notice); without a link the
 * full playground restores the last state from storage; else the example. Never throws.
 */
export async function initialState(location: Pick<Location, 'hash'>, storage: Pick<Storage, 'getItem'> | null): Promise<InitialState> {
  if (location.hash) {
    const r = await decodeLink(location.hash);
    if (!r.ok) return { state: exampleState(), from: 'example', notice: `Showing the example: ${r.reason}.` };
    return { state: r.state, from: 'link', notice: r.ignored.length ? ignoredNotice('link', r.ignored) : null };
  }
  try {
    const saved = storage?.getItem(STORAGE_KEY);
    if (saved) {
      const state = fromPlain(JSON.parse(saved));
      // A stored state equal to the example is no restore worth announcing.
      if (Object.keys(toPlain(state)).length > 0) return { state, from: 'storage', notice: null };
    }
  } catch {
    // Storage may be disabled or hold something unreadable: start from the example.
  }
  return { state: exampleState(), from: 'example', notice: null };
}

/** Keeps the state for the next visit; false when it could not be written (quota, storage disabled). */
export function saveState(storage: Pick<Storage, 'setItem'> | null, state: SharedState): boolean {
  try {
    storage?.setItem(STORAGE_KEY, JSON.stringify(toPlain(state)));
    return storage !== null;
  } catch {
    return false;
  }
}

export function forgetState(storage: Pick<Storage, 'removeItem'> | null): void {
  try {
    storage?.removeItem(STORAGE_KEY);
  } catch {
    // nothing stored
  }
}

/** The page's local storage, or null where it is not available (disabled, sandboxed frames). */
export function pageStorage(): Storage | null {
  try {
    return typeof localStorage === 'undefined' ? null : localStorage;
  } catch {
    return null;
  }
}
