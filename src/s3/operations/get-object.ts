import type { S3Operation } from '../operation.js';
import { readNeeds, readWithBody } from '../object-read.js';

/**
 * GetObject (`GET /bucket/key`): s3:GetObject; a missing key is NoSuchKey only for callers that may
 * s3:ListBucket; conditional headers (304/412), one `Range` (206/416), `response-*` overrides. A read that
 * races a delete or an overwrite answers as if it came after it (`readWithBody`).
 */
export const getObject: S3Operation = {
  name: 'GetObject',
  bucket: 'existing',
  authorize: readNeeds,
  handle: readWithBody,
};
