/**
 * The upload bodies real clients send, captured by a 127.0.0.1 server (plain HTTP, and HTTPS with the
 * loopback certificate in testdata/, made for these tests only) and fed through the wire pieces S3 builds
 * on: SigV4 verification, the aws-chunked decoder, and the flexible checksums. AWS SDK for JavaScript v3
 * PutObject with a stream sends STREAMING-UNSIGNED-PAYLOAD-TRAILER with a CRC32 trailer; boto3 1.43 sends
 * the same over HTTPS, and a plain body with an `x-amz-checksum-crc32` header over HTTP. Every AWS client
 * runs with AWS_EC2_METADATA_DISABLED=true.
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import {
  createServer as createHttpServer,
  type IncomingMessage,
  type Server,
  type ServerResponse,
} from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { after, before, describe, test } from 'node:test';
import { promisify } from 'node:util';
import { PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { checkChecksum, readDeclaredChecksum, trailerChecksumValue } from '../../src/s3/checksum-headers.js';
import { checksumOf } from '../../src/s3/checksums.js';
import { AwsChunkedDecoder } from '../../src/sigv4/streaming.js';
import { openChunkedBody } from '../../src/sigv4/open-chunked-body.js';
import type { HttpHeaders } from '../../src/sigv4/types.js';
import { verifyRequest } from '../../src/sigv4/verify-request.js';
import { hasBoto3 } from './boto3.js';

const run = promisify(execFile);
const KEY = 'AKIDEXAMPLE';
const SECRET = 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY';
// dist/test/interop/ at run time; the PEM files stay in the source tree.
const TESTDATA = join(import.meta.dirname, '..', '..', '..', 'test', 'interop', 'testdata');

interface Captured {
  readonly method: string;
  readonly url: string;
  readonly headers: HttpHeaders;
  readonly body: Buffer;
}

function capture(into: Captured[]) {
  return (req: IncomingMessage, res: ServerResponse): void => {
    const parts: Buffer[] = [];
    req.on('data', (part: Buffer) => parts.push(part));
    req.on('end', () => {
      into.push({
        method: req.method ?? '',
        url: req.url ?? '',
        headers: req.headersDistinct,
        body: Buffer.concat(parts),
      });
      res.writeHead(200, { etag: '"0"', 'content-length': '0' });
      res.end();
    });
  };
}

async function listenLoopback(server: Server): Promise<number> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return (server.address() as AddressInfo).port;
}

/** What S3 would do with the captured upload, up to storage: verify, decode, checksum. */
function receive(request: Captured): { data: Buffer; checksum: string | undefined; payloadHash: string } {
  const [path = '', query = ''] = request.url.split('?', 2);
  const verified = verifyRequest(
    { method: request.method, path, query, headers: request.headers, body: request.body },
    { secretFor: (id) => (id === KEY ? SECRET : undefined), now: Date.now() },
  );
  assert.equal(verified.ok, true, verified.ok ? '' : verified.failure.message);
  if (!verified.ok) throw new Error('unreachable');
  let data = request.body;
  let trailers: ReadonlyMap<string, string> = new Map();
  let trailerNames: readonly string[] = [];
  const opened = openChunkedBody(verified, request.headers);
  if (opened !== undefined) {
    assert.equal(opened.ok, true, opened.ok ? '' : opened.failure.message);
    if (!opened.ok) throw new Error('unreachable');
    trailerNames = opened.framing.trailerNames;
    const pushed = opened.decoder.push(request.body);
    assert.equal(pushed.ok, true, pushed.ok ? '' : pushed.failure.message);
    const ended = opened.decoder.end();
    assert.equal(ended.ok, true, ended.ok ? '' : ended.failure.message);
    if (!pushed.ok || !ended.ok) throw new Error('unreachable');
    data = Buffer.concat(pushed.data);
    trailers = ended.trailers;
  }
  const declared = readDeclaredChecksum(request.headers, trailerNames);
  if (declared === undefined) return { data, checksum: undefined, payloadHash: verified.payloadHash };
  const value = trailerChecksumValue(declared, trailers);
  checkChecksum(declared.algorithm, value, checksumOf(declared.algorithm, data));
  return {
    data,
    checksum: `${declared.algorithm}:${declared.in}:${value}`,
    payloadHash: verified.payloadHash,
  };
}

const BOTO3_SCRIPT = `
import io, os, boto3
from botocore.config import Config
c = boto3.client('s3', endpoint_url=os.environ['ENDPOINT'], region_name='us-east-1',
    aws_access_key_id=os.environ['AKID'], aws_secret_access_key=os.environ['SECRET'],
    verify=os.environ['CA'], config=Config(s3={'addressing_style': 'path'}))
data = bytes(range(256)) * 80
c.put_object(Bucket='demo-bucket', Key='boto/file-like', Body=io.BytesIO(data))
c.put_object(Bucket='demo-bucket', Key='boto/bytes', Body=b'hello')
`;

