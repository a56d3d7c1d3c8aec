#!/usr/bin/env node
// The core must stay pure so it runs unchanged in Node and in a worker: no DOM, no Svelte, no Monaco,
// no WASM engine, nothing from the UI or worker layers. tsc (src/core/tsconfig.json, no DOM lib)
// catches DOM use; this catches imports.
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';

const root = new URL('../src/core', import.meta.url).pathname;
const forbidden = [/^svelte/, /^monaco-editor/, /^re2-wasm/, /\/ui\//, /\/worker\//, /\/engines\//, /\/cli\//, /^node:/];
const problems = [];
const walk = (dir) => {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) walk(path);
    else if (/\.ts$/.test(entry.name) && !/\.test\.ts$/.test(entry.name)) {
      const text = readFileSync(path, 'utf8');
      for (const m of text.matchAll(/(?:import|export)[^'"]*?from\s*['"]([^'"]+)['"]|import\(\s*['"]([^'"]+)['"]/g)) {
        const spec = m[1] ?? m[2];
        if (forbidden.some((re) => re.test(spec))) problems.push(`${relative(process.cwd(), path)}: imports ${spec}`);
      }
    }
  }
};
walk(root);
if (problems.length) {
  console.error('src/core must stay pure (no DOM, UI, worker, engine or Node imports):\n  ' + problems.join('\n  '));
  process.exit(1);
}
console.log('core purity: ok');
