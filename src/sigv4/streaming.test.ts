import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { StreamingFailure } from './streaming-failures.js';
import { AwsChunkedDecoder, type AwsChunkedOptions, type StreamingMode } from './streaming.js';
import {
  AWS_EXAMPLE,
  JS_SDK_STREAM_BODY,
  awsExampleBody,
  awsExampleSeed,
  encodeAwsChunked,
} from './testdata/aws-chunked.js';
import { deriveSigningKey } from './signing-key.js';
import type { SeedSignature } from './verify-request.js';
import { verifyRequest } from './verify-request.js';

type Outcome =
  | { readonly ok: true; readonly data: Buffer; readonly trailers: ReadonlyMap<string, string> }
  | { readonly ok: false; readonly failure: StreamingFailure };

/** Pushes `body` cut at `cuts` (sorted offsets), then ends. */
function decode(options: AwsChunkedOptions, body: Buffer, cuts: readonly number[] = []): Outcome {
  const decoder = new AwsChunkedDecoder(options);
  const out: Buffer[] = [];
  let from = 0;
  for (const cut of [...cuts, body.length]) {
    const pushed = decoder.push(body.subarray(from, cut));
    if (!pushed.ok) return pushed;
    out.push(...pushed.data);
    from = cut;
  }
  const ended = decoder.end();
  if (!ended.ok) return ended;
  assert.equal(ended.decodedLength, Buffer.concat(out).length);
  return { ok: true, data: Buffer.concat(out), trailers: ended.trailers };
}

function failureOf(outcome: Outcome): StreamingFailure {
  assert.equal(outcome.ok, false, 'expected the body to be refused');
  // INVARIANT: asserted just above.
  return (outcome as { failure: StreamingFailure }).failure;
}

const EXAMPLE: AwsChunkedOptions = {
  mode: 'STREAMING-AWS4-HMAC-SHA256-PAYLOAD',
  seed: awsExampleSeed(),
  decodedLength: 66560,
  trailerNames: [],
};

const SEED: SeedSignature = {
  signature: 'f'.repeat(64),
  dateTime: '20261204T052108Z',
  credentialScope: '20261204/us-east-1/s3/aws4_request',
  signingKey: deriveSigningKey('wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY', '20261204', 'us-east-1', 's3'),
};
const DATA = [Buffer.alloc(8192, 'x'), Buffer.alloc(9000, 'y'), Buffer.from('tail')];
const DECODED = Buffer.concat(DATA);
const CRC_TRAILER: readonly (readonly [string, string])[] = [['x-amz-checksum-crc32', 'AAAAAA==']];

function options(mode: StreamingMode, overrides: Partial<AwsChunkedOptions> = {}): AwsChunkedOptions {
  return {
    mode,
    seed: SEED,
    decodedLength: DECODED.length,
    trailerNames: mode === 'STREAMING-AWS4-HMAC-SHA256-PAYLOAD' ? [] : ['x-amz-checksum-crc32'],
    ...overrides,
  };
}

function body(mode: StreamingMode): Buffer {
  return encodeAwsChunked({ mode, seed: SEED, chunks: DATA, trailers: CRC_TRAILER });
}

test("AWS's signed example: verifyRequest yields the published seed, and every published chunk signature verifies", () => {
  const verified = verifyRequest(
    { method: 'PUT', path: AWS_EXAMPLE.path, query: '', headers: AWS_EXAMPLE.headers },
    { secretFor: () => AWS_EXAMPLE.secret, now: AWS_EXAMPLE.now },
  );
  assert.equal(verified.ok, true);
  if (!verified.ok) return;
  assert.equal(verified.seed.signature, AWS_EXAMPLE.seedSignature);
  const example = awsExampleBody();
  assert.equal(example.length, 66824);
  const outcome = decode({ ...EXAMPLE, seed: verified.seed }, example);
  assert.equal(outcome.ok, true);
  if (!outcome.ok) return;
  assert.deepEqual(outcome.data, Buffer.alloc(66560, 'a'));
  assert.equal(outcome.trailers.size, 0);
});

