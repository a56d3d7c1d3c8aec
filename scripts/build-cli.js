#!/usr/bin/env node
// Compiles the CLI and the library to plain JavaScript in lib/ (esbuild): `hashslot` starts without
// compiling TypeScript, loads a command's code only to run it, and an installed package needs no dev
// dependency. Run by `npm install` in the repo (prepare), by `npm pack`, and before the tests.
import { build } from 'esbuild';
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const types = !process.argv.includes('--no-types');
for (const old of ['cli.js', 'index.js', 'chunks', ...(types ? ['types'] : [])]) rmSync(join(root, 'lib', old), { recursive: true, force: true });
await build({
  absWorkingDir: root,
  entryPoints: { cli: 'src/cli/main.ts', index: 'src/lib.ts' },
  outdir: 'lib',
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  // re2-wasm loads its WebAssembly from its own folder: it stays a package (a dependency).
  external: ['re2-wasm'],
  // Smaller and faster to parse; names are kept, so messages and traces stay readable.
  minifySyntax: true,
  minifyWhitespace: true,
  chunkNames: 'chunks/[name]-[hash]',
  logLevel: 'warning',
});

// Declarations of the library API (lib/types), unless only the CLI is wanted (--no-types: a quick rebuild).
if (types) {
  execFileSync(process.execPath, [join(root, 'node_modules/typescript/bin/tsc'), '-p', join(root, 'tsconfig.lib.json')], { stdio: 'inherit' });
  const walk = (dir) => {
    for (const e of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, e.name);
      if (e.isDirectory()) walk(path);
      else writeFileSync(path, readFileSync(path, 'utf8').replace(/(from\s+'\.{1,2}\/[^']*)\.ts'/g, "$1.js'"));
    }
  };
  walk(join(root, 'lib/types'));
}
