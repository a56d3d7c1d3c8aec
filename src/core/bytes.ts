const utf8Encoder = new TextEncoder();
// ignoreBOM: a key that starts with EF BB BF keeps those bytes in what is shown.
const utf8Strict = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });
const utf8Lenient = new TextDecoder('utf-8', { ignoreBOM: true });

/** UTF-8 bytes of a JS string (what a user typed in a text field). */
export function utf8(text: string): Uint8Array {
  return utf8Encoder.encode(text);
}

/** Decodes UTF-8 for display, replacing invalid sequences. Never use the result for hashing. */
export function decodeUtf8Lenient(bytes: Uint8Array): string {
  return utf8Lenient.decode(bytes);
}

/** Decodes UTF-8 or returns null when the bytes are not valid UTF-8. */
export function decodeUtf8Strict(bytes: Uint8Array): string | null {
  try {
    return utf8Strict.decode(bytes);
  } catch {
    return null;
  }
}

/**
 * One char per byte (char code = byte value). Regex engines that only see JS strings run over this
 * view to get PCRE's non-UTF byte semantics: one byte = one character.
 */
export function latin1(bytes: Uint8Array, start = 0, end = bytes.length): string {
  let out = '';
  for (let i = start; i < end; i += 8192) {
    // 8192 arguments at most per call: bounded, whatever the key's length.
    // eslint-disable-next-line no-restricted-syntax
    out += String.fromCharCode.apply(null, bytes.subarray(i, Math.min(end, i + 8192)) as unknown as number[]);
  }
  return out;
}

/** Inverse of {@link latin1}: every char code must be < 256. */
export function fromLatin1(text: string): Uint8Array {
  const out = new Uint8Array(text.length);
  for (let i = 0; i < text.length; i++) out[i] = text.charCodeAt(i);
  return out;
}

/** Editor column (1-based, UTF-16 units) of byte offset `offset` within a line's bytes. */
export function columnOf(lineBytes: Uint8Array, offset: number): number {
  let ascii = true;
  for (let i = 0; i < offset && ascii; i++) if (lineBytes[i] >= 0x80) ascii = false;
  return ascii ? offset + 1 : utf8Lenient.decode(lineBytes.subarray(0, offset)).length + 1;
}

/** The bytes of several arrays, one after the other. */
export function concatBytes(parts: readonly Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

/** The value of an ASCII hex digit (either case), or -1: the `\xHH` escapes of redis-cli quoting. */
export function hexValue(c: number): number {
  if (c >= 0x30 && c <= 0x39) return c - 0x30;
  if (c >= 0x61 && c <= 0x66) return c - 0x57;
  if (c >= 0x41 && c <= 0x46) return c - 0x37;
  return -1;
}
