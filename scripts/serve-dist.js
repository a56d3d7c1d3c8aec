#!/usr/bin/env node
// A minimal static file server for dist/ under a sub-path, bound to 127.0.0.1: proves the build works
// from any folder of a static host, with nothing but files.
import { createReadStream, statSync } from 'node:fs';
import { createServer } from 'node:http';
import { extname, join, normalize, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

const port = Number(process.argv[2] ?? 4317);
const base = process.argv[3] ?? '/';
const root = resolve(fileURLToPath(new URL('../dist', import.meta.url)));
const types = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript',
  '.css': 'text/css',
  '.svg': 'image/svg+xml',
  '.wasm': 'application/wasm',
  '.json': 'application/json',
  '.map': 'application/json',
  '.ttf': 'font/ttf',
};

/**
 * The file a request path names under `root`, or the HTTP status that refuses it: 404 outside the base
 * path or for a missing file, 400 for a path that is not valid percent-encoding, 403 for anything that
 * resolves outside `root` (`..`, encoded or not, also into a sibling folder whose name starts like root's).
 */
export function resolveRequest(root, base, pathname) {
  if (!pathname.startsWith(base)) return { status: 404, body: 'outside base path' };
  let decoded;
  try {
    decoded = decodeURIComponent(pathname.slice(base.length));
  } catch {
    return { status: 400, body: 'bad path' };
  }
  let file = normalize(join(root, decoded));
  if (file !== root && !file.startsWith(root + sep)) return { status: 403, body: 'forbidden' };
  try {
    if (statSync(file).isDirectory()) file = join(file, 'index.html');
    statSync(file);
  } catch {
    return { status: 404, body: 'not found' };
  }
  return { status: 200, file };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  createServer((req, res) => {
    let url;
    try {
      url = new URL(req.url ?? '/', 'http://x');
    } catch {
      res.writeHead(400).end('bad request');
      return;
    }
    const r = resolveRequest(root, base, url.pathname);
    if (r.status !== 200) {
      res.writeHead(r.status).end(r.body);
      return;
    }
    res.writeHead(200, { 'content-type': types[extname(r.file)] ?? 'application/octet-stream' });
    createReadStream(r.file).pipe(res);
  }).listen(port, '127.0.0.1', () => console.log(`serving dist/ at http://127.0.0.1:${port}${base}`));
}
