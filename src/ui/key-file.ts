import { TEXT_KEYS_LIMIT } from '../core/index.ts';

/**
 * The editor holds a key list up to the size the core reads whole (TEXT_KEYS_LIMIT); a bigger file or
 * paste goes to the worker as a file, so the editor never freezes on it and the answer is the CLI's.
 */
export const EDITOR_LIMIT = TEXT_KEYS_LIMIT;

/**
 * A key file's bytes as editor text, or null when it must stay a file: too big, or the editor would change
 * its bytes — invalid UTF-8 (decoded, it would become U+FFFD), a BOM (dropped), a CR (line ends normalised).
 */
export function editorText(bytes: Uint8Array): string | null {
  if (bytes.length > EDITOR_LIMIT) return null;
  if (bytes.includes(0x0d) || (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf)) return null;
  try {
    return new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(bytes);
  } catch {
    return null;
  }
}