test('the encoder reproduces the signatures AWS published for its example', () => {
  const encoded = encodeAwsChunked({
    mode: 'STREAMING-AWS4-HMAC-SHA256-PAYLOAD',
    seed: awsExampleSeed(),
    chunks: [Buffer.alloc(65536, 'a'), Buffer.alloc(1024, 'a')],
  });
  assert.deepEqual(encoded, awsExampleBody());
});

test('the trailer is returned with lower-case names and verified in the signed trailer mode', () => {
  const outcome = decode(
    options('STREAMING-AWS4-HMAC-SHA256-PAYLOAD-TRAILER'),
    body('STREAMING-AWS4-HMAC-SHA256-PAYLOAD-TRAILER'),
  );
  assert.equal(outcome.ok, true);
  if (!outcome.ok) return;
  assert.deepEqual([...outcome.trailers], [['x-amz-checksum-crc32', 'AAAAAA==']]);
});

test('a changed byte of chunk data fails SignatureDoesNotMatch with the string to sign', () => {
  for (const offset of [200, 65000, 66000]) {
    const tampered = Buffer.from(awsExampleBody());
    tampered[offset] = 0x62;
    const failure = failureOf(decode(EXAMPLE, tampered));
    assert.equal(failure.code, 'SignatureDoesNotMatch');
    assert.equal(failure.reason, 'chunk-signature');
    assert.equal(
      failure.message,
      'The request signature we calculated does not match the signature you provided. Check your key and signing method.',
    );
    assert.match(
      failure.fields['StringToSign'] ?? '',
      /^AWS4-HMAC-SHA256-PAYLOAD\n20130524T000000Z\n20130524\/us-east-1\/s3\/aws4_request\n/,
    );
  }
});

test('no byte of a signed chunk is released before its signature is verified', () => {
  const decoder = new AwsChunkedDecoder(EXAMPLE);
  const example = awsExampleBody();
  const first = decoder.push(example.subarray(0, 60000));
  assert.equal(first.ok, true);
  if (first.ok) assert.equal(first.data.length, 0);
  const tampered = Buffer.from(example.subarray(60000));
  tampered[10] = 0x62;
  assert.equal(decoder.push(tampered).ok, false);
});

test('each signature of the chain is checked: chunk, next chunk, final chunk, seed', () => {
  const example = awsExampleBody().toString('latin1');
  for (const signature of AWS_EXAMPLE.chunkSignatures) {
    const tampered = Buffer.from(
      example.replace(
        signature,
        signature.replace(/^./, (c) => (c === '0' ? '1' : '0')),
      ),
      'latin1',
    );
    const failure = failureOf(decode(EXAMPLE, tampered));
    assert.equal(failure.code, 'SignatureDoesNotMatch');
  }
  const otherSeed = { ...awsExampleSeed(), signature: '0'.repeat(64) };
  assert.equal(
    failureOf(decode({ ...EXAMPLE, seed: otherSeed }, awsExampleBody())).code,
    'SignatureDoesNotMatch',
  );
  const upper = Buffer.from(
    example.replace(AWS_EXAMPLE.chunkSignatures[0], AWS_EXAMPLE.chunkSignatures[0].toUpperCase()),
    'latin1',
  );
  assert.equal(failureOf(decode(EXAMPLE, upper)).code, 'SignatureDoesNotMatch');
});

test('a tampered trailer value, or its signature, fails SignatureDoesNotMatch', () => {
  const mode = 'STREAMING-AWS4-HMAC-SHA256-PAYLOAD-TRAILER';
  const text = body(mode).toString('latin1');
  const value = Buffer.from(text.replace('AAAAAA==', 'AAAAAB=='), 'latin1');
  let failure = failureOf(decode(options(mode), value));
  assert.equal(failure.code, 'SignatureDoesNotMatch');
  assert.equal(failure.reason, 'trailer-signature');
  assert.match(failure.fields['StringToSign'] ?? '', /^AWS4-HMAC-SHA256-TRAILER\n/);
  const signature = Buffer.from(
    text.replace(
      /(x-amz-trailer-signature:)./,
      (_, p: string) => `${p}${text.includes('signature:0') ? '1' : '0'}`,
    ),
    'latin1',
  );
  failure = failureOf(decode(options(mode), signature));
  assert.equal(failure.code, 'SignatureDoesNotMatch');
});

