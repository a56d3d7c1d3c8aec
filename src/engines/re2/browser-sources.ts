/**
 * The three files of re2-wasm that the browser loader needs, as Vite imports (kept out of
 * load-browser.ts so that Vite puts them in a chunk of their own, fetched on first use):
 * - the Emscripten glue and the RE2 class wrapper as source text (`?raw`): they are CommonJS
 *   scripts for Node, which load-browser.ts runs with a Module object and a `require` of its own;
 * - the .wasm as a URL (`?url`): Vite emits it as an asset, and load-browser.ts instantiates it.
 */
export { default as glueSource } from 're2-wasm/build/wasm/re2.js?raw';
export { default as wrapperSource } from 're2-wasm/build/src/re2.js?raw';
export { default as wasmUrl } from 're2-wasm/build/wasm/re2.wasm?url';
