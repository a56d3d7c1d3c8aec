import { readFile } from 'node:fs/promises';
import { TARGETS, tokenizeCommands, type CommandLines, type Target } from '../core/index.ts';

/** Shared by the commands that take --target and --commands (check, diff, report). */

/** The target the option names, or null when it is none of TARGETS. */
export function parseTarget(name: string): Target | null {
  return (TARGETS as readonly string[]).includes(name) ? (name as Target) : null;
}

export const unknownTarget = (name: string) => `unknown target "${name}": use ${TARGETS.join(', ')}`;

/** Reads and tokenizes a commands file (redis-cli syntax), or the message for exit 2. */
export async function readCommands(file: string): Promise<CommandLines | { error: string }> {
  let text: Buffer;
  try {
    text = await readFile(file);
  } catch (e) {
    return { error: `cannot read commands file ${file}: ${(e as Error).message}` };
  }
  return tokenizeCommands(new Uint8Array(text.buffer, text.byteOffset, text.length));
}
