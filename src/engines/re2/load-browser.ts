import type { Re2Constructor } from './engine.ts';

let loading: Promise<Re2Constructor> | null = null;

/**
 * re2-wasm's RE2 class in a browser page or a (module) Web Worker built by Vite. Lazy: nothing is
 * fetched until the first call; later calls share the same promise, hence the same WASM instance.
 * A failed load is not cached, so it can be retried.
 *
 * How. re2-wasm is built for Node: its Emscripten glue (build/wasm/re2.js) is a non-modular script
 * that reads re2.wasm from disk next to itself, instantiates it synchronously and hands its Module
 * out through `module.exports` in Node only; the RE2 class (build/src/re2.js) gets that Module with
 * `require('../wasm/re2')`. Bundled as is, neither works in a browser. Both files are used
 * unmodified here, the way Emscripten documents for non-modular output: the glue's text runs as
 * the body of `function (Module) { … }` with a Module object of ours, whose `instantiateWasm` hook
 * instantiates the .wasm that was fetched and compiled from the URL Vite gave it (`?url`, see
 * browser-sources.ts). The wrapper's text then runs as a CommonJS module body whose
 * `require('../wasm/re2')` returns that Module. The result is the same RE2 class as in Node.
 *
 * The glue runs as a plain script in both places: in a page it sees `window` and takes its web
 * path; in a module worker (no `importScripts`, no `window`) it takes its shell path, which only
 * sets up printing here. Since the text is run with `new Function`, a Content-Security-Policy, if
 * the app ever sets one, must allow 'unsafe-eval' (and 'wasm-unsafe-eval' for any WASM at all).
 */
export function loadRe2Browser(): Promise<Re2Constructor> {
  loading ??= load().catch((e: unknown) => {
    loading = null;
    throw e;
  });
  return loading;
}

async function load(): Promise<Re2Constructor> {
  const { glueSource, wrapperSource, wasmUrl } = await import('./browser-sources.ts');
  const wasm = await compile(wasmUrl);
  const module = runGlue(glueSource, wasm, wasmUrl);
  const exports: { RE2?: unknown } = {};
  const require = (id: string) => {
    if (id === '../wasm/re2') return module;
    throw new Error(`re2-wasm's RE2 wrapper asked for an unexpected module: ${id}`);
  };
  runScript(wrapperSource, 're2-wasm/build/src/re2.js', ['exports', 'require', 'module'], [exports, require, { exports }]);
  if (typeof exports.RE2 !== 'function') throw new Error('re2-wasm did not define an RE2 class');
  return exports.RE2 as Re2Constructor;
}

/**
 * Runs the glue with a Module of ours. The glue was built for synchronous instantiation: right
 * after asking for the instance it binds the WASM exports, so the `instantiateWasm` hook must
 * return them at once. The module is therefore compiled beforehand (asynchronously) and only
 * instantiated in the hook; the runtime is then ready before the glue returns.
 */
function runGlue(glueSource: string, wasm: WebAssembly.Module, wasmUrl: string): object {
  let ready = false;
  let aborted: unknown;
  const Module = {
    locateFile: () => wasmUrl,
    instantiateWasm(imports: WebAssembly.Imports, receiveInstance: (i: WebAssembly.Instance, m: WebAssembly.Module) => void) {
      const instance = new WebAssembly.Instance(wasm, imports);
      receiveInstance(instance, wasm);
      return instance.exports;
    },
    onRuntimeInitialized() {
      ready = true;
    },
    onAbort(what: unknown) {
      aborted ??= what;
    },
    print: (text: string) => console.log(text),
    printErr: (text: string) => console.warn(text),
  };
  runScript(glueSource, 're2-wasm/build/wasm/re2.js', ['Module'], [Module]);
  if (!ready) throw new Error(`re2-wasm did not initialise${aborted === undefined ? '' : `: ${String(aborted)}`}`);
  return Module;
}

async function compile(url: string): Promise<WebAssembly.Module> {
  if (typeof WebAssembly.compileStreaming === 'function') {
    try {
      return await WebAssembly.compileStreaming(fetch(url, { credentials: 'same-origin' }));
    } catch (e) {
      // A server that does not send application/wasm: fall back to compiling from bytes.
      if (!(e instanceof TypeError)) throw e;
    }
  }
  const response = await fetch(url, { credentials: 'same-origin' });
  if (!response.ok) throw new Error(`re2-wasm: cannot load ${url}: HTTP ${response.status}`);
  return WebAssembly.compile(await response.arrayBuffer());
}

/** Runs a CommonJS-era script as a function body (sloppy unless it says "use strict"), named for devtools. */
function runScript(source: string, name: string, params: string[], args: unknown[]): void {
  const body = `${source.replace(/^\/\/# sourceMappingURL=.*$/m, '')}\n//# sourceURL=${name}`;
  // eslint-disable-next-line @typescript-eslint/no-implied-eval
  new Function(...params, body)(...args);
}
