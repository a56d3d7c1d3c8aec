import { execFile } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { slotOfBytes, utf8 } from '../../src/core/index.ts';
import { BIN, cliEnv, FIXTURES } from '../support/cli-env.ts';

/**
 * Issue 13 on the CLI: nothing is printed under a label it was not computed with (broken rules, an
 * unreadable topology, a bad count: exit 2 with the reason, no stand-in), keys on unowned slots are a
 * row of their own, and one unreadable line has one shape in every --json output.
 */

const run = promisify(execFile);
const env = cliEnv('one-analysis');

async function hashslot(args: string[], stdin = ''): Promise<{ code: number; stdout: string; stderr: string }> {
  const child = run('node', [BIN, ...args]);
  child.child.stdin!.end(stdin);
  try {
    const { stdout, stderr } = await child;
    return { code: 0, stdout, stderr };
  } catch (e) {
    const err = e as { code: number; stdout: string; stderr: string };
    return { code: err.code, stdout: err.stdout, stderr: err.stderr };
  }
}

const file = (name: string, text: string) => {
  const path = join(env.dir, name);
  writeFileSync(path, text);
  return path;
};

describe('an input the results need that cannot be used: exit 2 with the reason, nothing printed on stdout', () => {
  it('custom rules that do not compile, in every command (never Standard in their place)', async () => {
    const bad = file('bad.txt', '(?<tag>user:\\d+\n');
    for (const args of [
      ['slots', '--policy', 'custom', '--rules', bad],
      ['dist', '--policy', 'custom', '--rules', bad],
      ['check', '--policy', 'custom', '--rules', bad],
      ['report', '--policy', 'custom', '--rules', bad],
      ['patterns', '--policy', 'custom', '--rules', bad],
      ['diff', '--from', 'custom', '--from-rules', bad, '--to', 'redis'],
      ['diff', '--from', 'redis', '--to', 'custom', '--to-rules', bad],
      ['report', '--policy', 'redis', '--compare', 'custom', '--compare-rules', bad],
    ]) {
      const r = await hashslot(args, 'user:1:a\n');
      expect(r.code, args.join(' ')).toBe(2);
      expect(r.stdout, args.join(' ')).toBe('');
      expect(r.stderr, args.join(' ')).toMatch(new RegExp(`^hashslot ${args[0]}: (--to: )?${bad}:1:1: syntax: missing closing parenthesis \\)\\n$`));
    }
  });

  it('empty custom rules say so', async () => {
    const empty = file('empty.txt', '\n\n');
    const r = await hashslot(['slots', '--policy', 'custom', '--rules', empty], 'k\n');
    expect(r).toMatchObject({ code: 2, stdout: '' });
    expect(r.stderr).toBe(
      `hashslot slots: ${empty}: The custom rules are empty: write at least one rule with a group named tag; ` +
        'no result is shown under Custom until they are fixed.\n',
    );
  });

  it('a topology that cannot be read, or a count that is no layout: no even split stands in', async () => {
    const garbage = file('garbage.txt', 'not a topology\n');
    for (const command of ['dist', 'report']) {
      const r = await hashslot([command, '--topology', garbage], 'k\n');
      expect(r).toMatchObject({ code: 2, stdout: '' });
      expect(r.stderr).toMatch(new RegExp(`^hashslot ${command}: ${garbage}:1:1: unrecognized-topology: `));
    }
    const zero = await hashslot(['dist', '--shards', '0'], 'k\n');
    expect(zero).toMatchObject({ code: 2, stdout: '' });
    expect(zero.stderr).toBe('hashslot dist: --shards: bad-shard-count: the number of shards must be a whole number from 1 to 16384, not 0\n');
    expect((await hashslot(['dist', '--masters', 'x'], 'k\n')).stderr).toBe('hashslot dist: --masters must be a number, not "x"\n');
  });
});

describe('keys on slots no shard owns are a row of their own ("no owner")', () => {
  const topology = `${FIXTURES}topology/unassigned-nodes.txt`;
  // Slots 5000-5099 and 16383 have no owner in this fixture.
  const orphan = Array.from({ length: 100_000 }, (_, i) => `orphan:${i}`).find((k) => slotOfBytes(utf8(k)) === 16383)!;
  const keys = `user:1\n${orphan}\n`;

  it('dist prints the row, with its slots; --json gives null as the shard and a row in the summary', async () => {
    const text = await hashslot(['dist', '--topology', topology], keys);
    expect(text.stdout).toMatch(/^ {2}no owner +1 +█+ +no owner \(slots 5000-5099, 16383\)$/m);
    expect(text.stdout).toContain('1 keys fall in slots no shard owns (row "no owner")');
    const json = (await hashslot(['dist', '--topology', topology, '--json'], keys)).stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(json[1]).toEqual({ line: 2, key: orphan, slot: 16383, tag: orphan, shard: null });
    expect(json[2].summary.shards.at(-1)).toEqual({ label: 'no owner', keys: 1, ranges: '5000-5099, 16383', owner: false });
  });

  it('the report has the row in its shard table and says which keys fall there', async () => {
    const { stdout } = await hashslot(['report', '--topology', topology], keys);
    expect(stdout).toContain('| _no owner_ | 1 | 50.0% | 5000-5099, 16383 |');
    expect(stdout).toContain('- ⚠️ 1 key falls in slots no shard owns (row _no owner_).');
  });
});

it('one unreadable line has one shape in every --json output', async () => {
  const input = 'ok\n"broken\n';
  const expected = { line: 2, key: null, error: 'unbalanced-quote', column: 1, message: 'unbalanced quote: no closing " on this line' };
  for (const args of [['slots'], ['dist'], ['diff', '--from', 'redis', '--to', 'standard']]) {
    const lines = (await hashslot([...args, '--json'], input)).stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(lines[1], args[0]).toEqual(expected);
  }
});
