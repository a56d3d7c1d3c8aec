/**
 * `npm run bench:browser`: the production build in Debian's Chromium, driven by Playwright. Loads 1 M
 * pasted keys, then 1 M and 10 M keys from generated files, and prints the time to full results,
 * keys/s, the longest main-thread task, the main thread's peak JS heap and the tab's peak memory (the
 * renderer process's peak resident set: page, worker, WebAssembly and buffers together). Also the
 * first-paint JavaScript (gzip). Numbers are printed, never asserted.
 */
// @ts-expect-error a plain JavaScript module of the test scripts (no types)
import { firstPaintJs as firstPaint } from '../scripts/first-paint.js';
import { chromium, type Page } from '@playwright/test';
import { spawn } from 'node:child_process';
import { createWriteStream, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { once } from 'node:events';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { keyFilePieces } from './keys.ts';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const DIST = join(ROOT, 'dist');
const PORT = Number(process.env.BENCH_PORT ?? 4391);
const BASE = '/bench/sub/';
const SIZES = (process.env.BENCH_BROWSER_KEYS ?? '1000000,10000000').split(',').map(Number);
const CHROMIUM = process.env.CHROMIUM ?? '/usr/bin/chromium';
const ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--enable-precise-memory-info',
];

if (!existsSync(join(DIST, 'index.html'))) throw new Error('no dist/: run `npm run build` first (npm run bench:browser does)');

const firstPaintJs = () => firstPaint(DIST);

async function writeKeyFile(path: string, count: number): Promise<number> {
  const out = createWriteStream(path);
  for (const piece of keyFilePieces(count)) if (!out.write(piece)) await once(out, 'drain');
  out.end();
  await once(out, 'finish');
  return statSync(path).size;
}

/** Peak resident memory of every renderer process below the browser (the tab and its worker live in one). */
function rendererPeak(browserPid: number): number {
  const parent = new Map<number, number>();
  for (const d of readdirSync('/proc')) {
    if (!/^\d+$/.test(d)) continue;
    try {
      const stat = readFileSync(`/proc/${d}/stat`, 'utf8');
      parent.set(Number(d), Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]));
    } catch {
      // exited meanwhile
    }
  }
  const below = (pid: number) => {
    for (let p = parent.get(pid); p; p = parent.get(p)) if (p === browserPid) return true;
    return false;
  };
  let peak = 0;
  for (const pid of parent.keys()) {
    if (!below(pid)) continue;
    try {
      if (!readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes('--type=renderer')) continue;
      const hwm = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
      if (hwm) peak = Math.max(peak, Number(hwm[1]) * 1024);
    } catch {
      // exited meanwhile
    }
  }
  return peak;
}

interface Run {
  millis: number;
  longestTask: number;
  heapPeak: number;
  keys: string;
}

/**
 * Page-side meters, as source text: a bundler may rewrite functions passed to page.evaluate (adding a helper
 * the page does not have), so the code that runs in the page is kept as plain JavaScript.
 */
const INSTALL_METERS = `(expectedText) => {
  const tasks = [];
  new PerformanceObserver((list) => tasks.push(...list.getEntries())).observe({ type: 'longtask' });
  const bench = { t0: Infinity, tasks, heap: 0, done: null };
  // The clock starts when the page gets the keys: the file input's change or the paste event.
  const mark = () => (bench.t0 = Math.min(bench.t0, performance.now()));
  document.addEventListener('change', mark, true);
  document.addEventListener('paste', mark, true);
  bench.done = new Promise((resolve) => {
    const poll = () => {
      if (performance.memory) bench.heap = Math.max(bench.heap, performance.memory.usedJSHeapSize);
      const done = document.querySelector('[data-testid=done]')?.textContent ?? '';
      if (done.startsWith(expectedText + ' keys')) resolve(performance.now());
      else setTimeout(poll, 20);
    };
    poll();
  });
  window.__bench = bench;
}`;

const READ_METERS = `async () => {
  const b = window.__bench;
  const end = await b.done;
  // Long-task entries arrive a little after the task.
  await new Promise((r) => setTimeout(r, 300));
  const during = b.tasks.filter((t) => t.startTime + t.duration >= b.t0 && t.startTime <= end);
  return {
    millis: end - b.t0,
    longestTask: Math.max(0, ...during.map((t) => t.duration)),
    heapPeak: b.heap,
    keys: document.querySelector('[data-testid=done]')?.textContent ?? '',
  };
}`;

