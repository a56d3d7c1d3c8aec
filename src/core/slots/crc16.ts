/** Number of hash slots in a Redis cluster. */
export const SLOT_COUNT = 16384;

/**
 * CRC16-XMODEM (poly 0x1021, init 0, no reflection, no final xor), as in the Redis cluster
 * specification, Appendix A, computed eight bytes per step (slicing-by-8): CRC is linear over GF(2),
 * so the register after eight bytes is the XOR of each byte's effect shifted through the bytes after
 * it. CRC_TABLES[k][b] is the CRC of byte b followed by k zero bytes; CRC_TABLES[0] is the classic table.
 */
export const CRC_TABLES: readonly Uint16Array[] = (() => {
  const g0 = new Uint16Array(256);
  for (let i = 0; i < 256; i++) {
    let c = i << 8;
    for (let b = 0; b < 8; b++) c = c & 0x8000 ? (c << 1) ^ 0x1021 : c << 1;
    g0[i] = c & 0xffff;
  }
  const tables = [g0];
  for (let k = 1; k < 8; k++) {
    const prev = tables[k - 1];
    const next = new Uint16Array(256);
    for (let b = 0; b < 256; b++) next[b] = ((prev[b] << 8) & 0xffff) ^ g0[prev[b] >> 8];
    tables.push(next);
  }
  return tables;
})();
const [G0, G1, G2, G3, G4, G5, G6, G7] = CRC_TABLES;

/** CRC16-XMODEM of `bytes[start, end)`. */
export function crc16(bytes: Uint8Array, start = 0, end = bytes.length): number {
  let crc = 0;
  let i = start;
  for (const last = end - 7; i < last; i += 8) {
    crc =
      G7[(crc >> 8) ^ bytes[i]] ^
      G6[(crc & 0xff) ^ bytes[i + 1]] ^
      G5[bytes[i + 2]] ^
      G4[bytes[i + 3]] ^
      G3[bytes[i + 4]] ^
      G2[bytes[i + 5]] ^
      G1[bytes[i + 6]] ^
      G0[bytes[i + 7]];
  }
  for (; i < end; i++) crc = ((crc << 8) & 0xffff) ^ G0[(crc >> 8) ^ bytes[i]];
  return crc;
}

/** Hash slot of the bytes `bytes[start, end)`: CRC16 & 0x3FFF (same as mod 16384). */
export function slotOfBytes(bytes: Uint8Array, start = 0, end = bytes.length): number {
  return crc16(bytes, start, end) & 0x3fff;
}
