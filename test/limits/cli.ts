import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BIN } from '../support/cli-env.ts';

export interface CliRun {
  code: number | null;
  stdout: string;
  stderr: string;
  /** Peak resident memory of the CLI process, in bytes (`process.resourceUsage().maxRSS`). */
  maxRss: number;
}

/**
 * Runs `hashslot` with `input` on its stdin: bytes, or pieces written as the child takes them (so a
 * 200 MB input is never held whole). `onStdout` sees every output chunk; without it stdout is kept.
 * The child reports its own peak RSS on exit through a preloaded module, on stderr.
 */
export async function hashslot(args: string[], input: Uint8Array | Iterable<Uint8Array>, onStdout?: (chunk: Buffer) => void): Promise<CliRun> {
  const dir = mkdtempSync(join(tmpdir(), 'hashslot-limits-'));
  const preload = join(dir, 'max-rss.mjs');
  writeFileSync(preload, "process.on('exit', () => process.stderr.write(`\\nmax-rss:${process.resourceUsage().maxRSS * 1024}\\n`));\n");
  try {
    const child = spawn(process.execPath, ['--import', preload, BIN, ...args], { stdio: ['pipe', 'pipe', 'pipe'] });
    const out: Buffer[] = [];
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => (onStdout ? onStdout(c) : out.push(c)));
    child.stderr.setEncoding('utf8').on('data', (c: string) => (stderr += c));
    const closed = once(child, 'close');
    child.stdin.on('error', () => {}); // the child may exit before reading everything; its code says why
    const pieces = input instanceof Uint8Array ? [input] : input;
    let exited = false;
    void closed.then(() => (exited = true));
    for (const piece of pieces) {
      if (exited) break;
      if (!child.stdin.write(piece)) await Promise.race([once(child.stdin, 'drain'), closed]);
    }
    child.stdin.end();
    const [code] = (await closed) as [number | null];
    const rss = /\nmax-rss:(\d+)\n/.exec(stderr);
    return { code, stdout: Buffer.concat(out).toString('utf8'), stderr: stderr.replace(/\nmax-rss:\d+\n/, ''), maxRss: rss ? Number(rss[1]) : NaN };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