test('a signed trailer without x-amz-trailer-signature fails MalformedTrailerError', () => {
  const mode = 'STREAMING-AWS4-HMAC-SHA256-PAYLOAD-TRAILER';
  const text = body(mode)
    .toString('latin1')
    .replace(/x-amz-trailer-signature:[0-9a-f]{64}\r\n/, '');
  const failure = failureOf(decode(options(mode), Buffer.from(text, 'latin1')));
  assert.equal(failure.code, 'MalformedTrailerError');
  assert.equal(failure.reason, 'missing-trailer-signature');
  assert.equal(
    failure.message,
    'The request contained trailing data that was not well-formed or did not conform to our published schema.',
  );
});

test('a trailer other than the one x-amz-trailer named fails MalformedTrailerError', () => {
  for (const mode of [
    'STREAMING-AWS4-HMAC-SHA256-PAYLOAD-TRAILER',
    'STREAMING-UNSIGNED-PAYLOAD-TRAILER',
  ] as const) {
    const failure = failureOf(decode(options(mode, { trailerNames: ['x-amz-checksum-sha256'] }), body(mode)));
    assert.equal(failure.code, 'MalformedTrailerError');
    assert.equal(failure.reason, 'trailer-names');
  }
  const noTrailer = encodeAwsChunked({ mode: 'STREAMING-UNSIGNED-PAYLOAD-TRAILER', chunks: DATA });
  assert.equal(
    failureOf(decode(options('STREAMING-UNSIGNED-PAYLOAD-TRAILER'), noTrailer)).reason,
    'trailer-names',
  );
  const twice = encodeAwsChunked({
    mode: 'STREAMING-UNSIGNED-PAYLOAD-TRAILER',
    chunks: DATA,
    trailers: [...CRC_TRAILER, ...CRC_TRAILER],
  });
  assert.equal(
    failureOf(decode(options('STREAMING-UNSIGNED-PAYLOAD-TRAILER'), twice)).reason,
    'trailer-names',
  );
});

test('malformed trailer lines fail MalformedTrailerError', () => {
  const mode = 'STREAMING-UNSIGNED-PAYLOAD-TRAILER';
  const text = body(mode).toString('latin1');
  for (const bad of [
    'x-amz-checksum-crc32 AAAAAA==\r\n',
    ':AAAAAA==\r\n',
    'x-amz-checksum-crc32:AAAA\u00ff==\r\n',
    'x-amz-checksum-crc32:AAAAAA==\n',
  ]) {
    const input = Buffer.from(text.replace('x-amz-checksum-crc32:AAAAAA==\r\n', bad), 'latin1');
    assert.equal(failureOf(decode(options(mode), input)).code, 'MalformedTrailerError', JSON.stringify(bad));
  }
  const signatureInUnsigned = Buffer.from(
    text.replace('\r\n\r\n', `\r\nx-amz-trailer-signature:${'a'.repeat(64)}\r\n\r\n`),
    'latin1',
  );
  assert.equal(failureOf(decode(options(mode), signatureInUnsigned)).code, 'MalformedTrailerError');
  const huge = Buffer.from(text.replace('AAAAAA==', 'A'.repeat(5000)), 'latin1');
  const failure = failureOf(decode(options(mode), huge));
  assert.equal(failure.code, 'MalformedTrailerError');
  assert.equal(failure.reason, 'trailer-too-large');
});

