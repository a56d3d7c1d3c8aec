/**
 * The largest key this tool accepts, in bytes: 16 MiB.
 *
 * Redis itself takes keys up to 512 MB (`proto-max-bulk-len`), but real keys are a few dozen bytes,
 * and a line of many megabytes in a key list is nearly always a mistake (a binary dump, a file with no
 * line ends). A browser tab holds a key several times over (the editor's UTF-16 text, the input bytes,
 * the parsed copy, the worker's copy), so 16 MiB already costs about 100 MB; 64 MiB would cost 400 MB.
 * 16 MiB is 4× the largest key we promise to handle (4 MB), and every accepted key also fits the custom
 * rule matcher's 64 MiB memo for any rule with up to 32 memo points (typical rules need 2–9), so an
 * accepted key is refused by a custom rule set only when the rules themselves are unusually complex.
 *
 * Every path applies it the same way: the key-list parser marks a longer key invalid with a
 * `key-too-long` diagnostic on its line, the policies return KEY_TOO_LONG for it, and the whole-file
 * scanners give the parser's result for an unreadable line.
 */
export const MAX_KEY_BYTES = 16 * 1024 * 1024;

/** "16 MiB (16,777,216 bytes)": how the limit is named in messages and docs. */
export const MAX_KEY_LABEL = `16 MiB (${groupDigits(MAX_KEY_BYTES)} bytes)`;

/** The message for a key above {@link MAX_KEY_BYTES}; `length` is the key's size in bytes. */
export function keyTooLongMessage(length: number): string {
  return `key is ${groupDigits(length)} bytes long, over this tool's key size limit of ${MAX_KEY_LABEL}: it is skipped`;
}

/**
 * The message for a key within the limit that a custom rule engine cannot evaluate within its memory
 * budget (the matcher's memo grows with rule size × key length).
 */
export function keyTooLongForRulesMessage(length: number): string {
  return (
    `key is ${groupDigits(length)} bytes long, too long for these custom rules: ` +
    "matching them on it would exceed the rule engine's memory budget (shorten the key or simplify the rules)"
  );
}

/**
 * The longest line that can hold a key within MAX_KEY_BYTES: a quoted line (starting with `"`) may write
 * every byte as `\xHH`; any other line is the key itself, plus a CR. A reader refuses a longer line
 * without holding it (a file with no line ends, `/dev/zero`), so memory stays bounded.
 */
export function maxLineBytes(firstByte: number): number {
  return firstByte === 0x22 ? 4 * MAX_KEY_BYTES + 3 : MAX_KEY_BYTES + 1;
}

/** The message for a line longer than {@link maxLineBytes}. */
export function lineTooLongMessage(limit: number): string {
  return `line is over ${groupDigits(limit)} bytes, longer than any key within this tool's key size limit of ${MAX_KEY_LABEL} can be written: it is skipped`;
}

/** 16777216 → "16,777,216" (no locale data needed, so output is the same everywhere). */
export function groupDigits(n: number): string {
  return String(n).replace(/\B(?=(\d{3})+(?!\d))/g, ',');
}
