import { TARGETS, type Inputs, type Settings } from '../core/index.ts';
import { DEFAULT_SETTINGS, EXAMPLE, MAX_PATTERN_SAMPLES } from './example.ts';
import { PANEL_IDS, type Panel } from './panel-ids.ts';

/** What a link or a state file carries. */
export interface SharedState {
  inputs: Inputs;
  settings: Settings;
  panel: Panel;
}

export const LINK_PREFIX = '#v1/';
/** Longer links do not survive chat tools and some browsers: offer a file instead. */
export const LINK_LIMIT = 8000;
/** A link or file larger than this is refused unread (a pasted key list of 10 MB belongs in a file). */
export const MAX_ENCODED = 2_000_000;
const MAX_DECODED = 20_000_000;

const POLICIES = ['redis', 'standard', 'custom'];

/** Only what differs from the defaults goes into the link: the example costs nothing to share. */
export function toPlain(state: SharedState): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  const inputs: Record<string, string> = {};
  for (const k of Object.keys(EXAMPLE) as (keyof Inputs)[]) if (state.inputs[k] !== EXAMPLE[k]) inputs[k] = state.inputs[k];
  if (Object.keys(inputs).length) out.i = inputs;
  const settings: Record<string, unknown> = {};
  for (const k of Object.keys(DEFAULT_SETTINGS) as (keyof Settings)[]) {
    if (JSON.stringify(state.settings[k]) !== JSON.stringify(DEFAULT_SETTINGS[k])) settings[k] = state.settings[k];
  }
  if (Object.keys(settings).length) out.s = settings;
  if (state.panel !== 'keys') out.p = state.panel;
  return out;
}

/**
 * Reads untrusted data (a link, a file) into a state: known fields of the right type are taken,
 * everything else (unknown or prototype-polluting keys, wrong types) is ignored, missing fields
 * come from the defaults. Never throws.
 */
export function fromPlain(data: unknown, ignored: string[] = []): SharedState {
  const obj = isRecord(data) ? data : {};
  const i = isRecord(obj.i) ? obj.i : {};
  const s = isRecord(obj.s) ? obj.s : {};
  // Every field that is there but unusable is named, so the page can say what it did not apply.
  const check = (present: boolean, valid: boolean, name: string) => {
    if (present && !valid) ignored.push(name);
    return present && valid;
  };
  check(Object.hasOwn(obj, 'i'), isRecord(obj.i), 'inputs');
  check(Object.hasOwn(obj, 's'), isRecord(obj.s), 'settings');
  const inputs = { ...EXAMPLE };
  for (const k of Object.keys(EXAMPLE) as (keyof Inputs)[]) if (check(Object.hasOwn(i, k), typeof i[k] === 'string', k)) inputs[k] = i[k] as string;
  const settings: Settings = structuredClone(DEFAULT_SETTINGS);
  if (check(Object.hasOwn(s, 'policy'), POLICIES.includes(s.policy as string), 'policy')) settings.policy = s.policy as Settings['policy'];
  if (check(Object.hasOwn(s, 'compare'), s.compare === null || POLICIES.includes(s.compare as string), 'compare'))
    settings.compare = s.compare as Settings['compare'];
  if (check(Object.hasOwn(s, 'target'), (TARGETS as readonly unknown[]).includes(s.target), 'target')) settings.target = s.target as Settings['target'];
  if (
    check(
      Object.hasOwn(s, 'patternSamples'),
      Number.isInteger(s.patternSamples) && (s.patternSamples as number) >= 1 && (s.patternSamples as number) <= MAX_PATTERN_SAMPLES,
      'patternSamples',
    )
  ) {
    settings.patternSamples = s.patternSamples as number;
  }
  if (check(Object.hasOwn(s, 'implicitShardKey'), typeof s.implicitShardKey === 'boolean', 'implicit_shard_key'))
    settings.implicitShardKey = s.implicitShardKey as boolean;
  if (Object.hasOwn(s, 'layout')) {
    const layout = isRecord(s.layout) ? s.layout : {};
    const { kind, count } = layout;
    if (kind === 'paste') settings.layout = { kind };
    else if ((kind === 'even' || kind === 'masters') && Number.isInteger(count) && (count as number) >= 1 && (count as number) <= 16384) {
      settings.layout = { kind, count: count as number };
    } else ignored.push('layout');
  }
  const panel = check(Object.hasOwn(obj, 'p'), (PANEL_IDS as readonly unknown[]).includes(obj.p), 'panel') ? (obj.p as Panel) : 'keys';
  return { inputs, settings, panel };
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Thrown when a stream's output passes its limit. */
class TooLarge extends Error {}

async function pipe(bytes: Uint8Array, stream: CompressionStream | DecompressionStream, limit: number): Promise<Uint8Array> {
  const reader = new Blob([bytes as BlobPart]).stream().pipeThrough(stream).getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.length;
    // A small link that inflates to gigabytes (a "zip bomb") stops here.
    if (size > limit) {
      await reader.cancel();
      throw new TooLarge('too large');
    }
    chunks.push(value);
  }
  const out = new Uint8Array(size);
  let at = 0;
  for (const c of chunks) {
    out.set(c, at);
    at += c.length;
  }
  return out;
}

