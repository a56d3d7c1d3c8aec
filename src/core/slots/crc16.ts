/** Number of hash slots in a Redis cluster. */
export const SLOT_COUNT = 16384;

/**
 * CRC16-XMODEM table (poly 0x1021, init 0, no reflection, no final xor), as in the Redis cluster
 * specification, Appendix A. Built once at load: cheaper than shipping 256 literals and equally exact.
 */
const TABLE = new Uint16Array(256);
for (let i = 0; i < 256; i++) {
  let crc = i << 8;
  for (let b = 0; b < 8; b++) crc = crc & 0x8000 ? (crc << 1) ^ 0x1021 : crc << 1;
  TABLE[i] = crc & 0xffff;
}

/** CRC16-XMODEM of `bytes[start, end)`. */
export function crc16(bytes: Uint8Array, start = 0, end = bytes.length): number {
  let crc = 0;
  for (let i = start; i < end; i++) crc = ((crc << 8) & 0xff00) ^ TABLE[((crc >>> 8) ^ bytes[i]) & 0xff];
  return crc;
}

/** Hash slot of the bytes `bytes[start, end)`: CRC16 & 0x3FFF (same as mod 16384). */
export function slotOfBytes(bytes: Uint8Array, start = 0, end = bytes.length): number {
  return crc16(bytes, start, end) & 0x3fff;
}
