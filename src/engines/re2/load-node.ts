import type { Re2Constructor } from './engine.ts';

let loading: Promise<Re2Constructor> | null = null;

/**
 * re2-wasm's RE2 class in Node (CommonJS; its WASM is read from disk and instantiated
 * synchronously on first import). Lazy: nothing is loaded until the first call; later calls share
 * the same promise, hence the same WASM instance. A failed load is not cached, so it can be retried.
 */
export function loadRe2Node(): Promise<Re2Constructor> {
  loading ??= import('re2-wasm').then(
    (mod) => {
      // Node exposes a CommonJS module's exports as named exports and as `default`.
      const RE2 = mod.RE2 ?? (mod as unknown as { default?: { RE2?: unknown } }).default?.RE2;
      if (typeof RE2 !== 'function') throw new Error('re2-wasm did not export an RE2 class');
      return RE2 as Re2Constructor;
    },
    (e: unknown) => {
      loading = null;
      throw e;
    },
  );
  return loading;
}
