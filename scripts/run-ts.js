#!/usr/bin/env node
// Runs a TypeScript script of the repo (the benchmarks) with Node: esbuild bundles it into .tmp/ first,
// so it needs no TypeScript loader at run time and imports JSON the way the app and the CLI do.
// Usage: node scripts/run-ts.js bench/slots.bench.ts [args…]
import { build } from 'esbuild';
import { spawnSync } from 'node:child_process';
import { basename } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const [entry, ...args] = process.argv.slice(2);
if (!entry) {
  console.error('usage: node scripts/run-ts.js FILE.ts [args…]');
  process.exit(2);
}
const root = fileURLToPath(new URL('..', import.meta.url));
const outfile = `${root}.tmp/run/${basename(entry, '.ts')}.mjs`;
await build({
  absWorkingDir: root,
  entryPoints: [entry],
  outfile,
  bundle: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  sourcemap: 'inline',
  // The script finds repo files relative to itself: it keeps its own URL in the bundle.
  define: { 'import.meta.url': JSON.stringify(pathToFileURL(`${root}${entry}`).href) },
  // Packages that load files of their own (browsers, WebAssembly) or are CommonJS stay packages.
  external: ['@playwright/test', 'playwright-core', 're2-wasm', 'cluster-key-slot'],
  logLevel: 'warning',
});
const r = spawnSync(process.execPath, ['--enable-source-maps', outfile, ...args], { stdio: 'inherit' });
process.exit(r.status ?? 1);
