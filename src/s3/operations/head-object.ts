import type { S3Operation } from '../operation.js';
import { readNeeds, readObject, readResponse } from '../object-read.js';

/** HeadObject (`HEAD /bucket/key`): GetObject's checks and headers, without the body. */
export const headObject: S3Operation = {
  name: 'HeadObject',
  bucket: 'existing',
  authorize: readNeeds,
  handle: async (req, ctx) => readResponse(ctx, await readObject(req, ctx), false),
};
