import { childrenNamed, onlyChild, type XmlElement } from '../../protocol/xml-parse.js';
import { element, textElement, type XmlNode } from '../../protocol/xml.js';
import { AwsError } from '../../shared/aws-error.js';
import { ACCESS_DENIED_MESSAGE } from '../errors.js';
import { baseHeaders, objectArn, requireBucket, type S3Operation } from '../operation.js';
import { malformed, readXmlBody } from '../xml-body.js';
import { xmlBodyError } from '../wire-errors.js';
import { S3_NAMESPACE, s3Xml } from '../xml.js';

/** At most 1,000 keys per request (S3 API Reference, DeleteObjects). */
export const MAX_DELETE_KEYS = 1000;

/** S3's largest key, in UTF-8 bytes (S3 User Guide, "Naming objects"). */
const MAX_KEY_BYTES = 1024;

interface Target {
  readonly key: string;
  readonly versionId?: string;
}

/**
 * DeleteObjects (`POST /bucket?delete`): a `<Delete>` body of up to 1,000 `<Object>`s, with Content-MD5
 * or a flexible checksum (S3 requires one). Each key is authorized on its own as s3:DeleteObject (S3 API
 * Reference, DeleteObjects: "For each key, Amazon S3 performs a delete operation and returns the result");
 * a denied key is an `<Error>` entry, not a failed request. `<Quiet>true</Quiet>` leaves out the deleted
 * keys. Buckets are unversioned: `VersionId` may only be `null` (the null version); another id is
 * NoSuchVersion for that key (⚠ S3's per-key answer for an unknown version on an unversioned bucket is
 * our reading of its error list).
 */
export const deleteObjects: S3Operation = {
  name: 'DeleteObjects',
  bucket: 'existing',
  // Authorized per key in `handle`.
  authorize: () => [],
  async handle(req, ctx) {
    const bucket = requireBucket(req);
    const root = await readXmlBody(req, 'Delete', { integrityRequired: true });
    const { quiet, targets } = readDelete(root);
    const results: XmlNode[] = [];
    for (const target of targets) {
      const version = target.versionId === undefined ? [] : [textElement('VersionId', target.versionId)];
      const allowed = await ctx.isAllowed({
        action: 's3:DeleteObject',
        resource: objectArn(bucket, target.key),
      });
      if (!allowed) {
        results.push(keyError(target, 'AccessDenied', ACCESS_DENIED_MESSAGE));
        continue;
      }
      if (target.versionId !== undefined && target.versionId !== 'null') {
        results.push(keyError(target, 'NoSuchVersion', 'The specified version does not exist.'));
        continue;
      }
      const deleted = await ctx.store.objects.delete(bucket, target.key);
      if (deleted !== undefined) await ctx.blobs?.release(deleted).catch(() => undefined);
      if (!quiet) results.push(element('Deleted', [textElement('Key', target.key), ...version]));
    }
    const body = s3Xml(element('DeleteResult', results, { xmlns: S3_NAMESPACE }));
    return { status: 200, headers: { ...baseHeaders(ctx), 'Content-Type': 'application/xml' }, body };
  },
};

function keyError(target: Target, code: string, message: string): XmlNode {
  return element('Error', [
    textElement('Key', target.key),
    ...(target.versionId === undefined ? [] : [textElement('VersionId', target.versionId)]),
    textElement('Code', code),
    textElement('Message', message),
  ]);
}

/** `<Delete><Quiet>?<Object><Key/><VersionId>?</Object>+</Delete>`, bounded. */
function readDelete(root: XmlElement): { quiet: boolean; targets: Target[] } {
  const quietElement = onlyChild(root, 'Quiet');
  if (quietElement === 'many') throw xmlBodyError(malformed('more than one <Quiet>'));
  const quietText = quietElement?.text.trim().toLowerCase();
  if (quietText !== undefined && quietText !== 'true' && quietText !== 'false') {
    throw xmlBodyError(malformed('<Quiet> is not true or false'));
  }
  const objects = childrenNamed(root, 'Object');
  // (S3 answers MalformedXML for no <Object> and for more than 1,000: S3 API Reference, DeleteObjects)
  if (objects.length === 0 || objects.length > MAX_DELETE_KEYS) {
    throw xmlBodyError(malformed(`${objects.length} <Object> elements, expected 1 to ${MAX_DELETE_KEYS}`));
  }
  const targets = objects.map((object): Target => {
    const key = onlyChild(object, 'Key');
    const version = onlyChild(object, 'VersionId');
    if (key === undefined || key === 'many' || version === 'many') {
      throw xmlBodyError(malformed('an <Object> needs exactly one <Key> and at most one <VersionId>'));
    }
    if (key.text === '' || Buffer.byteLength(key.text) > MAX_KEY_BYTES) {
      // ⚠ S3's answer for an empty or over-long key in a Delete body: our choice, the KeyTooLong family.
      throw new AwsError('InvalidArgument', 400, 'Invalid key', { fields: { Key: key.text.slice(0, 64) } });
    }
    return { key: key.text, ...(version !== undefined ? { versionId: version.text } : {}) };
  });
  return { quiet: quietText === 'true', targets };
}
