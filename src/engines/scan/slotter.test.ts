import { describe, expect, it } from 'vitest';
import { parseKeyList, quote, redisPolicy, slotTable, standardPolicy, utf8 } from '../../core/index.ts';
import { slotsOfFile } from '../../core/slots/scan.ts';
import { concat, keyCorpus, rng } from '../../../test/support/generate.ts';
import { loadWasmSlotter } from './wasm-slotter.ts';

/** What every fast path must equal: the key-list reader and Policy.locate, key by key. */
function reference(file: Uint8Array, policy: 'redis' | 'standard'): number[] {
  return Array.from(slotTable(parseKeyList(file), policy === 'redis' ? redisPolicy : standardPolicy).slots);
}

/** A key file mixing raw lines, quoted lines, CRLF, blank lines and malformed quotes. */
function messyFile(seed: number, count: number): Uint8Array {
  const rand = rng(seed);
  const parts: Uint8Array[] = [];
  for (const key of keyCorpus(seed, count)) {
    const r = rand();
    const raw = !key.includes(0x0a) && !key.includes(0x0d) && key[0] !== 0x22;
    if (raw && r < 0.6) parts.push(key);
    else if (raw && r < 0.7) parts.push(concat([key, utf8('\r')]));
    else if (r < 0.97) parts.push(utf8(quote(key)));
    else parts.push(utf8('"unterminated'));
    parts.push(utf8(rand() < 0.05 ? '\n\r\n\n' : '\n'));
  }
  return concat(parts);
}

describe('slots straight from a key file equal the key-by-key path', () => {
  const files: [string, Uint8Array][] = [
    ['messy', messyFile(5, 20_000)],
    ['no trailing LF', utf8('a{b}c\n{}x\nlast{one}')],
    ['blank and CR-only lines', utf8('\n\r\n\n\r\r\nk\r\n')],
    ['a line longer than a WebAssembly chunk', concat([utf8('x{'), new Uint8Array(3 << 20).fill(0x61), utf8('}\nshort\n')])],
    ['empty', new Uint8Array()],
  ];
  for (const policy of ['redis', 'standard'] as const) {
    for (const [name, file] of files) {
      it(`${policy}, ${name}: pure TypeScript`, () => {
        expect(Array.from(slotsOfFile(file, policy).slots)).toEqual(reference(file, policy));
      });
      it(`${policy}, ${name}: WebAssembly`, async () => {
        const wasm = await loadWasmSlotter();
        expect(Array.from(wasm(file, policy).slots)).toEqual(reference(file, policy));
      });
    }
  }
  it('WebAssembly over several chunks, keys of every length', async () => {
    const rand = rng(77);
    const keys = Array.from({ length: 150_000 }, () => {
      const k = new Uint8Array(Math.floor(rand() * 40));
      for (let i = 0; i < k.length; i++) k[i] = [0x61, 0x7b, 0x7d, 0x3a, 0x31, 0xff][Math.floor(rand() * 6)];
      return k;
    });
    const file = concat(keys.flatMap((k) => [k, utf8('\n')]));
    const wasm = await loadWasmSlotter();
    for (const policy of ['redis', 'standard'] as const) expect(Array.from(wasm(file, policy).slots)).toEqual(reference(file, policy));
  });
});

describe('WebAssembly slotter on random files (line lengths around every path of the kernel)', () => {
  // Lengths cross the 8-byte CRC classes, the 64-bit bitmap slice and the 4 KiB window.
  const MAX_LENGTHS = [8, 20, 60, 70, 130, 300, 5000];
  for (let seed = 1; seed <= Number(process.env.SLOTTER_SEEDS ?? 14); seed++) {
    it(`seed ${seed}`, async () => {
      const rand = rng(seed);
      const maxLen = MAX_LENGTHS[seed % MAX_LENGTHS.length];
      const alphabet = seed % 3 === 0 ? [0x61, 0x7b, 0x7d] : [0x61, 0x62, 0x7b, 0x7d, 0x3a, 0xff, 0x00, 0x61, 0x61, 0x61, 0x61, 0x61, 0x61];
      const bytes: number[] = [];
      for (let i = 0, n = 3000 + Math.floor(rand() * 3000); i < n; i++) {
        const len = Math.floor(rand() ** 2 * maxLen);
        const r = rand();
        if (r < 0.01) bytes.push(0x22); // a quoted line, often malformed
        for (let j = 0; j < len; j++) bytes.push(alphabet[Math.floor(rand() * alphabet.length)]);
        if (r > 0.995) bytes.push(0x0d);
        bytes.push(0x0a);
      }
      if (seed % 2) bytes.pop(); // no final LF
      const file = Uint8Array.from(bytes);
      const wasm = await loadWasmSlotter();
      for (const policy of ['redis', 'standard'] as const) {
        expect(Array.from(wasm(file, policy).slots)).toEqual(reference(file, policy));
      }
    });
  }
});
