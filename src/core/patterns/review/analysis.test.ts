import { describe, expect, it } from 'vitest';
import { CRC_TWINS, patternGroups, twinGroups } from '../../../../test/support/pattern-grammar.ts';
import { utf8 } from '../../bytes.ts';
import { crc16 } from '../../slots/crc16.ts';
import { redisPolicy, standardPolicy, type Policy } from '../../slots/policy.ts';
import { analyzePatterns } from './analysis.ts';

const text = (lines: string[]) => utf8(lines.join('\n'));
const quoted = (p: string) => `"${p.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\0/g, '\\x00').replace(/\n/g, '\\n').replace(/\r/g, '\\r')}"`;

describe('analyzePatterns never throws', () => {
  it('on pairs with CRC-neutral differences, as patterns and as MGET templates: every verdict decided, examples real', () => {
    for (const [x, y] of CRC_TWINS) expect(crc16(utf8(x))).toBe(crc16(utf8(y)));
    const groups = [...twinGroups(7, 150), ...patternGroups(8, 100)];
    for (const policy of [redisPolicy, standardPolicy]) {
      for (const g of groups) {
        const commands = utf8(`MGET ${g.map(quoted).join(' ')}`);
        const report = analyzePatterns({ keys: text(g), commands }, policy);
        const problems = [...report.keyDiagnostics, ...report.commandDiagnostics].filter((d) => d.code === 'pattern-reasoning-failed');
        expect([g, problems]).toEqual([g, []]);
        // Patterns with a malformed line are left out; the rest have their pair and their template.
        if (report.patterns.every((p) => p.ok)) expect(report.pairs.length).toBe(1);
        for (const p of report.pairs) {
          if (p.same) expect(new Set(p.same.slots).size).toBe(1);
          if (p.different) expect(new Set(p.different.slots).size).toBeGreaterThan(1);
        }
      }
    }
  });

  // A policy that disagrees with the reasoning (as a bug in it would): keys ending in "b" get another slot.
  const lying: Policy = {
    name: 'redis',
    locate(bytes, start, end, out) {
      const slot = redisPolicy.locate(bytes, start, end, out);
      return slot >= 0 && bytes[end - 1] === 0x62 ? (slot + 1) % 16384 : slot;
    },
    dispose() {},
  };
  it('when exact reasoning contradicts the policy: the answer is sampled, the reason and a diagnostic say so', () => {
    const report = analyzePatterns({ keys: text(['{<u>}:a', '{<u>}:b']), commands: text(['MGET {<u>}:a {<u>}:b']) }, lying);
    // Sampling compares hashed bytes, so it still says "always": the point is that the review goes on.
    expect(report.pairs[0]).toMatchObject({ verdict: 'always', sampled: true });
    expect(report.pairs[0].reason).toMatch(/exact reasoning failed, so this was decided by trying values: .*were expected in one slot/);
    expect(report.keyDiagnostics.map((d) => [d.code, d.severity, d.line])).toEqual([['pattern-reasoning-failed', 'warning', 2]]);
    expect(report.commandDiagnostics.map((d) => [d.code, d.line])).toEqual([['pattern-reasoning-failed', 1]]);
    expect(report.templates[0].keysVerdict).toMatchObject({ sampled: true });
  });

  // A policy that fails outright on some keys: not even sampling can answer.
  const broken: Policy = {
    name: 'redis',
    locate(bytes, start, end, out) {
      if (new TextDecoder().decode(bytes.subarray(start, end)).startsWith('boom')) throw new Error('boom');
      return redisPolicy.locate(bytes, start, end, out);
    },
    dispose() {},
  };
  it('when nothing can answer: the pattern or template is left out with an error diagnostic, the rest stands', () => {
    // boom:{<s:str>} has warnings, whose examples run through the policy; boom:<u> has none.
    const keys = text(['a:{<u>}', 'boom:{<s:str>}', 'b:{<u>}', 'boom:<u>']);
    const report = analyzePatterns({ keys, commands: text(['MGET boom:<u> a:<u>', 'MGET a:{<u>} b:{<u>}']) }, broken);
    expect(report.patterns.map((p) => p.ok)).toEqual([true, false, true, true]);
    expect(report.pairs.map((p) => [p.a, p.b, p.verdict])).toEqual([[0, 2, 'always']]);
    expect(report.keyDiagnostics.map((d) => [d.code, d.severity, d.line])).toEqual([
      ['pattern-reasoning-failed', 'error', 2],
      ['pattern-reasoning-failed', 'error', 4],
      ['pattern-reasoning-failed', 'error', 4],
    ]);
    expect(report.templates.map((t) => t.verdicts['oss-cluster'].verdict)).toEqual(['error', 'always']);
    expect(report.commandDiagnostics.filter((d) => d.code === 'pattern-reasoning-failed').map((d) => d.line)).toEqual([1]);
  });
});
