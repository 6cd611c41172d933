import { createHash, type Hash } from 'node:crypto';
import { chunkStringToSign, signLink, trailerStringToSign } from './chunk-signature.js';
import { signaturesMatch } from './signature.js';
import {
  CHUNK_TOO_SMALL_MESSAGE,
  INCOMPLETE_BODY_MESSAGE,
  MALFORMED_TRAILER_MESSAGE,
  S3_SIGNATURE_MESSAGE,
  chunkTooLargeMessage,
  streamingFailed,
  type StreamingFailed,
  type StreamingFailureReason,
} from './streaming-failures.js';
import type { SeedSignature } from './verify-request.js';

/**
 * The aws-chunked decoder: the body of a request whose `x-amz-content-sha256` is one of the streaming
 * markers, framed as S3 API Reference, "Signature Calculations for the Authorization Header: Transferring
 * Payload in Multiple Chunks" and "... Including Trailing Headers" describe:
 *
 * ```
 * hex-size [;chunk-signature=SIG] CRLF data CRLF     (repeated)
 * 0 [;chunk-signature=SIG] CRLF                      (the final, empty chunk)
 * CRLF                                               (signed, no trailer)
 * name:value CRLF ... [x-amz-trailer-signature:SIG CRLF] CRLF   (trailer modes)
 * ```
 *
 * Incremental: `push` takes the body as it arrives, in pieces of any size, and returns the decoded bytes
 * it can release; `end` says whether the body was complete and returns the trailer. The decoded bytes are
 * slices of the pushed buffers (no copy): the caller must not reuse a buffer after pushing it (Node streams
 * never do). A signed chunk is held back until its signature is verified, so at most one chunk
 * (`maxSignedChunkSize`) is buffered; unsigned chunks pass straight through. Total: bad input returns a
 * failure, never throws; after a failure every call returns the same failure.
 */
export type StreamingMode =
  | 'STREAMING-AWS4-HMAC-SHA256-PAYLOAD'
  | 'STREAMING-AWS4-HMAC-SHA256-PAYLOAD-TRAILER'
  | 'STREAMING-UNSIGNED-PAYLOAD-TRAILER';

export interface ChunkedLimits {
  /**
   * Every chunk but the last must hold at least this many bytes: 8192, as S3 requires of all three modes
   * (InvalidChunkSizeError, see streaming-failures.ts).
   */
  readonly minChunkSize: number;
  /** The largest signed chunk buffered for verification (ours; S3 sets no bound it documents). */
  readonly maxSignedChunkSize: number;
  /** The longest chunk-size line, CRLF included (ours: a signed line is at most 16 + 17 + 64 + 2 bytes). */
  readonly maxLineBytes: number;
  /** The largest trailer section, lines and CRLFs included (ours). */
  readonly maxTrailerBytes: number;
}

export const DEFAULT_CHUNKED_LIMITS: ChunkedLimits = {
  minChunkSize: 8192,
  maxSignedChunkSize: 16 * 1024 * 1024,
  maxLineBytes: 256,
  maxTrailerBytes: 4096,
};

export interface AwsChunkedOptions {
  readonly mode: StreamingMode;
  /** The seed of the verified request; required by the two signed modes. */
  readonly seed?: SeedSignature;
  /** `x-amz-decoded-content-length`: the size the body must decode to. */
  readonly decodedLength: number;
  /** `x-amz-trailer`, lower-case: exactly the trailer headers the body must end with (none without a trailer). */
  readonly trailerNames: readonly string[];
  readonly limits?: Partial<ChunkedLimits>;
}

export interface Pushed {
  readonly ok: true;
  /** Decoded bytes released by this push, in order (slices of pushed buffers). */
  readonly data: readonly Buffer[];
}

export interface DecodedEnd {
  readonly ok: true;
  /** The trailer headers, lower-case names, in the order sent (no `x-amz-trailer-signature`). */
  readonly trailers: ReadonlyMap<string, string>;
  readonly decodedLength: number;
}

export type PushResult = Pushed | StreamingFailed;
export type EndResult = DecodedEnd | StreamingFailed;

