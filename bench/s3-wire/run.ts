/**
 * S3 wire speed: the aws-chunked decoder in its three modes, side by side with the work no decoder can
 * avoid — SHA-256 of every byte for the signed modes (each chunk's signature covers its hash), and for the
 * unsigned trailer mode the CRC32 of every byte that the trailer checksum needs. Also the flexible
 * checksums alone (CRC32C and CRC64NVME are ours, in JavaScript; CRC32, SHA-1/256 and MD5 are Node's).
 * The input arrives in 64 KiB pieces, as a socket delivers it. Prints MB/s and the ratio to the limit.
 *
 *   npm run build && node dist/bench/s3-wire/run.js
 */
import { createHash } from 'node:crypto';
import { crc32 } from 'node:zlib';
import { checksumOf, createChecksummer, type ChecksumAlgorithm } from '../../src/s3/checksums.js';
import { deriveSigningKey } from '../../src/sigv4/signing-key.js';
import { AwsChunkedDecoder, type StreamingMode } from '../../src/sigv4/streaming.js';
import { encodeAwsChunked } from '../../src/sigv4/testdata/aws-chunked.js';
import type { SeedSignature } from '../../src/sigv4/verify-request.js';

const TOTAL = 32 * 1024 * 1024;
const CHUNK = 64 * 1024;
const PIECE = 64 * 1024;
const ROUNDS = 5;

const SEED: SeedSignature = {
  signature: 'a'.repeat(64),
  dateTime: '20261204T120000Z',
  credentialScope: '20261204/us-east-1/s3/aws4_request',
  signingKey: deriveSigningKey('wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY', '20261204', 'us-east-1', 's3'),
};

function payload(): Buffer {
  const data = Buffer.alloc(TOTAL);
  for (let i = 0; i < TOTAL; i += 4) data.writeUInt32LE((i * 2654435761) >>> 0, i);
  return data;
}

function pieces(body: Buffer): Buffer[] {
  const out: Buffer[] = [];
  for (let at = 0; at < body.length; at += PIECE) out.push(body.subarray(at, at + PIECE));
  return out;
}

/** Median MB/s over `ROUNDS` runs of `fn`, which processes `bytes` bytes. */
function throughput(bytes: number, fn: () => number): number {
  let sink = fn();
  const rates: number[] = [];
  for (let r = 0; r < ROUNDS; r++) {
    const start = process.hrtime.bigint();
    sink += fn();
    const seconds = Number(process.hrtime.bigint() - start) / 1e9;
    rates.push(bytes / 1e6 / seconds);
  }
  if (sink === 42) console.log('');
  rates.sort((a, b) => a - b);
  return rates[Math.floor(ROUNDS / 2)] ?? 0;
}

function decodeAll(mode: StreamingMode, input: readonly Buffer[], checksum: boolean): number {
  const decoder = new AwsChunkedDecoder({
    mode,
    seed: SEED,
    decodedLength: TOTAL,
    trailerNames: mode === 'STREAMING-AWS4-HMAC-SHA256-PAYLOAD' ? [] : ['x-amz-checksum-crc32'],
  });
  const crc = checksum ? createChecksummer('CRC32') : undefined;
  let bytes = 0;
  for (const piece of input) {
    const pushed = decoder.push(piece);
    if (!pushed.ok) throw new Error(`${mode}: ${pushed.failure.code} ${pushed.failure.reason}`);
    for (const data of pushed.data) {
      bytes += data.length;
      crc?.update(data);
    }
  }
  const ended = decoder.end();
  if (!ended.ok) throw new Error(`${mode}: ${ended.failure.code} ${ended.failure.reason}`);
  return bytes + (crc?.digest().length ?? 0);
}

function row(name: string, ours: number, limit: number, limitName: string): void {
  console.log(
    `  ${name.padEnd(46)}${ours.toFixed(0).padStart(8)}${limit.toFixed(0).padStart(9)}  ${(ours / limit).toFixed(2).padStart(5)}x  (${limitName})`,
  );
}

function main(): void {
  const data = payload();
  const chunks: Buffer[] = [];
  for (let at = 0; at < TOTAL; at += CHUNK) chunks.push(data.subarray(at, at + CHUNK));
  const trailer = [['x-amz-checksum-crc32', checksumOf('CRC32', data)]] as const;
  console.log(
    `S3 wire, node ${process.version}: ${TOTAL / 1024 / 1024} MiB, ${CHUNK / 1024} KiB chunks, ${PIECE / 1024} KiB pieces, median of ${ROUNDS}`,
  );
  console.log('  case                                           ours MB/s  limit  ratio');
  const sha256 = throughput(TOTAL, () => createHash('sha256').update(data).digest().length);
  const zlibCrc = throughput(TOTAL, () => crc32(data));
  for (const mode of [
    'STREAMING-AWS4-HMAC-SHA256-PAYLOAD',
    'STREAMING-AWS4-HMAC-SHA256-PAYLOAD-TRAILER',
  ] as const) {
    const input = pieces(encodeAwsChunked({ mode, seed: SEED, chunks, trailers: trailer }));
    row(
      `decode ${mode.replace('STREAMING-', '')}`,
      throughput(TOTAL, () => decodeAll(mode, input, false)),
      sha256,
      'SHA-256 of the bytes',
    );
  }
  const unsigned = pieces(
    encodeAwsChunked({ mode: 'STREAMING-UNSIGNED-PAYLOAD-TRAILER', chunks, trailers: trailer }),
  );
  row(
    'decode UNSIGNED-PAYLOAD-TRAILER + CRC32',
    throughput(TOTAL, () => decodeAll('STREAMING-UNSIGNED-PAYLOAD-TRAILER', unsigned, true)),
    zlibCrc,
    'zlib CRC32 of the bytes',
  );
  const algorithms: readonly ChecksumAlgorithm[] = ['CRC32', 'CRC32C', 'CRC64NVME', 'SHA1', 'SHA256'];
  for (const algorithm of algorithms) {
    const rate = throughput(TOTAL, () => {
      const checksummer = createChecksummer(algorithm);
      for (const chunk of chunks) checksummer.update(chunk);
      return checksummer.digest().length;
    });
    row(`checksum ${algorithm}`, rate, sha256, 'SHA-256');
  }
  const md5 = throughput(TOTAL, () => createHash('md5').update(data).digest().length);
  row('MD5 (ETag, Content-MD5)', md5, sha256, 'SHA-256');
}

main();
