#!/usr/bin/env node
// The first-paint JavaScript budget: the entry script of dist/index.html and every file it imports
// statically (Monaco, the worker and WebAssembly load later), gzip level 9. `node scripts/first-paint.js`
// fails when the total is over the budget; the browser bench prints the same figure.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';

export const BUDGET_BYTES = 60 * 1024;

/** Every JavaScript file the first paint loads, and their total size gzip-compressed. */
export function firstPaintJs(dist) {
  const html = readFileSync(join(dist, 'index.html'), 'utf8');
  const refs = [...html.matchAll(/<script[^>]+src="([^"]+\.js)"|<link[^>]+rel="modulepreload"[^>]+href="([^"]+\.js)"/g)].map((m) => m[1] ?? m[2]);
  const files = new Set();
  const visit = (ref) => {
    const file = join(dist, ref.replace(/^\.?\//, ''));
    if (files.has(file)) return;
    files.add(file);
    const code = readFileSync(file, 'utf8');
    // Static imports only (`import … from "./x.js"` and bare `import "./x.js"`); dynamic import() is lazy.
    for (const m of code.matchAll(/(?:^|[;\s}])import\s*(?:[\w{},*\s$]+from\s*)?["'](\.\/[^"']+\.js)["']/g)) visit(join('assets', m[1].slice(2)));
  };
  refs.forEach(visit);
  const gzip = [...files].reduce((n, f) => n + gzipSync(readFileSync(f), { level: 9 }).length, 0);
  return { files: [...files].map((f) => f.slice(dist.length + 1)), gzip };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const dist = fileURLToPath(new URL('../dist', import.meta.url));
  if (!existsSync(join(dist, 'index.html'))) {
    console.error('first-paint budget: no dist/index.html (build first)');
    process.exit(1);
  }
  const { files, gzip } = firstPaintJs(dist);
  const kb = (n) => `${(n / 1024).toFixed(1)} KB`;
  const line = `first-paint JavaScript: ${kb(gzip)} gzip of a ${kb(BUDGET_BYTES)} budget (${files.join(', ')})`;
  if (gzip > BUDGET_BYTES) {
    console.error(`${line}: OVER BUDGET`);
    process.exit(1);
  }
  console.log(line);
}
