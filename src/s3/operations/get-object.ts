import type { S3Operation } from '../operation.js';
import { readNeeds, readObject, readResponse } from '../object-read.js';

/**
 * GetObject (`GET /bucket/key`): s3:GetObject; a missing key is NoSuchKey only for callers that may
 * s3:ListBucket; conditional headers (304/412), one `Range` (206/416), `response-*` overrides.
 */
export const getObject: S3Operation = {
  name: 'GetObject',
  bucket: 'existing',
  authorize: readNeeds,
  handle: async (req, ctx) => readResponse(ctx, await readObject(req, ctx), true),
};
