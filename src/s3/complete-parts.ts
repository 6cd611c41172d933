import { childrenNamed, onlyChild, type XmlElement } from '../protocol/xml-parse.js';
import type { UploadPart } from '../store/uploads.js';
import { CHECKSUM_ALGORITHMS, createChecksummer, type ChecksumAlgorithm } from './checksums.js';
import { s3Error } from './errors.js';
import { MAX_PART_NUMBER, MIN_PART_BYTES } from './multipart.js';
import { malformed } from './xml-body.js';
import { xmlBodyError } from './wire-errors.js';

/** One `<Part>` of a CompleteMultipartUpload body. */
export interface RequestedPart {
  readonly partNumber: number;
  readonly etag: string;
  /** `ChecksumCRC32` ... by algorithm, when given. */
  readonly checksums: Readonly<Partial<Record<ChecksumAlgorithm, string>>>;
}

/**
 * The parts a `<CompleteMultipartUpload>` names, in the order given: at least one and at most 10000,
 * each with one PartNumber and one ETag (MalformedXML otherwise), part numbers strictly ascending
 * (InvalidPartOrder).
 */
export function readRequestedParts(root: XmlElement): RequestedPart[] {
  const parts = childrenNamed(root, 'Part');
  if (parts.length === 0 || parts.length > MAX_PART_NUMBER) {
    throw xmlBodyError(malformed('a CompleteMultipartUpload names 1 to 10000 parts'));
  }
  const out: RequestedPart[] = [];
  for (const part of parts) {
    const number = onlyChild(part, 'PartNumber');
    const etag = onlyChild(part, 'ETag');
    if (number === undefined || number === 'many' || etag === undefined || etag === 'many') {
      throw xmlBodyError(malformed('a Part has one PartNumber and one ETag'));
    }
    const text = number.text.trim();
    if (!/^\d{1,5}$/.test(text)) throw xmlBodyError(malformed('a PartNumber is an integer'));
    const checksums: Partial<Record<ChecksumAlgorithm, string>> = {};
    for (const algorithm of CHECKSUM_ALGORITHMS) {
      const value = onlyChild(part, `Checksum${algorithm}`);
      if (value === 'many') throw xmlBodyError(malformed(`a Part has one Checksum${algorithm}`));
      if (value !== undefined) checksums[algorithm] = value.text.trim();
    }
    out.push({ partNumber: Number(text), etag: etag.text.trim(), checksums });
  }
  for (let i = 1; i < out.length; i++) {
    // INVARIANT: 0 < i < out.length, so both entries exist.
    if ((out[i] as RequestedPart).partNumber <= (out[i - 1] as RequestedPart).partNumber) {
      // (S3 API Reference, error codes: InvalidPartOrder)
      throw s3Error(
        'InvalidPartOrder',
        'The list of parts was not in ascending order. The parts list must be specified in order by part number.',
      );
    }
  }
  return out;
}

/** InvalidPart (S3 API Reference, error codes) in S3's wire sentence, double space included, as SDK issues quote it. */
export const INVALID_PART_MESSAGE =
  "One or more of the specified parts could not be found.  The part may not have been uploaded, or the specified entity tag may not match the part's entity tag.";

/**
 * The stored parts the request names, in its order: each must exist with the ETag given (quotes
 * optional) and, where a checksum is given, that checksum (InvalidPart); every part but the last is at
 * least 5 MiB (EntityTooSmall).
 */
export function matchParts(
  requested: readonly RequestedPart[],
  stored: ReadonlyMap<number, UploadPart>,
): UploadPart[] {
  const matched: UploadPart[] = [];
  for (const want of requested) {
    const part = stored.get(want.partNumber);
    const unquote = (s: string) => s.replace(/^"|"$/g, '');
    const checksumsAgree = Object.entries(want.checksums).every(([a, v]) => part?.checksums[a] === v);
    if (part === undefined || unquote(part.etag) !== unquote(want.etag) || !checksumsAgree) {
      throw s3Error('InvalidPart', INVALID_PART_MESSAGE, {
        UploadId: part?.uploadId ?? '',
        PartNumber: String(want.partNumber),
        ETag: want.etag.slice(0, 128),
      });
    }
    matched.push(part);
  }
  for (const part of matched.slice(0, -1)) {
    if (part.size < MIN_PART_BYTES) {
      // (S3 API Reference, error codes: EntityTooSmall), with the fields S3 adds.
      throw s3Error('EntityTooSmall', 'Your proposed upload is smaller than the minimum allowed size', {
        ProposedSize: String(part.size),
        MinSizeAllowed: String(MIN_PART_BYTES),
        PartNumber: String(part.partNumber),
        ETag: part.etag,
      });
    }
  }
  return matched;
}

/**
 * The composite checksum of a completed upload: the algorithm over the concatenated binary part
 * checksums, base64, then `-N` (S3 User Guide, "Checking object integrity", composite checksums). Absent
 * when the upload asked for none or a part lacks it.
 */
export function compositeChecksums(
  algorithm: string | undefined,
  parts: readonly UploadPart[],
): Record<string, string> {
  const known = CHECKSUM_ALGORITHMS.find((a) => a === algorithm);
  if (known === undefined) return {};
  const checksummer = createChecksummer(known);
  for (const part of parts) {
    const value = part.checksums[known];
    if (value === undefined) return {};
    checksummer.update(Buffer.from(value, 'base64'));
  }
  return { [known]: `${checksummer.digest()}-${parts.length}` };
}
