/**
 * CRC-32C (Castagnoli), the checksum S3 names `CRC32C` (S3 User Guide, "Checking object integrity"):
 * reflected polynomial 0x82F63B78, initial value and final XOR 0xFFFFFFFF (RFC 3720 §12.1, iSCSI; the
 * catalogue's check value for "123456789" is 0xE3069283). Node has no CRC-32C, so it is computed here,
 * slice-by-8: eight 256-entry tables, so that the loop takes eight bytes per step.
 */

const POLYNOMIAL = 0x82f63b78;

/** Eight tables of 256 entries, one after another: entry `k * 256 + n`. */
const TABLES = buildTables();

function buildTables(): Uint32Array {
  const tables = new Uint32Array(8 * 256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let bit = 0; bit < 8; bit++) c = c & 1 ? (c >>> 1) ^ POLYNOMIAL : c >>> 1;
    tables[n] = c >>> 0;
  }
  for (let k = 1; k < 8; k++) {
    for (let n = 0; n < 256; n++) {
      // INVARIANT: every index is below 8 * 256 (n < 256, k < 8, and `& 0xff`).
      const previous = tables[(k - 1) * 256 + n]!;
      tables[k * 256 + n] = ((previous >>> 8) ^ tables[previous & 0xff]!) >>> 0;
    }
  }
  return tables;
}

/**
 * Continues a CRC-32C over `data`: `crc32c(b, crc32c(a))` equals `crc32c(a + b)`. Start from 0 (the
 * default). Returns the unsigned 32-bit value.
 */
export function crc32c(data: Uint8Array, previous = 0): number {
  const t = TABLES;
  let crc = ~previous >>> 0;
  let i = 0;
  const whole = data.length - (data.length % 8);
  // INVARIANT: every table index is a byte (`& 0xff` or `>>> 24` of a 32-bit value) plus k * 256 with
  // k < 8, and every data index is below data.length (i < whole <= length), so no read is out of range.
  while (i < whole) {
    const low = (crc ^ (data[i]! | (data[i + 1]! << 8) | (data[i + 2]! << 16) | (data[i + 3]! << 24))) >>> 0;
    crc =
      t[1792 + (low & 0xff)]! ^
      t[1536 + ((low >>> 8) & 0xff)]! ^
      t[1280 + ((low >>> 16) & 0xff)]! ^
      t[1024 + (low >>> 24)]! ^
      t[768 + data[i + 4]!]! ^
      t[512 + data[i + 5]!]! ^
      t[256 + data[i + 6]!]! ^
      t[data[i + 7]!]!;
    i += 8;
  }
  while (i < data.length) {
    crc = t[(crc ^ data[i]!) & 0xff]! ^ (crc >>> 8);
    i += 1;
  }
  return ~crc >>> 0;
}
