/**
 * `npm run bench`: keys/s of each policy on the same generated keys, next to the cluster-key-slot
 * package, with ratios. Run on the machine you care about; numbers are printed, never asserted.
 */
import clusterKeySlot from 'cluster-key-slot';
import {
  createBytecodeEngine, createCustomPolicy, newSpan, parseKeyList, parseRules, redisPolicy, standardPolicy,
  type KeyList, type Policy,
} from '../src/core/index.ts';
import { slotsOfFile } from '../src/core/slots/scan.ts';
import { createRe2Engine } from '../src/engines/re2/engine.ts';
import { loadRe2Node } from '../src/engines/re2/load-node.ts';
import { loadWasmSlotter } from '../src/engines/scan/wasm-slotter.ts';
import { generateKeyFile } from './keys.ts';

const COUNT = Number(process.env.BENCH_KEYS ?? 1_000_000);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 5);
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

const file = generateKeyFile(COUNT);
const wasm = await loadWasmSlotter();
const custom = createCustomPolicy(parseRules(TYPICAL_RULES), createBytecodeEngine());
const fmt = (n: number) => `${(n / 1e6).toFixed(2)} M keys/s`;

console.log(`hashslot bench: ${COUNT.toLocaleString('en')} generated keys (${(file.length / 1e6).toFixed(1)} MB), best of ${ROUNDS}, node ${process.version}`);
const cksBytes = measure(theirsFromBytes(file));
const cksPre = measure(theirsPreSplit(file));
const cksStrings = measure(theirsFromStrings(file));
const rows: [string, number][] = [
  ['redis (ours, from bytes, wasm)', measure(() => wasm(file, 'redis').count)],
  ['standard (ours, from bytes, wasm)', measure(() => wasm(file, 'standard').count)],
  ['redis (ours, from bytes, pure TS)', measure(() => slotsOfFile(file, 'redis').count)],
  ['standard (ours, from bytes, pure TS)', measure(() => slotsOfFile(file, 'standard').count)],
  ['redis (ours, per-key Policy.locate)', measure(ours(file, redisPolicy))],
  ['standard (ours, per-key Policy.locate)', measure(ours(file, standardPolicy))],
  ['custom, 3 typical rules (ours, from bytes)', measure(ours(file, custom))],
];
console.log(`  ${'cluster-key-slot 1.1.2, from bytes'.padEnd(44)} ${fmt(cksBytes).padStart(16)}`);
console.log(`  ${'cluster-key-slot 1.1.2, keys pre-split'.padEnd(44)} ${fmt(cksPre).padStart(16)}  (its best case: splitting not counted)`);
console.log(`  ${'cluster-key-slot 1.1.2, from decoded strings'.padEnd(44)} ${fmt(cksStrings).padStart(16)}  (usual JavaScript use)`);
for (const [name, rate] of rows) {
  console.log(`  ${name.padEnd(44)} ${fmt(rate).padStart(16)}  ${(rate / cksBytes).toFixed(2)}× from bytes, ${(rate / cksPre).toFixed(2)}× pre-split, ${(rate / cksStrings).toFixed(2)}× strings`);
}
// re2-wasm per key is ~30x slower: measured on the first 100k keys only, once, so the run stays short.
const RE2_KEYS = Math.min(COUNT, 100_000);
const re2Policy = createCustomPolicy(parseRules(TYPICAL_RULES), createRe2Engine(await loadRe2Node()));
const re2List = parseKeyList(file);
const re2Span = newSpan();
const t0 = performance.now();
for (let i = 0; i < RE2_KEYS; i++) re2Policy.locate(re2List.bytes, re2List.offsets[i], re2List.offsets[i + 1], re2Span);
const re2Rate = (RE2_KEYS / (performance.now() - t0)) * 1000;
console.log(`  ${'custom, 3 typical rules, naive re2-wasm loop'.padEnd(44)} ${fmt(re2Rate).padStart(16)}  (first ${RE2_KEYS.toLocaleString('en')} keys; ours is ${(rows[6][1] / re2Rate).toFixed(0)}× faster)`);
const [redis, standard, , , , , customRate] = rows.map(([, r]) => r);
console.log('goals:');
console.log(`  redis ≥ 4× cluster-key-slot from bytes: ${(redis / cksBytes).toFixed(2)}× ${redis >= 4 * cksBytes ? 'MET' : 'NOT MET'}`);
console.log(`  standard ≥ 4× cluster-key-slot from bytes: ${(standard / cksBytes).toFixed(2)}× ${standard >= 4 * cksBytes ? 'MET' : 'NOT MET'}`);
console.log(`  custom ≥ 1 M keys/s: ${fmt(customRate)} ${customRate >= 1e6 ? 'MET' : 'NOT MET'}`);
