import { element } from '../../protocol/xml.js';
import { baseHeaders, type S3Operation } from '../operation.js';
import { tagSetXml } from '../object-tags.js';
import { authorizedObject } from '../tagged-object.js';
import { S3_NAMESPACE, s3Xml } from '../xml.js';

/**
 * GetObjectTagging (`GET /bucket/key?tagging`): s3:GetObjectTagging with `s3:ExistingObjectTag/<key>`
 * (iam-policy.md §5.2, §5.3), authorized once the object is loaded.
 */
export const getObjectTagging: S3Operation = {
  name: 'GetObjectTagging',
  bucket: 'existing',
  authorize: () => [],
  async handle(req, ctx) {
    const object = await authorizedObject(req, ctx, 's3:GetObjectTagging');
    const body = s3Xml(element('Tagging', [tagSetXml(object.tags ?? [])], { xmlns: S3_NAMESPACE }));
    return { status: 200, headers: { ...baseHeaders(ctx), 'Content-Type': 'application/xml' }, body };
  },
};