test('a size line changed, too long, or not hex fails', () => {
  const example = awsExampleBody().toString('latin1');
  const bigger = Buffer.from(example.replace('400;', '401;'), 'latin1');
  assert.equal(failureOf(decode(EXAMPLE, bigger)).code, 'IncompleteBody');
  const smaller = Buffer.from(example.replace('400;', '3ff;'), 'latin1');
  assert.equal(failureOf(decode(EXAMPLE, smaller)).reason, 'chunk-terminator');
  for (const line of [
    'zz;chunk-signature=',
    ' 400;chunk-signature=',
    '400 ;chunk-signature=',
    '400;chunk-signature ',
    `${'0'.repeat(300)}400;chunk-signature=`,
  ]) {
    const failure = failureOf(
      decode(EXAMPLE, Buffer.from(example.replace('400;chunk-signature=', line), 'latin1')),
    );
    assert.equal(failure.code, 'IncompleteBody', line);
    assert.equal(failure.reason, 'size-line');
    assert.equal(
      failure.message,
      'You did not provide the number of bytes specified by the Content-Length HTTP header.',
    );
  }
  const bareLf = Buffer.from(example.replace(/(400;chunk-signature=[0-9a-f]{64})\r\n/, '$1\n'), 'latin1');
  assert.equal(failureOf(decode(EXAMPLE, bareLf)).reason, 'size-line');
});

test('a signed chunk-size line without its signature, or an unsigned one with one, fails', () => {
  const example = awsExampleBody().toString('latin1');
  const unsignedLine = Buffer.from(example.replace(/400;chunk-signature=[0-9a-f]{64}/, '400'), 'latin1');
  assert.equal(failureOf(decode(EXAMPLE, unsignedLine)).reason, 'size-line');
  const signedLine = Buffer.from(
    JS_SDK_STREAM_BODY.replace('5\r\n', `5;chunk-signature=${'a'.repeat(64)}\r\n`),
    'latin1',
  );
  const sdk: AwsChunkedOptions = {
    mode: 'STREAMING-UNSIGNED-PAYLOAD-TRAILER',
    decodedLength: 11,
    trailerNames: ['x-amz-checksum-crc32'],
    limits: { minChunkSize: 1 },
  };
  assert.equal(failureOf(decode(sdk, signedLine)).reason, 'size-line');
});

test('a decoded size other than x-amz-decoded-content-length fails IncompleteBody', () => {
  for (const declared of [66559, 66561, 0]) {
    const failure = failureOf(decode({ ...EXAMPLE, decodedLength: declared }, awsExampleBody()));
    assert.equal(failure.code, 'IncompleteBody');
    assert.equal(failure.reason, 'decoded-length');
  }
});

test('a body that stops early fails IncompleteBody, wherever it stops', () => {
  const example = awsExampleBody();
  for (const length of [0, 5, 100, 65600, 66700, example.length - 2, example.length - 1]) {
    const failure = failureOf(decode(EXAMPLE, example.subarray(0, length)));
    assert.equal(failure.code, 'IncompleteBody', String(length));
    assert.equal(failure.reason, 'truncated');
  }
});

test('bytes after the end of the body, or a chunk not ended by CRLF, fail IncompleteBody', () => {
  const extra = Buffer.concat([awsExampleBody(), Buffer.from('x')]);
  assert.equal(failureOf(decode(EXAMPLE, extra)).reason, 'trailing-data');
  const text = awsExampleBody().toString('latin1');
  const noCrlf = Buffer.from(text.replace('a\r\n400;', 'aX\n400;'), 'latin1');
  assert.equal(failureOf(decode(EXAMPLE, noCrlf)).reason, 'chunk-terminator');
  const unsigned = body('STREAMING-UNSIGNED-PAYLOAD-TRAILER');
  const afterTrailer = Buffer.concat([unsigned, Buffer.from('\r\n')]);
  assert.equal(
    failureOf(decode(options('STREAMING-UNSIGNED-PAYLOAD-TRAILER'), afterTrailer)).reason,
    'trailing-data',
  );
});

