import { latin1 } from '../bytes.ts';
import { slotOfBytes } from '../slots/crc16.ts';
import { firstArgIsKey } from './table.ts';

/**
 * The slot every key matching a SORT BY/GET pattern would have, or -1 when they could be anywhere
 * (Redis ≥ 7.2, cluster.c patternHashSlot): a wildcard or escape before a complete `{tag}` means any
 * slot; a non-empty tag is hashed; otherwise the whole pattern. Older servers refuse every pattern.
 */
export function patternHashSlot(pattern: Uint8Array): number {
  let open = -1;
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i];
    if (c === 0x2a || c === 0x3f || c === 0x5b || c === 0x5c) return -1; // * ? [ \
    if (open === -1 && c === 0x7b) open = i;
    else if (open >= 0 && c === 0x7d && i === open + 1)
      open = -2; // {} : the whole key is hashed
    else if (open >= 0 && c === 0x7d) return slotOfBytes(pattern, open + 1, i);
  }
  return slotOfBytes(pattern);
}

/** A literal key a Lua script passes to redis.call / redis.pcall instead of taking it from KEYS. */
export interface UndeclaredKey {
  command: string;
  key: string;
}

const CALL = /\b(?:redis|server)\s*\.\s*p?call\s*\(\s*(['"])([A-Za-z_.|]+)\1\s*,\s*(['"])((?:(?!\3)[^\\]|\\.)*)\3/g;

/**
 * Literal key names in `redis.call('CMD', 'key', …)` calls of a script body. Only the first key
 * position is checked, and only string literals: a key built at run time cannot be seen here.
 */
export function undeclaredScriptKeys(script: Uint8Array | undefined): UndeclaredKey[] {
  if (!script) return [];
  const found: UndeclaredKey[] = [];
  for (const m of latin1(script).matchAll(CALL)) {
    const command = m[2].toUpperCase();
    if (firstArgIsKey(command)) found.push({ command, key: m[4] });
  }
  return found;
}
