import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

/**
 * Vitest global setup: the CLI tests run the compiled `hashslot` and the package test packs the compiled
 * library with its types, so both are compiled from the current sources first, once, before any test.
 */
export default function setup(): void {
  const script = fileURLToPath(new URL('../../scripts/build-cli.js', import.meta.url));
  execFileSync(process.execPath, [script], { stdio: 'inherit' });
}