type State = 'size' | 'data' | 'data-end' | 'final-end' | 'trailer' | 'done';

const CR = 0x0d;
const LF = 0x0a;
const SIGNED_SIZE_LINE = /^([0-9a-fA-F]{1,16});chunk-signature=([0-9a-fA-F]{64})$/;
const UNSIGNED_SIZE_LINE = /^([0-9a-fA-F]{1,16})$/;
const TRAILER_NAME = /^[A-Za-z0-9-]{1,128}$/;
const TRAILER_VALUE = /^[\x20-\x7e]*$/;
const SIGNATURE = /^[0-9a-fA-F]{64}$/;
const TRAILER_SIGNATURE_HEADER = 'x-amz-trailer-signature';

export class AwsChunkedDecoder {
  readonly #signed: boolean;
  readonly #trailered: boolean;
  readonly #seed: SeedSignature | undefined;
  readonly #declared: number;
  readonly #trailerNames: readonly string[];
  readonly #limits: ChunkedLimits;

  #state: State = 'size';
  #failure: StreamingFailed | undefined;
  #line: Buffer[] = [];
  #lineBytes = 0;
  #remaining = 0;
  #terminatorSeen = 0;
  #chunkNumber = 0;
  #lastSize = -1;
  #decoded = 0;
  #expected = '';
  #previous = '';
  #hash: Hash | undefined;
  #held: Buffer[] = [];
  #trailers = new Map<string, string>();
  #trailerCanonical = '';
  #trailerBytes = 0;
  #trailerSignature: string | undefined;

  constructor(options: AwsChunkedOptions) {
    this.#signed = options.mode !== 'STREAMING-UNSIGNED-PAYLOAD-TRAILER';
    this.#trailered = options.mode !== 'STREAMING-AWS4-HMAC-SHA256-PAYLOAD';
    if (this.#signed && options.seed === undefined) {
      throw new TypeError(`${options.mode} needs the seed signature of the verified request`);
    }
    if (!Number.isSafeInteger(options.decodedLength) || options.decodedLength < 0) {
      throw new TypeError(`decodedLength must be a non-negative integer, got ${options.decodedLength}`);
    }
    this.#seed = options.seed;
    this.#previous = options.seed?.signature ?? '';
    this.#declared = options.decodedLength;
    this.#trailerNames = options.trailerNames;
    this.#limits = { ...DEFAULT_CHUNKED_LIMITS, ...options.limits };
  }

  /** Decoded bytes so far (released or held for verification). */
  get decodedSoFar(): number {
    return this.#decoded;
  }

