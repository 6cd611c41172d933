/**
 * CRC-64/NVME, the checksum S3 names `CRC64NVME` (S3 User Guide, "Checking object integrity"; NVM Express
 * Command Set specification): reflected polynomial 0x9A6C9329AC4BC9B5, initial value and final XOR all
 * ones; the check value for "123456789" is 0xAE8B14860A799888. JavaScript has no 64-bit integers outside
 * BigInt, which is far too slow per byte, so the state is two 32-bit halves and the tables (slice-by-8,
 * built once with BigInt) are split the same way.
 */

const POLYNOMIAL = 0x9a6c9329ac4bc9b5n;
const MASK = 0xffffffffn;

/** Entry `k * 256 + n` of eight tables, high and low halves apart. */
const { high: HIGH, low: LOW } = buildTables();

function buildTables(): { high: Uint32Array; low: Uint32Array } {
  const tables: bigint[] = new Array<bigint>(8 * 256);
  for (let n = 0; n < 256; n++) {
    let c = BigInt(n);
    for (let bit = 0; bit < 8; bit++) c = c & 1n ? (c >> 1n) ^ POLYNOMIAL : c >> 1n;
    tables[n] = c;
  }
  for (let k = 1; k < 8; k++) {
    for (let n = 0; n < 256; n++) {
      // INVARIANT: both indexes are below 8 * 256 and were filled by an earlier iteration.
      const previous = tables[(k - 1) * 256 + n]!;
      tables[k * 256 + n] = (previous >> 8n) ^ tables[Number(previous & 0xffn)]!;
    }
  }
  const high = new Uint32Array(8 * 256);
  const low = new Uint32Array(8 * 256);
  tables.forEach((value, index) => {
    high[index] = Number(value >> 32n);
    low[index] = Number(value & MASK);
  });
  return { high, low };
}

/** A CRC-64/NVME state: the two halves of the (inverted) running value. */
export interface Crc64State {
  readonly high: number;
  readonly low: number;
}

/** The state before any byte. */
export const CRC64_START: Crc64State = { high: 0, low: 0 };

/** Continues a CRC-64/NVME over `data`; `crc64nvmeBytes` turns the result into the 8 big-endian bytes. */
export function crc64nvme(data: Uint8Array, previous: Crc64State = CRC64_START): Crc64State {
  const th = HIGH;
  const tl = LOW;
  let hi = ~previous.high >>> 0;
  let lo = ~previous.low >>> 0;
  let i = 0;
  const whole = data.length - (data.length % 8);
  // INVARIANT: every table index is a byte plus k * 256 with k < 8, and every data index is below
  // data.length, so no read is out of range.
  while (i < whole) {
    const a = (lo ^ (data[i]! | (data[i + 1]! << 8) | (data[i + 2]! << 16) | (data[i + 3]! << 24))) >>> 0;
    const b = (hi ^ (data[i + 4]! | (data[i + 5]! << 8) | (data[i + 6]! << 16) | (data[i + 7]! << 24))) >>> 0;
    const i7 = 1792 + (a & 0xff);
    const i6 = 1536 + ((a >>> 8) & 0xff);
    const i5 = 1280 + ((a >>> 16) & 0xff);
    const i4 = 1024 + (a >>> 24);
    const i3 = 768 + (b & 0xff);
    const i2 = 512 + ((b >>> 8) & 0xff);
    const i1 = 256 + ((b >>> 16) & 0xff);
    const i0 = b >>> 24;
    hi = th[i7]! ^ th[i6]! ^ th[i5]! ^ th[i4]! ^ th[i3]! ^ th[i2]! ^ th[i1]! ^ th[i0]!;
    lo = tl[i7]! ^ tl[i6]! ^ tl[i5]! ^ tl[i4]! ^ tl[i3]! ^ tl[i2]! ^ tl[i1]! ^ tl[i0]!;
    i += 8;
  }
  while (i < data.length) {
    const index = (lo ^ data[i]!) & 0xff;
    lo = (tl[index]! ^ ((lo >>> 8) | (hi << 24))) >>> 0;
    hi = (th[index]! ^ (hi >>> 8)) >>> 0;
    i += 1;
  }
  return { high: ~hi >>> 0, low: ~lo >>> 0 };
}

/** The 8 bytes S3 base64-encodes, most significant first. */
export function crc64nvmeBytes(state: Crc64State): Buffer {
  const out = Buffer.alloc(8);
  out.writeUInt32BE(state.high >>> 0, 0);
  out.writeUInt32BE(state.low >>> 0, 4);
  return out;
}
