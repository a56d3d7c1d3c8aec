import { accessSync, constants, statSync } from 'node:fs';
import { delimiter, join } from 'node:path';

/**
 * Resolves a program on PATH, or throws an Error that tells the reader which
 * Debian package provides it. Checked up front so a missing tool fails with an
 * actionable message instead of a bare spawn ENOENT.
 */
export function findExecutable(name: string, debianPackage: string): string {
  for (const dir of (process.env.PATH ?? '').split(delimiter)) {
    if (!dir) continue;
    const candidate = join(dir, name);
    try {
      if (!statSync(candidate).isFile()) continue;
      accessSync(candidate, constants.X_OK);
      return candidate;
    } catch {
      // Not in this directory; keep looking.
    }
  }
  throw new Error(`${name} not found on PATH; the test oracle needs the real engine. ` + `Install it with: apt-get install ${debianPackage}`);
}
