import type { Bucket } from '../store/buckets.js';
import { S3Authorizer } from './authorization.js';
import { accessDenied, noSuchBucket } from './errors.js';
import type { S3Context, S3Request, S3Response, S3Trail } from './operation.js';
import { route, type S3Level } from './routes.js';

/**
 * The S3 steps after authentication, in order: route (method, bucket/key, sub-resource → operation),
 * load the bucket (NoSuchBucket for operations on an existing bucket), authorize every need of the
 * operation (the first denial is AccessDenied "Access Denied"), invoke. `trail` learns the operation
 * and the decision as they happen, so the audit event has them even when a step throws.
 */
export async function runS3(ctx: S3Context, req: S3Request, trail: S3Trail): Promise<S3Response> {
  const level: S3Level = req.key !== undefined ? 'object' : req.bucket !== undefined ? 'bucket' : 'service';
  const operation = route(req.method, level, req.query, req.headers);
  trail.operation = operation.name;
  let bucket: Bucket | undefined;
  if (req.bucket !== undefined && operation.bucket !== 'none') {
    bucket = await ctx.store.buckets.get(req.bucket);
    if (bucket === undefined && operation.bucket === 'existing') throw noSuchBucket(req.bucket);
  }
  // A bucket being created is authorized in the caller's account: an existing bucket of another account,
  // and its policy, decide nothing (the name is taken whoever may act on it).
  const authorizer = new S3Authorizer(ctx, req, operation.bucket === 'any' ? undefined : bucket);
  try {
    for (const need of operation.authorize(req, ctx)) {
      if (!(await authorizer.isAllowed(need))) throw accessDenied();
    }
    // Member by member, not a spread of `ctx` with a conditional one of `bucket`: one object of a fixed
    // shape per request instead of copies through temporary ones (an absent member is `undefined`).
    return await operation.handle(req, {
      store: ctx.store,
      blobs: ctx.blobs,
      clock: ctx.clock,
      ids: ctx.ids,
      region: ctx.region,
      caller: ctx.caller,
      requestId: ctx.requestId,
      policies: ctx.policies,
      bucket,
      isAllowed: (need) => authorizer.isAllowed(need),
      isAllowedOn: (other, need) => authorizer.isAllowedOn(other, need),
    });
  } finally {
    if (authorizer.authorizations.length > 0) trail.decision = authorizer.decision();
  }
}
