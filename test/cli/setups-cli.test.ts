import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { BIN, FIXTURES } from '../support/cli-env.ts';

/** Issue 22 on the CLI: setups Redis does not offer are said, with the source; non-portable keys are counted. */
const run = promisify(execFile);
const KEYS = `${FIXTURES}keys-ecommerce.txt`;
const SOURCE = 'https://redis.io/docs/latest/operate/rc/databases/configuration/clustering/#oss-cluster-api';

describe('a setup Redis does not offer', () => {
  it('check and report say so (stderr, and in the report), and still give the verdicts', async () => {
    const args = ['--policy', 'custom', '--rules', `${FIXTURES}rules-typical.txt`, '--target', 'enterprise-oss-api'];
    const check = await run('node', [BIN, 'check', ...args, '--input', `${FIXTURES}commands-ecommerce.txt`]);
    expect(check.stderr).toBe(
      'hashslot: warning: Redis Software / Cloud with OSS Cluster API with the Custom policy is a setup Redis does not offer: ' +
        `the OSS Cluster API needs the Standard hashing policy. The results are for it anyway. (${SOURCE})\n`,
    );
    expect(check.stdout).toMatch(/\d+ CROSSSLOT, \d+ errors on enterprise-oss-api/);
    const report = await run('node', [BIN, 'report', ...args, '--commands', `${FIXTURES}commands-ecommerce.txt`, '--input', KEYS]);
    expect(report.stdout).toContain(`> ⚠️ **A setup Redis does not offer:** `);
    expect(report.stdout).toContain(`Source: <${SOURCE}>`);
    const fine = await run('node', [BIN, 'check', '--policy', 'standard', '--target', 'enterprise-oss-api', '--input', `${FIXTURES}commands-ecommerce.txt`]);
    expect(fine.stderr).toBe('');
  });

  it('open-source clusters hash only the Redis way: said when there are verdicts, not for slots alone', async () => {
    const check = await run('node', [BIN, 'check', '--policy', 'standard', '--input', `${FIXTURES}commands-ecommerce.txt`]);
    expect(check.stderr).toBe(
      'hashslot: warning: Redis / Valkey cluster with the Standard policy is a setup Redis does not offer: open-source clusters hash keys ' +
        'only the Redis way; Standard and Custom exist on Redis Cloud and Redis Software, so choose their deployment for the verdicts. ' +
        'The results are for it anyway. (https://redis.io/docs/latest/operate/oss_and_stack/reference/cluster-spec/#hash-tags)\n',
    );
    const slots = await run('node', [BIN, 'slots', '--policy', 'standard', 'user:{42}']);
    expect(slots.stderr).toBe('');
  });
});

describe('keys that are not portable between Redis and Standard', () => {
  it('dist counts exactly the {} and multi-brace keys of the e-commerce fixture, with portable names', async () => {
    const { stdout } = await run('node', [BIN, 'dist', '--input', KEYS]);
    expect(stdout).toContain('not portable between Redis and Standard (an empty hash tag or several braces): 8 keys, 8 of them in another slot under Standard');
    expect(stdout).toContain('  order:{2024}{eu}:7781: Redis 4356, Standard 6893; portable name order:{2024}eu:7781');
    const json = (await run('node', [BIN, 'dist', '--json', '--input', KEYS])).stdout.trim().split('\n');
    const { portability } = JSON.parse(json.at(-1)!).summary;
    expect(portability).toMatchObject({ count: 8, differ: 8, estimated: false });
    const report = (await run('node', [BIN, 'report', '--input', KEYS])).stdout;
    expect(report).toContain('## Portability between Redis and Standard');
    expect(report).toContain('| 70 | `order:{2024}{eu}:7781` | 4356 | 6893 | `order:{2024}eu:7781` |');
  });
});
