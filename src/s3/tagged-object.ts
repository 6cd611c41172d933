import type { ContextValue } from '../policy/types.js';
import type { S3Object } from '../store/objects.js';
import { accessDenied, noSuchKey } from './errors.js';
import { checkVersionId } from './object-read.js';
import { objectArn, requireKey, type S3OperationContext, type S3Request } from './operation.js';
import { existingTagContext } from './object-tags.js';

/**
 * The object of a tagging request, authorized for `action` once it is loaded, with its tags as
 * `s3:ExistingObjectTag/<key>` (and `extra` keys) in the context: the tagging operations declare no
 * needs up front, so this is their only authorization and it always runs (a missing key is authorized
 * without existing tags, then NoSuchKey).
 */
export async function authorizedObject(
  req: S3Request,
  ctx: S3OperationContext,
  action: string,
  extra: ReadonlyMap<string, ContextValue> = new Map(),
): Promise<S3Object> {
  const { bucket, key } = requireKey(req);
  const object = await ctx.store.objects.get(bucket, key);
  const context = new Map<string, ContextValue>([...existingTagContext(object?.tags), ...extra]);
  if (!(await ctx.isAllowed({ action, resource: objectArn(bucket, key), context }))) throw accessDenied();
  checkVersionId(req);
  if (object === undefined) throw noSuchKey(key);
  return object;
}
