/**
 * Issue 8, 10 M lines: `hashslot slots --json` and `hashslot diff` stream a 10,000,000-line key list
 * from stdin (about 150 MB, generated piece by piece, never held whole) in bounded memory.
 */
import { describe, expect, it } from 'vitest';
import { slotOfBytes, utf8 } from '../../src/core/index.ts';
import { hashslot } from './cli.ts';

const LINES = 10_000_000;
const TAGS = 4096;
const PER_PIECE = 50_000;
/** Unreadable lines sprinkled in, so line numbers are checked deep into the stream. */
const isBad = (i: number) => i % 2_500_000 === 1_234_567;

/** Line i (0-based): `u:{i mod 4096}:<i in base 36>`, or an unbalanced quote. */
function* input(): Generator<Uint8Array> {
  for (let from = 0; from < LINES; from += PER_PIECE) {
    let text = '';
    for (let i = from; i < Math.min(LINES, from + PER_PIECE); i++) text += isBad(i) ? '"bad\n' : `u:{${i % TAGS}}:${i.toString(36)}\n`;
    yield Buffer.from(text, 'latin1');
  }
}

describe('10 M lines through the CLI', () => {
  it('hashslot slots --json: 10,000,000 results in input order, unreadable lines at their line numbers, under 300 MB RSS', { timeout: 120_000 }, async () => {
    const slotOfTag = Array.from({ length: TAGS }, (_, t) => slotOfBytes(utf8(String(t))));
    let lines = 0;
    let mismatches = 0;
    const errors: unknown[] = [];
    let carry = '';
    const onLine = (line: string) => {
      const i = lines++;
      if (line.includes('"key":null')) errors.push(JSON.parse(line));
      // `{"line":L,"key":"K","slot":N,"tag":"T"}`: L must be line i + 1 and N the slot of line i's tag
      // (checked without parsing JSON 10 M times).
      else {
        const at = line.indexOf('"slot":') + 7;
        if (isBad(i) || !line.startsWith(`{"line":${i + 1},`) || line.slice(at, line.indexOf(',', at)) !== String(slotOfTag[i % TAGS])) mismatches++;
      }
    };
    const run = await hashslot(['slots', '--policy', 'redis', '--json'], input(), (chunk) => {
      const text = carry + chunk.toString('latin1');
      let start = 0;
      for (let nl = text.indexOf('\n'); nl >= 0; nl = text.indexOf('\n', start)) {
        onLine(text.slice(start, nl));
        start = nl + 1;
      }
      carry = text.slice(start);
    });
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(carry).toBe('');
    expect(lines).toBe(LINES);
    expect(mismatches).toBe(0);
    const bad = [1_234_567, 3_734_567, 6_234_567, 8_734_567];
    expect(errors).toEqual(
      bad.map((i) => ({ line: i + 1, key: null, error: 'unbalanced-quote', column: 1, message: 'unbalanced quote: no closing " on this line' })),
    );
    expect(run.maxRss).toBeGreaterThan(0);
    expect(run.maxRss, `max RSS ${(run.maxRss / 2 ** 20).toFixed(0)} MB`).toBeLessThan(300 * 1024 * 1024); // 115 MB measured
  });

  it('hashslot diff: 10,000,000 keys compared between Redis and Standard, counted exactly, under 300 MB RSS', { timeout: 120_000 }, async () => {
    let out = '';
    const run = await hashslot(['diff', '--from', 'redis', '--to', 'standard'], input(), (chunk) => (out += chunk.toString('utf8')));
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    // `u:{t}:x`: Redis and Standard both hash t, so nothing moves; the 4 unreadable lines are not keys of the diff.
    expect(out).toContain(`redis → standard, ${LINES - 4} keys, 3 shards`);
    expect(out).toContain('keys that change slot:  0 (0.0%)');
    expect(out).toContain(`from a sample of 100000 of ${LINES} keys`);
    expect(run.maxRss, `max RSS ${(run.maxRss / 2 ** 20).toFixed(0)} MB`).toBeLessThan(300 * 1024 * 1024); // 185 MB measured
  });
});