describe('upload bodies of real clients', () => {
  const captured: Captured[] = [];
  let http: Server;
  let https: Server;
  let httpPort = 0;
  let httpsPort = 0;
  before(async () => {
    process.env.AWS_EC2_METADATA_DISABLED = 'true';
    http = createHttpServer(capture(captured));
    https = createHttpsServer(
      {
        key: readFileSync(join(TESTDATA, 'loopback-tls.key')),
        cert: readFileSync(join(TESTDATA, 'loopback-tls.crt')),
      },
      capture(captured),
    );
    httpPort = await listenLoopback(http);
    httpsPort = await listenLoopback(https);
  });
  after(async () => {
    await new Promise((resolve) => http.close(resolve));
    await new Promise((resolve) => https.close(resolve));
  });

  function jsClient(extra: { requestStreamBufferSize?: number } = {}): S3Client {
    return new S3Client({
      endpoint: `http://127.0.0.1:${httpPort}`,
      region: 'us-east-1',
      forcePathStyle: true,
      credentials: { accessKeyId: KEY, secretAccessKey: SECRET },
      ...extra,
    });
  }

  test('JS SDK PutObject with a stream: aws-chunked, unsigned, CRC32 in the trailer, decoded and checked', async () => {
    captured.length = 0;
    const pieces = [Buffer.alloc(10_000, 'a'), Buffer.alloc(9_000, 'b'), Buffer.from('end')];
    const client = jsClient();
    await client.send(
      new PutObjectCommand({
        Bucket: 'demo-bucket',
        Key: 'js/stream',
        Body: Readable.from(pieces),
        ContentLength: 19_003,
      }),
    );
    client.destroy();
    const [request] = captured;
    assert.ok(request);
    assert.equal(request.headers['x-amz-content-sha256']?.[0], 'STREAMING-UNSIGNED-PAYLOAD-TRAILER');
    assert.equal(request.headers['content-encoding']?.[0], 'aws-chunked');
    const received = receive(request);
    assert.deepEqual(received.data, Buffer.concat(pieces));
    assert.equal(received.checksum, `CRC32:trailer:${checksumOf('CRC32', Buffer.concat(pieces))}`);
  });

  test('JS SDK PutObject with a stream of small reads is refused InvalidChunkSizeError, as S3 refuses it', async () => {
    captured.length = 0;
    const client = jsClient();
    await client.send(
      new PutObjectCommand({
        Bucket: 'demo-bucket',
        Key: 'js/small',
        Body: Readable.from([Buffer.from('hello '), Buffer.from('world')]),
        ContentLength: 11,
      }),
    );
    client.destroy();
    const [request] = captured;
    assert.ok(request);
    assert.equal(
      request.body.toString('latin1'),
      '6\r\nhello \r\n5\r\nworld\r\n0\r\nx-amz-checksum-crc32:DUoRhQ==\r\n\r\n',
    );
    const decoder = new AwsChunkedDecoder({
      mode: 'STREAMING-UNSIGNED-PAYLOAD-TRAILER',
      decodedLength: 11,
      trailerNames: ['x-amz-checksum-crc32'],
    });
    const pushed = decoder.push(request.body);
    assert.equal(pushed.ok ? '' : pushed.failure.code, 'InvalidChunkSizeError');
  });

  test('JS SDK with requestStreamBufferSize buffers small reads into chunks S3 accepts', async () => {
    captured.length = 0;
    const client = jsClient({ requestStreamBufferSize: 65_536 });
    const pieces = Array.from({ length: 40 }, (_, i) => Buffer.alloc(1000, i));
    await client.send(
      new PutObjectCommand({
        Bucket: 'demo-bucket',
        Key: 'js/buffered',
        Body: Readable.from(pieces),
        ContentLength: 40_000,
      }),
    );
    client.destroy();
    const [request] = captured;
    assert.ok(request);
    assert.deepEqual(receive(request).data, Buffer.concat(pieces));
  });

  test('JS SDK PutObject with a string: plain body, CRC32 header, signed payload hash', async () => {
    captured.length = 0;
    const client = jsClient();
    await client.send(new PutObjectCommand({ Bucket: 'demo-bucket', Key: 'js/string', Body: 'hello' }));
    client.destroy();
    const [request] = captured;
    assert.ok(request);
    const received = receive(request);
    assert.equal(received.data.toString(), 'hello');
    assert.equal(received.checksum, 'CRC32:header:NhCmhg==');
    assert.equal(received.payloadHash, '2cf24dba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa7425e73043362938b9824');
  });

  test('boto3 put_object over HTTPS: aws-chunked with a CRC32 trailer; over HTTP: a CRC32 header', async (t) => {
    if (!(await hasBoto3())) {
      t.skip('python3 boto3 is not installed');
      return;
    }
    const env = {
      PATH: process.env.PATH ?? '/usr/bin:/bin',
      HOME: TESTDATA,
      AWS_EC2_METADATA_DISABLED: 'true',
      AWS_CONFIG_FILE: '/dev/null',
      AWS_SHARED_CREDENTIALS_FILE: '/dev/null',
      AKID: KEY,
      SECRET,
      CA: join(TESTDATA, 'loopback-tls.crt'),
    };
    const data = Buffer.concat(
      Array.from({ length: 80 }, () => Buffer.from(Array.from({ length: 256 }, (_, i) => i))),
    );
    for (const [scheme, port] of [
      ['https', httpsPort],
      ['http', httpPort],
    ] as const) {
      captured.length = 0;
      await run('python3', ['-c', BOTO3_SCRIPT], {
        env: { ...env, ENDPOINT: `${scheme}://127.0.0.1:${port}` },
      });
      const [fileLike, bytes] = captured;
      assert.ok(fileLike && bytes, scheme);
      const first = receive(fileLike);
      assert.deepEqual(first.data, data);
      const second = receive(bytes);
      assert.equal(second.data.toString(), 'hello');
      if (scheme === 'https') {
        assert.equal(first.payloadHash, 'STREAMING-UNSIGNED-PAYLOAD-TRAILER');
        assert.equal(first.checksum, `CRC32:trailer:${checksumOf('CRC32', data)}`);
        assert.equal(second.checksum, 'CRC32:trailer:NhCmhg==');
      } else {
        assert.equal(first.checksum, `CRC32:header:${checksumOf('CRC32', data)}`);
        assert.equal(second.checksum, 'CRC32:header:NhCmhg==');
      }
    }
  });
});
