import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

/**
 * The package as people get it: `npm pack` of the compiled CLI, library and types (scripts/build-cli.js,
 * which `npm pack` and `npm install` run as `prepare`), then the tarball installed into an empty folder
 * without dev dependencies, where `hashslot` runs and the library is imported — by Node and by tsc.
 */

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const TSC = join(ROOT, 'node_modules/typescript/bin/tsc');
let dir: string;
let files: string[];
let bin: string;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'hashslot-package-'));
  // lib/ was compiled by the global setup; packing must not rebuild it under the other CLI tests' feet.
  const pack = ['pack', '--json', '--ignore-scripts', '--pack-destination', dir];
  const out = execFileSync('npm', pack, { cwd: ROOT, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  const [packed] = JSON.parse(out) as { filename: string; files: { path: string }[] }[];
  files = packed.files.map((f) => f.path).sort();
  const app = join(dir, 'app');
  execFileSync('mkdir', ['-p', app]);
  writeFileSync(join(app, 'package.json'), JSON.stringify({ name: 'app', private: true, type: 'module' }));
  // Only what the package itself depends on: no dev dependency of the repo comes along.
  execFileSync('npm', ['install', '--omit=dev', '--no-audit', '--no-fund', '--prefer-offline', join(dir, packed.filename)], { cwd: app, stdio: 'ignore' });
  bin = join(app, 'node_modules/.bin/hashslot');
}, 180_000);
afterAll(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

const run = (args: string[], input = '') => spawnSync(bin, args, { input, encoding: 'utf8' });

describe('npm pack → npm install → hashslot and the library', () => {
  it('the tarball holds only what runs: the compiled CLI and library, types, README, license', () => {
    const outside = files.filter((f) => !/^(bin\/hashslot\.js|lib\/.+\.(js|d\.ts)|README\.md|LICENSE|package\.json)$/.test(f));
    expect(outside).toEqual([]);
    expect(files).toContain('lib/cli.js');
    expect(files).toContain('lib/index.js');
    expect(files).toContain('lib/types/lib.d.ts');
    expect(files.some((f) => f.startsWith('src/') || f.startsWith('test/') || f.startsWith('fixtures/'))).toBe(false);
    const installed = readdirSync(join(dir, 'app/node_modules'));
    expect(installed.filter((d) => !d.startsWith('.')).sort()).toEqual(['re2-wasm', 'slot-playground']);
  });

  it('hashslot: keys on stdin and as arguments, --version, a closed pipe ends quietly', () => {
    expect(run(['slots', '--json'], 'foo\n{}foo\n')).toMatchObject({
      status: 0,
      stdout: '{"line":1,"key":"foo","slot":12182,"tag":"foo"}\n{"line":2,"key":"{}foo","slot":9500,"tag":"{}foo"}\n',
    });
    expect(run(['slots', '--policy', 'standard', 'foo', '{}foo']).stdout).toBe(
      'line  key     slot  tag  rule\n   1  foo    12182  foo     2\n   2  {}foo      0  ""      1\n',
    );
    expect(run(['--version']).stdout).toMatch(/^hashslot \d+\.\d+\.\d+\n$/);
    const pipe = spawnSync('bash', ['-c', `seq 1 200000 | "${bin}" slots --json | head -1; echo "status \${PIPESTATUS[1]}"`], { encoding: 'utf8' });
    expect(pipe.stdout).toBe('{"line":1,"key":"1","slot":9842,"tag":"1"}\nstatus 0\n');
    expect(pipe.stderr).toBe('');
    const bad = run(['slots', '--policy', 'nope'], 'k\n');
    expect(bad.status).toBe(2);
    expect(bad.stderr).toBe('hashslot slots: unknown policy "nope": use redis, standard or custom\n');
  });

  it('the library: slotOf, tagOf, makePolicy, checkCommands, from Node', () => {
    const script = `
      import { slotOf, tagOf, makePolicy, checkCommands, PolicyError } from 'slot-playground';
      const custom = makePolicy({ policy: 'custom', rules: '(?<tag>user:\\\\d+):.*' });
      let error = null;
      try { makePolicy({ policy: 'custom', rules: '(' }); } catch (e) { error = e instanceof PolicyError && e.diagnostics[0].code; }
      console.log(JSON.stringify([
        slotOf('foo'), slotOf('foo{}{bar}'), slotOf('foo{}{bar}', 'standard'), tagOf('a{b}c{d}e', 'standard').display,
        slotOf('user:1:cart', custom), checkCommands('MSET user:1:a 1 user:2:b 2')[0].verdicts['oss-cluster'].verdict, error,
      ]));`;
    writeFileSync(join(dir, 'app/use.mjs'), script);
    const r = spawnSync(process.execPath, ['use.mjs'], { cwd: join(dir, 'app'), encoding: 'utf8' });
    expect(r.stderr).toBe('');
    // Redis: 12182 and 8363 (the whole key: {} is empty); Standard: bar → 5061, and d.
    expect(JSON.parse(r.stdout)).toEqual([12182, 8363, 5061, 'd', 10778, 'crossslot', 'syntax']);
  });

  it('the library: its types check in a strict TypeScript consumer (NodeNext resolution)', () => {
    writeFileSync(
      join(dir, 'app/use.ts'),
      `import { slotOf, makePolicy, type Policy } from 'slot-playground';
      const p: Policy = makePolicy({ policy: 'standard' });
      const slot: number = slotOf(new Uint8Array([0x66]), p);
      // @ts-expect-error the policy name is checked
      makePolicy({ policy: 'nope' });
      export { slot };`,
    );
    const r = spawnSync(
      process.execPath,
      [TSC, '--noEmit', '--strict', '--module', 'nodenext', '--moduleResolution', 'nodenext', '--target', 'es2022', 'use.ts'],
      { cwd: join(dir, 'app'), encoding: 'utf8' },
    );
    expect(r.stdout + r.stderr).toBe('');
    expect(r.status).toBe(0);
  });
});
