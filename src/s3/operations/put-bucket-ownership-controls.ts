import { notImplemented } from '../../shared/aws-error.js';
import { s3Error } from '../errors.js';
import { baseHeaders, bucketArn, requireBucket, type S3Operation } from '../operation.js';
import { readXmlBody } from '../xml-body.js';
import { OBJECT_OWNERSHIP } from './get-bucket-ownership-controls.js';

/** ⚠ S3's MalformedXML wording (S3 API Reference, error codes). */
const MALFORMED_XML_MESSAGE =
  'The XML you provided was not well-formed or did not validate against our published schema';

/** The values S3 knows for ObjectOwnership (S3 API Reference, OwnershipControlsRule). */
const OWNERSHIPS = ['BucketOwnerEnforced', 'BucketOwnerPreferred', 'ObjectWriter'];

/**
 * PutBucketOwnershipControls (`PUT /bucket?ownershipControls`): s3:PutBucketOwnershipControls.
 * Decision: `BucketOwnerEnforced`, the only setting openirsa has, is accepted (200, nothing changes);
 * `BucketOwnerPreferred` and `ObjectWriter` would turn ACLs on, which openirsa does not implement: 501
 * InternalFailure saying so, rather than a 200 that would leave ACLs silently disabled. Anything else is
 * MalformedXML. (DeleteBucketOwnershipControls, which on S3 also turns ACLs back on, answers 501 from the
 * routing table.)
 */
export const putBucketOwnershipControls: S3Operation = {
  name: 'PutBucketOwnershipControls',
  bucket: 'existing',
  authorize: (req) => [{ action: 's3:PutBucketOwnershipControls', resource: bucketArn(requireBucket(req)) }],
  async handle(req, ctx) {
    const root = await readXmlBody(req, 'OwnershipControls', { maxBytes: 4096 });
    const rules = root.children.filter((c) => c.localName === 'Rule');
    const values = rules.map((r) => r.children.find((c) => c.localName === 'ObjectOwnership')?.text.trim());
    const value = values[0];
    if (rules.length !== 1 || value === undefined || !OWNERSHIPS.includes(value)) {
      throw s3Error('MalformedXML', MALFORMED_XML_MESSAGE);
    }
    if (value !== OBJECT_OWNERSHIP) {
      throw notImplemented(
        'S3',
        `PutBucketOwnershipControls with ObjectOwnership \`${value}\` (ACLs enabled)`,
      );
    }
    return { status: 200, headers: baseHeaders(ctx) };
  },
};
