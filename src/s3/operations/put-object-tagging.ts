import { noSuchKey } from '../errors.js';
import { baseHeaders, requireKey, type S3Operation } from '../operation.js';
import { readTaggingXml, requestTagContext } from '../object-tags.js';
import { authorizedObject } from '../tagged-object.js';
import { readXmlBody } from '../xml-body.js';

/**
 * PutObjectTagging (`PUT /bucket/key?tagging`): s3:PutObjectTagging with `s3:ExistingObjectTag/<key>`,
 * `s3:RequestObjectTag/<key>` and `s3:RequestObjectTagKeys` (iam-policy.md §5.2, §5.3). The body is read
 * (Content-MD5 or a flexible checksum required, as S3's model says) and checked before the object is
 * authorized; the tag set replaces the object's, only on the version that was authorized.
 */
export const putObjectTagging: S3Operation = {
  name: 'PutObjectTagging',
  bucket: 'existing',
  authorize: () => [],
  async handle(req, ctx) {
    const { bucket, key } = requireKey(req);
    const tags = readTaggingXml(await readXmlBody(req, 'Tagging', { integrityRequired: true }));
    const object = await authorizedObject(req, ctx, 's3:PutObjectTagging', requestTagContext(tags));
    if (!(await ctx.store.objects.setTags(bucket, key, object.blobId, tags))) throw noSuchKey(key);
    return { status: 200, headers: baseHeaders(ctx) };
  },
};