const PASTE = `() => {
  const target = document.querySelector('[data-testid=keys-editor] textarea') ?? document.querySelector('[data-testid=keys-editor]');
  const data = new DataTransfer();
  data.setData('text/plain', window.__paste);
  target.dispatchEvent(new ClipboardEvent('paste', { clipboardData: data, bubbles: true, cancelable: true }));
}`;

/** Installs the meters, starts the load with `start`, and waits for the status to show `expected` keys. */
async function measure(page: Page, expected: number, start: () => Promise<void>): Promise<Run> {
  await page.evaluate(`(${INSTALL_METERS})(${JSON.stringify(expected.toLocaleString('en'))})`);
  await start();
  return (await page.evaluate(`(${READ_METERS})()`)) as Run;
}

async function scenario(name: string, expected: number, act: (page: Page) => Promise<void>, prepare?: (page: Page) => Promise<void>): Promise<void> {
  const server = await chromium.launchServer({ executablePath: CHROMIUM, args: ARGS, headless: true });
  try {
    const browser = await chromium.connect(server.wsEndpoint());
    const page = await browser.newPage();
    await page.goto(`http://127.0.0.1:${PORT}${BASE}`);
    await page.getByTestId('done').waitFor();
    await prepare?.(page);
    const run = await measure(page, expected, () => act(page));
    const peak = rendererPeak(server.process().pid!);
    const rate = (expected / run.millis) * 1000;
    const task = run.longestTask > 0 ? `${run.longestTask.toFixed(0)} ms` : '< 50 ms (no long task)';
    console.log(
      `  ${name.padEnd(38)} ${(run.millis / 1000).toFixed(2).padStart(6)} s  ${(rate / 1e6).toFixed(2).padStart(5)} M keys/s  ` +
        `longest main-thread task ${task.padEnd(22)} main-thread JS heap peak ${(run.heapPeak / 2 ** 20).toFixed(0).padStart(4)} MB  ` +
        `tab peak memory ${(peak / 2 ** 20).toFixed(0).padStart(4)} MB`,
    );
    results.push({ name, expected, ...run, peak });
    await browser.close();
  } finally {
    await server.close();
  }
}

const results: (Run & { name: string; expected: number; peak: number })[] = [];
const dir = mkdtempSync(join(tmpdir(), 'slot-bench-'));
const server = spawn(process.execPath, [join(ROOT, 'scripts/serve-dist.js'), String(PORT), BASE], { stdio: ['ignore', 'pipe', 'inherit'] });
try {
  await once(server.stdout!, 'data');
  const fp = firstPaintJs();
  console.log(`slot playground browser bench — Chromium ${CHROMIUM}, node ${process.version}`);
  console.log(`  first-paint JavaScript: ${(fp.gzip / 1024).toFixed(1)} KB gzip (${fp.files.join(', ')}); Monaco and the worker load later`);

  const pasted = SIZES[0];
  const pasteText = Buffer.concat([...keyFilePieces(pasted)]).toString('utf8');
  await scenario(
    `${pasted.toLocaleString('en')} keys pasted`,
    pasted,
    async (page) => {
      await page.evaluate(`(${PASTE})()`);
    },
    async (page) => {
      // The text is handed over before the clock starts: a user's paste has it in the clipboard already.
      await page.evaluate((text) => ((window as unknown as { __paste: string }).__paste = text), pasteText);
    },
  );
  for (const count of SIZES) {
    const path = join(dir, `keys-${count}.txt`);
    const bytes = await writeKeyFile(path, count);
    await scenario(`${count.toLocaleString('en')} keys from a file (${(bytes / 1e6).toFixed(0)} MB)`, count, (page) =>
      page.getByTestId('open-keys').setInputFiles(path),
    );
    rmSync(path);
  }

  console.log('goals:');
  const paste = results[0];
  console.log(`  first-paint JS ≤ 60 KB gzip: ${(fp.gzip / 1024).toFixed(1)} KB ${fp.gzip <= 60 * 1024 ? 'MET' : 'NOT MET'}`);
  console.log(
    `  1 M pasted keys < 2 s, no main-thread task > 100 ms: ${(paste.millis / 1000).toFixed(2)} s, longest ${paste.longestTask.toFixed(0)} ms ` +
      (paste.millis < 2000 && paste.longestTask <= 100 ? 'MET' : 'NOT MET'),
  );
  const ten = results.find((r) => r.expected >= 10_000_000 && r.name.includes('file'));
  if (ten) console.log(`  10 M keys from a file, tab memory < 1 GB: ${(ten.peak / 2 ** 20).toFixed(0)} MB ${ten.peak < 2 ** 30 ? 'MET' : 'NOT MET'}`);
} finally {
  server.kill();
  rmSync(dir, { recursive: true, force: true });
}