  push(input: Buffer): PushResult {
    if (this.#failure !== undefined) return this.#failure;
    const out: Buffer[] = [];
    let pos = 0;
    while (pos < input.length) {
      const step = this.#step(input, pos, out);
      if (typeof step !== 'number') return this.#fail(step);
      pos = step;
    }
    return { ok: true, data: out };
  }

  end(): EndResult {
    if (this.#failure !== undefined) return this.#failure;
    if (this.#state === 'trailer' && this.#lineBytes === 0 && this.#trailers.size > 0) {
      // ⚠ A trailer whose closing empty line never came: accepted as complete, as other S3 servers do
      // for clients that end the body right after the last trailer line (unconfirmed which ones).
      const done = this.#finishTrailer();
      if (done !== undefined) return this.#fail(done);
    }
    if (this.#state !== 'done') {
      return this.#fail(incomplete('truncated'));
    }
    return { ok: true, trailers: this.#trailers, decodedLength: this.#decoded };
  }

  /** One step of the state machine from `pos`; returns the next position, or a failure. */
  #step(input: Buffer, pos: number, out: Buffer[]): number | StreamingFailed {
    switch (this.#state) {
      case 'size':
      case 'trailer':
        return this.#readLine(input, pos);
      case 'data': {
        const end = Math.min(input.length, pos + this.#remaining);
        const piece = input.subarray(pos, end);
        this.#remaining -= piece.length;
        if (this.#hash !== undefined) {
          this.#hash.update(piece);
          this.#held.push(piece);
        } else {
          out.push(piece);
        }
        if (this.#remaining === 0) {
          this.#state = 'data-end';
          this.#terminatorSeen = 0;
        }
        return end;
      }
      case 'data-end':
      case 'final-end': {
        let at = pos;
        while (at < input.length && this.#terminatorSeen < 2) {
          const want = this.#terminatorSeen === 0 ? CR : LF;
          if (input[at] !== want) {
            return incomplete(this.#state === 'data-end' ? 'chunk-terminator' : 'trailing-data');
          }
          this.#terminatorSeen += 1;
          at += 1;
        }
        if (this.#terminatorSeen === 2) {
          if (this.#state === 'final-end') {
            this.#state = 'done';
          } else {
            const released = this.#releaseChunk(out);
            if (released !== undefined) return released;
            this.#state = 'size';
          }
        }
        return at;
      }
      case 'done':
        return incomplete('trailing-data');
    }
  }

  /** Accumulates one CRLF-terminated line (bounded), then hands it to its state's handler. */
  #readLine(input: Buffer, pos: number): number | StreamingFailed {
    const isTrailer = this.#state === 'trailer';
    const limit = isTrailer ? this.#limits.maxTrailerBytes - this.#trailerBytes : this.#limits.maxLineBytes;
    const newline = input.indexOf(LF, pos);
    const end = newline === -1 ? input.length : newline + 1;
    if (this.#lineBytes + (end - pos) > limit) {
      return isTrailer ? malformedTrailer('trailer-too-large') : incomplete('size-line');
    }
    this.#line.push(input.subarray(pos, end));
    this.#lineBytes += end - pos;
    if (newline === -1) return end;

    const bytes = this.#line.length === 1 ? (this.#line[0] ?? Buffer.alloc(0)) : Buffer.concat(this.#line);
    const lineBytes = this.#lineBytes;
    this.#line = [];
    this.#lineBytes = 0;
    if (bytes.length < 2 || bytes[bytes.length - 2] !== CR) {
      return isTrailer ? malformedTrailer('trailer-line') : incomplete('size-line');
    }
    const line = bytes.toString('latin1', 0, bytes.length - 2);
    if (isTrailer) {
      this.#trailerBytes += lineBytes;
      return this.#trailerLine(line) ?? end;
    }
    return this.#sizeLine(line) ?? end;
  }

  #sizeLine(line: string): StreamingFailed | undefined {
    const match = (this.#signed ? SIGNED_SIZE_LINE : UNSIGNED_SIZE_LINE).exec(line);
    const hex = match?.[1];
    if (match === null || hex === undefined) return incomplete('size-line');
    const size = Number.parseInt(hex, 16);
    this.#chunkNumber += 1;
    if (size > 0 && this.#lastSize >= 0 && this.#lastSize < this.#limits.minChunkSize) {
      return streamingFailed('InvalidChunkSizeError', 'chunk-too-small', CHUNK_TOO_SMALL_MESSAGE, {
        // S3 names the chunk it was reading when it learnt the previous one was not the last
        // (versity/versitygw#1683: chunks of 3, 2 and 0 bytes give Chunk 2, BadChunkSize 3).
        Chunk: String(this.#chunkNumber),
        BadChunkSize: String(this.#lastSize),
      });
    }
    if (!Number.isSafeInteger(size) || size > this.#declared - this.#decoded) {
      return incomplete('decoded-length');
    }
    if (this.#signed && size > this.#limits.maxSignedChunkSize) {
      return streamingFailed(
        'InvalidChunkSizeError',
        'chunk-too-large',
        chunkTooLargeMessage(size, this.#limits.maxSignedChunkSize),
        { Chunk: String(this.#chunkNumber), BadChunkSize: String(size) },
      );
    }
    this.#expected = match[2] ?? '';
    this.#decoded += size;
    if (size > 0) {
      this.#lastSize = size;
      this.#remaining = size;
      this.#hash = this.#signed ? createHash('sha256') : undefined;
      this.#state = 'data';
      return undefined;
    }
    // The final chunk: the body must have decoded to exactly the declared length.
    if (this.#decoded !== this.#declared) return incomplete('decoded-length');
    if (this.#signed) {
      const verified = this.#verifyChunk(createHash('sha256'));
      if (verified !== undefined) return verified;
    }
    if (this.#trailered) {
      this.#state = 'trailer';
    } else {
      this.#state = 'final-end';
      this.#terminatorSeen = 0;
    }
    return undefined;
  }

  /** Verifies a held chunk and releases its bytes. */
  #releaseChunk(out: Buffer[]): StreamingFailed | undefined {
    const hash = this.#hash;
    if (hash === undefined) return undefined;
    const verified = this.#verifyChunk(hash);
    if (verified !== undefined) return verified;
    for (const piece of this.#held) out.push(piece);
    this.#held = [];
    this.#hash = undefined;
    return undefined;
  }

  #verifyChunk(hash: Hash): StreamingFailed | undefined {
    // INVARIANT: the constructor refuses a signed mode without a seed, and only signed modes verify.
    const seed = this.#seed as SeedSignature;
    const stringToSign = chunkStringToSign(seed, this.#previous, hash.digest('hex'));
    const computed = signLink(seed, stringToSign);
    if (!signaturesMatch(this.#expected, computed)) {
      return signatureMismatch('chunk-signature', this.#expected, stringToSign);
    }
    this.#previous = this.#expected;
    return undefined;
  }

  #trailerLine(line: string): StreamingFailed | undefined {
    if (line === '') return this.#finishTrailer();
    if (this.#trailerSignature !== undefined) return malformedTrailer('trailer-line');
    const colon = line.indexOf(':');
    const sent = colon > 0 ? line.slice(0, colon) : '';
    const name = sent.toLowerCase();
    const value = line.slice(colon + 1).replace(/^[ \t]+|[ \t]+$/g, '');
    if (!TRAILER_NAME.test(name) || !TRAILER_VALUE.test(value)) return malformedTrailer('trailer-line');
    if (name === TRAILER_SIGNATURE_HEADER) {
      if (!this.#signed || !SIGNATURE.test(value)) return malformedTrailer('trailer-line');
      this.#trailerSignature = value;
      return undefined;
    }
    if (this.#trailers.has(name)) return malformedTrailer('trailer-names');
    this.#trailers.set(name, value);
    // The name as sent: the signature covers the bytes the client signed (clients send lower case).
    this.#trailerCanonical += `${sent}:${value}\n`;
    return undefined;
  }

  #finishTrailer(): StreamingFailed | undefined {
    const names = [...this.#trailers.keys()];
    const declared = this.#trailerNames;
    if (names.length !== declared.length || !names.every((name) => declared.includes(name))) {
      return malformedTrailer('trailer-names');
    }
    if (this.#signed) {
      const provided = this.#trailerSignature;
      if (provided === undefined) return malformedTrailer('missing-trailer-signature');
      // INVARIANT: signed modes have a seed (constructor).
      const seed = this.#seed as SeedSignature;
      const digest = createHash('sha256').update(this.#trailerCanonical, 'latin1').digest('hex');
      const stringToSign = trailerStringToSign(seed, this.#previous, digest);
      if (!signaturesMatch(provided, signLink(seed, stringToSign))) {
        return signatureMismatch('trailer-signature', provided, stringToSign);
      }
    }
    this.#state = 'done';
    return undefined;
  }

  #fail(failure: StreamingFailed): StreamingFailed {
    this.#failure = failure;
    this.#held = [];
    this.#line = [];
    return failure;
  }
}

function incomplete(reason: StreamingFailureReason): StreamingFailed {
  return streamingFailed('IncompleteBody', reason, INCOMPLETE_BODY_MESSAGE);
}

function malformedTrailer(reason: StreamingFailureReason): StreamingFailed {
  return streamingFailed('MalformedTrailerError', reason, MALFORMED_TRAILER_MESSAGE);
}

function signatureMismatch(
  reason: StreamingFailureReason,
  provided: string,
  stringToSign: string,
): StreamingFailed {
  return streamingFailed('SignatureDoesNotMatch', reason, S3_SIGNATURE_MESSAGE, {
    SignatureProvided: provided,
    StringToSign: stringToSign,
  });
}