function toBase64Url(bytes: Uint8Array): string {
  let bin = '';
  for (let i = 0; i < bytes.length; i += 0x8000) bin += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(bin).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

function fromBase64Url(text: string): Uint8Array {
  const bin = atob(text.replace(/-/g, '+').replace(/_/g, '/'));
  return Uint8Array.from(bin, (c) => c.charCodeAt(0));
}

/** The URL fragment for a state: `#v1/` + base64url(deflate-raw(JSON of what differs from defaults)). */
export async function encodeLink(state: SharedState): Promise<string> {
  const plain = toPlain(state);
  if (Object.keys(plain).length === 0) return '';
  const json = new TextEncoder().encode(JSON.stringify(plain));
  return LINK_PREFIX + toBase64Url(await pipe(json, new CompressionStream('deflate-raw'), Infinity));
}

/** `ignored`: fields that were present but unusable (wrong type, unknown value), left as in the example. */
export type Decoded = { ok: true; state: SharedState; ignored: string[] } | { ok: false; reason: string };

/** Reads a URL fragment; anything unreadable is a reason for a notice, never an exception. */
export async function decodeLink(hash: string): Promise<Decoded> {
  if (!hash.startsWith(LINK_PREFIX)) return { ok: false, reason: 'this link is not a Slot Playground link (or is from a newer version)' };
  const body = hash.slice(LINK_PREFIX.length);
  if (body.length > MAX_ENCODED) return { ok: false, reason: 'this link is too large to open' };
  try {
    const raw = await pipe(fromBase64Url(body), new DecompressionStream('deflate-raw'), MAX_DECODED);
    const data: unknown = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(raw));
    // Valid JSON that is not an object holds no state: as damaged as a cut link.
    if (!isRecord(data)) throw new Error('not a state');
    const ignored: string[] = [];
    const state = fromPlain(data, ignored);
    return { ok: true, state, ignored };
  } catch (e) {
    // A short link that inflates past the limit is a "zip bomb", not a damaged link: say which.
    return { ok: false, reason: e instanceof TooLarge ? 'this link is too large to open' : 'this link is damaged (it may have been cut short)' };
  }
}

/** A state file (JSON), for states too large for a link. */
export function stateFile(state: SharedState): string {
  return JSON.stringify({ format: 'slot-playground-state', version: 1, ...toPlain(state) }, null, 2);
}

export function readStateFile(text: string): Decoded {
  if (text.length > MAX_DECODED) return { ok: false, reason: 'this file is too large' };
  try {
    const data: unknown = JSON.parse(text);
    if (!isRecord(data) || data.format !== 'slot-playground-state') return { ok: false, reason: 'this is not a Slot Playground state file' };
    const ignored: string[] = [];
    const state = fromPlain(data, ignored);
    return { ok: true, state, ignored };
  } catch {
    return { ok: false, reason: 'this file is not valid JSON' };
  }
}
