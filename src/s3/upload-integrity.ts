import { pipeline, Transform, type Readable, type TransformCallback } from 'node:stream';
import {
  checkChecksum,
  checkContentMd5,
  readContentMd5,
  readDeclaredChecksum,
  trailerChecksumValue,
  type DeclaredChecksum,
} from './checksum-headers.js';
import { createChecksummer, type Checksummer } from './checksums.js';
import type { S3Payload } from './payload.js';
import type { S3Request } from './operation.js';

/** The integrity checks of one upload body, computed while it streams and judged before it is committed. */
export interface UploadIntegrity {
  /**
   * The payload as it is to be written: through a pass-through that feeds the declared flexible
   * checksum, or the payload stream itself when none was declared (a no-op stage costs a copy of the
   * stream machinery per chunk: measurable on a 1 GiB body).
   */
  tapped(payload: Readable): Readable;
  /** Feeds the declared flexible checksum with a body taken whole, instead of `tapped` (once). */
  feed(bytes: Buffer): void;
  /**
   * Called once every byte has arrived (the trailer too), with the MD5 the blob write measured: throws
   * BadDigest for a Content-MD5 or checksum that does not match, InvalidRequest for a trailer checksum
   * that is missing or malformed. Returns the checksums to store, by algorithm, base64.
   */
  verify(md5: Buffer): Record<string, string>;
}

/**
 * Reads `Content-MD5` and the declared flexible checksum (an `x-amz-checksum-*` header, or one announced in
 * `x-amz-trailer` of an aws-chunked body) up front, so a malformed value fails before a byte is written
 * (S3 User Guide, "Checking object integrity"). Only a checksum the client declared is stored: storing one
 * S3 would have computed on its own is not needed by any client we serve.
 */
export function uploadIntegrity(req: S3Request, payload: S3Payload): UploadIntegrity {
  const md5 = readContentMd5(req.headers);
  const declared = readDeclaredChecksum(req.headers, payload.chunked?.trailerNames ?? []);
  const checksummer = declared === undefined ? undefined : createChecksummer(declared.algorithm);
  return {
    tapped: (stream) =>
      checksummer === undefined ? stream : pipeline(stream, new ChecksumTap(checksummer), () => undefined),
    feed: (bytes) => checksummer?.update(bytes),
    verify: (computedMd5) => {
      if (md5 !== undefined) checkContentMd5(md5, computedMd5.toString('base64'));
      if (declared === undefined || checksummer === undefined) return {};
      return verifyDeclared(declared, checksummer, payload.trailers());
    },
  };
}

function verifyDeclared(
  declared: DeclaredChecksum,
  checksummer: Checksummer,
  trailers: ReadonlyMap<string, string>,
): Record<string, string> {
  const value = trailerChecksumValue(declared, trailers);
  const computed = checksummer.digest();
  checkChecksum(declared.algorithm, value, computed);
  return { [declared.algorithm]: computed };
}

class ChecksumTap extends Transform {
  constructor(private readonly checksummer: Checksummer) {
    super();
  }
  override _transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback): void {
    this.checksummer.update(chunk);
    callback(null, chunk);
  }
}