test("the JS SDK's captured stream body: small chunks fail InvalidChunkSizeError as S3 answers", () => {
  const sdk: AwsChunkedOptions = {
    mode: 'STREAMING-UNSIGNED-PAYLOAD-TRAILER',
    decodedLength: 11,
    trailerNames: ['x-amz-checksum-crc32'],
  };
  const failure = failureOf(decode(sdk, Buffer.from(JS_SDK_STREAM_BODY)));
  assert.deepEqual(failure, {
    code: 'InvalidChunkSizeError',
    reason: 'chunk-too-small',
    message: 'Only the last chunk is allowed to have a size less than 8192 bytes',
    fields: { Chunk: '2', BadChunkSize: '6' },
  });
  const outcome = decode({ ...sdk, limits: { minChunkSize: 1 } }, Buffer.from(JS_SDK_STREAM_BODY));
  assert.equal(outcome.ok, true);
  if (!outcome.ok) return;
  assert.equal(outcome.data.toString(), 'hello world');
  assert.deepEqual([...outcome.trailers], [['x-amz-checksum-crc32', 'DUoRhQ==']]);
});

test('a small chunk is allowed last, and a single small chunk alone', () => {
  const mode = 'STREAMING-UNSIGNED-PAYLOAD-TRAILER';
  const one = encodeAwsChunked({ mode, chunks: [Buffer.from('abc')], trailers: CRC_TRAILER });
  assert.equal(decode(options(mode, { decodedLength: 3 }), one).ok, true);
  const empty = encodeAwsChunked({ mode, chunks: [], trailers: CRC_TRAILER });
  assert.equal(decode(options(mode, { decodedLength: 0 }), empty).ok, true);
  const smallFirst = encodeAwsChunked({
    mode,
    chunks: [Buffer.from('abc'), Buffer.alloc(9000)],
    trailers: CRC_TRAILER,
  });
  const failure = failureOf(decode(options(mode, { decodedLength: 9003 }), smallFirst));
  assert.deepEqual(failure.fields, { Chunk: '2', BadChunkSize: '3' });
});

test('a signed chunk larger than the verification buffer is refused before it is read', () => {
  const failure = failureOf(
    decode({ ...EXAMPLE, limits: { maxSignedChunkSize: 65535 } }, awsExampleBody().subarray(0, 90)),
  );
  assert.equal(failure.code, 'InvalidChunkSizeError');
  assert.equal(failure.reason, 'chunk-too-large');
});

test('after a failure every call answers the same failure', () => {
  const decoder = new AwsChunkedDecoder(EXAMPLE);
  const first = decoder.push(Buffer.from('zz\r\n'));
  assert.equal(first.ok, false);
  assert.deepEqual(decoder.push(awsExampleBody()), first);
  assert.deepEqual(decoder.end(), first);
});

test('a signed mode without a seed is a programming error', () => {
  assert.throws(() => new AwsChunkedDecoder({ ...EXAMPLE, seed: undefined }), TypeError);
  assert.throws(() => new AwsChunkedDecoder({ ...EXAMPLE, decodedLength: -1 }), TypeError);
});

test('a trailer whose closing empty line is missing is accepted (⚠ as other S3 servers do)', () => {
  const mode = 'STREAMING-UNSIGNED-PAYLOAD-TRAILER';
  const full = body(mode);
  const outcome = decode(options(mode), full.subarray(0, full.length - 2));
  assert.equal(outcome.ok, true);
});

test('pushed one byte at a time, every mode decodes to the same bytes', () => {
  const modes = [
    'STREAMING-AWS4-HMAC-SHA256-PAYLOAD',
    'STREAMING-AWS4-HMAC-SHA256-PAYLOAD-TRAILER',
    'STREAMING-UNSIGNED-PAYLOAD-TRAILER',
  ] as const;
  for (const mode of modes) {
    const input = body(mode);
    const cuts = Array.from({ length: input.length - 1 }, (_, i) => i + 1);
    const outcome = decode(options(mode), input, cuts);
    assert.equal(outcome.ok, true, mode);
    if (outcome.ok) assert.deepEqual(outcome.data, DECODED);
  }
});
