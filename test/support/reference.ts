/** CRC16-XMODEM bit by bit (cluster spec, Appendix A: poly 0x1021, init 0): independent of the core's table-driven CRC. */
export function refCrc16(bytes: Uint8Array): number {
  let crc = 0;
  for (const b of bytes) {
    crc ^= b << 8;
    for (let k = 0; k < 8; k++) crc = crc & 0x8000 ? ((crc << 1) ^ 0x1021) & 0xffff : (crc << 1) & 0xffff;
  }
  return crc;
}
