/**
 * `npm run bench`: keys/s of each policy on the same generated keys (1 M, then 10 M), next to the cluster-key-slot
 * package, with ratios. Run on the machine you care about; numbers are printed, never asserted.
 */
import clusterKeySlot from 'cluster-key-slot';
import {
  createBytecodeEngine,
  createCustomPolicy,
  newSpan,
  parseKeyList,
  parseRules,
  redisPolicy,
  standardPolicy,
  type KeyList,
  type Policy,
} from '../src/core/index.ts';
import { slotsOfFile } from '../src/core/slots/scan.ts';
import { createRe2Engine } from '../src/engines/re2/engine.ts';
import { loadRe2Node } from '../src/engines/re2/load-node.ts';
import { loadWasmSlotter } from '../src/engines/scan/wasm-slotter.ts';
import { spawnSync } from 'node:child_process';
import { closeSync, mkdtempSync, openSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { generateKeyFile } from './keys.ts';

/** Key counts, each its own generated file; a count above 2 M runs once (it is long enough to be stable). */
const SIZES = (process.env.BENCH_KEYS ?? '1000000,10000000').split(',').map(Number);
const BEST_OF = Number(process.env.BENCH_ROUNDS ?? 5);
let COUNT = SIZES[0];
let ROUNDS = BEST_OF;
const TYPICAL_RULES = ['(?<tag>user:\\d+):.*', 'bull:\\{(?<tag>[^}]+)\\}:.*', '.*\\{(?<tag>.*)\\}.*'].join('\n');

/** Best of ROUNDS runs (after one warm-up), in keys per second. */
function measure(run: () => number): number {
  let checksum = run();
  let best = Infinity;
  for (let r = 0; r < ROUNDS; r++) {
    const t0 = performance.now();
    checksum += run();
    best = Math.min(best, performance.now() - t0);
  }
  if (Number.isNaN(checksum)) throw new Error('unreachable: keeps the work observable');
  return (COUNT / best) * 1000;
}

function ours(file: Uint8Array, policy: Policy): () => number {
  return () => {
    // From the file's bytes to every slot: parse the lines, then locate each key in place.
    const list: KeyList = parseKeyList(file);
    const span = newSpan();
    let sum = 0;
    for (let i = 0; i < list.count; i++) sum += policy.locate(list.bytes, list.offsets[i], list.offsets[i + 1], span);
    return sum;
  };
}

function theirsFromBytes(file: Uint8Array): () => number {
  const buf = Buffer.from(file.buffer, file.byteOffset, file.length);
  return () => {
    // cluster-key-slot needs one Buffer (or string) per key: split the same bytes, then hash.
    let sum = 0;
    let start = 0;
    for (let end = buf.indexOf(10, start); end >= 0; start = end + 1, end = buf.indexOf(10, start)) {
      sum += clusterKeySlot(buf.subarray(start, end));
    }
    return sum;
  };
}

function theirsFromStrings(file: Uint8Array): () => number {
  // How most JavaScript code calls it: the file decoded to text, one string per key.
  return () => {
    let sum = 0;
    for (const key of new TextDecoder().decode(file).split('\n')) if (key) sum += clusterKeySlot(key);
    return sum;
  };
}

function theirsPreSplit(file: Uint8Array): () => number {
  const buf = Buffer.from(file);
  const keys: Buffer[] = [];
  let start = 0;
  for (let end = buf.indexOf(10, start); end >= 0; start = end + 1, end = buf.indexOf(10, start)) keys.push(buf.subarray(start, end));
  return () => {
    let sum = 0;
    for (const k of keys) sum += clusterKeySlot(k);
    return sum;
  };
}

const wasm = await loadWasmSlotter();
const custom = createCustomPolicy(parseRules(TYPICAL_RULES), createBytecodeEngine());
const re2Policy = createCustomPolicy(parseRules(TYPICAL_RULES), createRe2Engine(await loadRe2Node()));
const fmt = (n: number) => `${(n / 1e6).toFixed(2)} M keys/s`;
const line = (name: string, rate: number, note = '') => console.log(`  ${name.padEnd(44)} ${fmt(rate).padStart(16)}  ${note}`);
const goals: string[] = [];

for (const size of SIZES) {
  COUNT = size;
  ROUNDS = size > 2_000_000 ? 1 : BEST_OF;
  const file = generateKeyFile(COUNT);
  console.log(
    `hashslot bench: ${COUNT.toLocaleString('en')} generated keys (${(file.length / 1e6).toFixed(1)} MB), best of ${ROUNDS}, node ${process.version}`,
  );
  const cksBytes = measure(theirsFromBytes(file));
  line('cluster-key-slot 1.1.2, from bytes', cksBytes, '(the baseline of the ratios)');
  // Its other two uses hold one object per key: measured on the smaller sets only.
  if (size <= 2_000_000) {
    line('cluster-key-slot 1.1.2, keys pre-split', measure(theirsPreSplit(file)), '(its best case: splitting not counted)');
    line('cluster-key-slot 1.1.2, from decoded strings', measure(theirsFromStrings(file)), '(usual JavaScript use)');
  }
  const rows: [string, number][] = [
    ['redis (ours, from bytes, wasm)', measure(() => wasm(file, 'redis').count)],
    ['standard (ours, from bytes, wasm)', measure(() => wasm(file, 'standard').count)],
    ['redis (ours, from bytes, pure TS)', measure(() => slotsOfFile(file, 'redis').count)],
    ['standard (ours, from bytes, pure TS)', measure(() => slotsOfFile(file, 'standard').count)],
    ['redis (ours, per-key Policy.locate)', measure(ours(file, redisPolicy))],
    ['standard (ours, per-key Policy.locate)', measure(ours(file, standardPolicy))],
    ['custom, 3 typical rules (ours, from bytes)', measure(ours(file, custom))],
  ];
  for (const [name, rate] of rows) line(name, rate, `${(rate / cksBytes).toFixed(2)}× cluster-key-slot`);
  // re2-wasm per key is ~25x slower: measured on the first 100k keys of the same file, once, so the run stays short.
  const RE2_KEYS = Math.min(COUNT, 100_000);
  const cut = file.indexOf(10, Math.floor((file.length / COUNT) * RE2_KEYS * 1.2));
  const re2List = parseKeyList(cut < 0 ? file : file.subarray(0, cut + 1));
  const re2Span = newSpan();
  const t0 = performance.now();
  for (let i = 0; i < RE2_KEYS; i++) re2Policy.locate(re2List.bytes, re2List.offsets[i], re2List.offsets[i + 1], re2Span);
  const re2Rate = (RE2_KEYS / (performance.now() - t0)) * 1000;
  const customRate = rows[6][1];
  line(
    'custom, 3 typical rules, naive re2-wasm loop',
    re2Rate,
    `(first ${RE2_KEYS.toLocaleString('en')} keys; ours is ${(customRate / re2Rate).toFixed(0)}× faster)`,
  );
  const [redis, standard] = rows.map(([, r]) => r);
  const n = `${(COUNT / 1e6).toFixed(0)} M`;
  goals.push(`  ${n}: redis ≥ 4× cluster-key-slot: ${(redis / cksBytes).toFixed(2)}× ${redis >= 4 * cksBytes ? 'MET' : 'NOT MET'}`);
  goals.push(`  ${n}: standard ≥ 4× cluster-key-slot: ${(standard / cksBytes).toFixed(2)}× ${standard >= 4 * cksBytes ? 'MET' : 'NOT MET'}`);
  goals.push(`  ${n}: custom ≥ 1 M keys/s: ${fmt(customRate)} ${customRate >= 1e6 ? 'MET' : 'NOT MET'}`);
}
// The CLI as a whole process, as people and CI run it: start-up for one key (against Node's own start),
// and 1 M keys through `hashslot slots --json` (against a script around cluster-key-slot). Best of N.
{
  const BIN = fileURLToPath(new URL('../bin/hashslot.js', import.meta.url));
  const SCRIPT = fileURLToPath(new URL('./cluster-key-slot-slots.mjs', import.meta.url));
  const dir = mkdtempSync(join(tmpdir(), 'hashslot-bench-'));
  const keys = join(dir, 'keys.txt');
  writeFileSync(keys, generateKeyFile(1_000_000));
  const devNull = openSync('/dev/null', 'w');
  const time = (args: string[], stdinFile: string | null, runs: number) => {
    let best = Infinity;
    for (let r = 0; r < runs + 1; r++) {
      // A fresh descriptor per run: a shared one would be at its end after the first.
      const stdin = stdinFile ? openSync(stdinFile, 'r') : 'ignore';
      const t0 = performance.now();
      const p = spawnSync(process.execPath, args, { stdio: [stdin, devNull, 'inherit'] });
      const ms = performance.now() - t0;
      if (typeof stdin === 'number') closeSync(stdin);
      if (p.status !== 0) throw new Error(`${args.join(' ')} exited ${p.status}`);
      if (r > 0) best = Math.min(best, ms); // the first run warms the file cache
    }
    return best;
  };
  const node0 = time(['-e', '0'], null, 10);
  const oneKey = time([BIN, 'slots', 'user:{42}:cart'], null, 10);
  const theirs = time([SCRIPT], keys, 3);
  const whole = time([BIN, 'slots', '--policy', 'redis', '--json'], keys, 3);
  closeSync(devNull);
  rmSync(dir, { recursive: true, force: true });
  const ms = (n: number) => `${n.toFixed(0)} ms`.padStart(8);
  console.log('hashslot, whole process (best of 10 / 3):');
  console.log(`  node -e 0                                     ${ms(node0)}  (the baseline of the start-up ratio)`);
  console.log(`  hashslot slots KEY                            ${ms(oneKey)}  ${(oneKey / node0).toFixed(2)}× node -e 0`);
  console.log(`  cluster-key-slot script, 1 M keys (stdin)     ${ms(theirs)}  (bench/cluster-key-slot-slots.mjs: {"slot":N} per line)`);
  console.log(`  hashslot slots --json, 1 M keys (stdin)       ${ms(whole)}  ${(theirs / whole).toFixed(2)}× as fast (full records: line, key, slot, tag)`);
  goals.push(`  one key ≤ 2× node -e 0: ${(oneKey / node0).toFixed(2)}× ${oneKey <= 2 * node0 ? 'MET' : 'NOT MET'}`);
  goals.push(`  1 M keys ≥ 2× the cluster-key-slot script: ${(theirs / whole).toFixed(2)}× ${theirs >= 2 * whole ? 'MET' : 'NOT MET'}`);
}

console.log('goals:');
for (const g of goals) console.log(g);
