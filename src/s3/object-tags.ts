import { childrenNamed, onlyChild, type XmlElement } from '../protocol/xml-parse.js';
import { element, textElement, type XmlNode } from '../protocol/xml.js';
import type { ObjectTag } from '../store/objects.js';
import { s3Error } from './errors.js';
import { header, type S3Request } from './operation.js';
import { xmlBodyError } from './wire-errors.js';
import { malformed } from './xml-body.js';

/** S3's object tag limits (S3 User Guide, "Categorizing your storage using tags"). */
export const MAX_OBJECT_TAGS = 10;
export const MAX_TAG_KEY_CHARS = 128;
export const MAX_TAG_VALUE_CHARS = 256;
/** `x-amz-tagging` is bounded before it is parsed: 10 tags of 128 + 256 characters, URL-encoded. */
const MAX_TAGGING_HEADER_BYTES = 16 * 1024;

/**
 * Checks a tag set as S3 does, InvalidTag otherwise. ⚠ The sentences are S3's as public issues quote
 * them; the limits are documented.
 */
export function checkTags(tags: readonly ObjectTag[]): readonly ObjectTag[] {
  if (tags.length > MAX_OBJECT_TAGS) {
    throw s3Error('InvalidTag', 'Object tags cannot be greater than 10');
  }
  const seen = new Set<string>();
  for (const [key, value] of tags) {
    if ([...key].length > MAX_TAG_KEY_CHARS || key.length === 0) {
      throw s3Error('InvalidTag', 'The TagKey you have provided is invalid', { TagKey: key.slice(0, 256) });
    }
    if ([...value].length > MAX_TAG_VALUE_CHARS) {
      throw s3Error('InvalidTag', 'The TagValue you have provided is invalid', {
        TagKey: key.slice(0, 256),
        TagValue: value.slice(0, 512),
      });
    }
    if (seen.has(key))
      throw s3Error('InvalidTag', 'Cannot provide multiple Tags with the same key', { TagKey: key });
    seen.add(key);
  }
  return tags;
}

/** `x-amz-tagging`: a URL query string `k1=v1&k2=v2` (S3 API Reference, PutObject); absent when not sent. */
export function taggingHeader(req: S3Request): readonly ObjectTag[] | undefined {
  const raw = header(req, 'x-amz-tagging');
  if (raw === undefined) return undefined;
  if (Buffer.byteLength(raw) > MAX_TAGGING_HEADER_BYTES) {
    throw s3Error('InvalidTag', 'Object tags cannot be greater than 10');
  }
  const tags: ObjectTag[] = [];
  for (const [key, value] of new URLSearchParams(raw)) tags.push([key, value]);
  return checkTags(tags);
}

/** `<Tagging><TagSet><Tag><Key/><Value/></Tag>...</TagSet></Tagging>`, MalformedXML when not that. */
export function readTaggingXml(root: XmlElement): readonly ObjectTag[] {
  const set = onlyChild(root, 'TagSet');
  if (set === undefined || set === 'many') throw xmlBodyError(malformed('Tagging has one TagSet'));
  const tags: ObjectTag[] = [];
  for (const tag of childrenNamed(set, 'Tag')) {
    const key = onlyChild(tag, 'Key');
    const value = onlyChild(tag, 'Value');
    if (key === undefined || key === 'many' || value === undefined || value === 'many') {
      throw xmlBodyError(malformed('a Tag has one Key and one Value'));
    }
    tags.push([key.text, value.text]);
  }
  return checkTags(tags);
}

/** `<Tagging xmlns><TagSet>...</TagSet></Tagging>` children. */
export function tagSetXml(tags: readonly ObjectTag[]): XmlNode {
  return element(
    'TagSet',
    tags.map(([k, v]) => element('Tag', [textElement('Key', k), textElement('Value', v)])),
  );
}

/** `s3:RequestObjectTag/<key>` for each tag and `s3:RequestObjectTagKeys` (iam-policy.md §5.2). */
export function requestTagContext(tags: readonly ObjectTag[]): Map<string, string | readonly string[]> {
  const context = new Map<string, string | readonly string[]>();
  for (const [k, v] of tags) context.set(`s3:requestobjecttag/${k.toLowerCase()}`, v);
  context.set(
    's3:requestobjecttagkeys',
    tags.map(([k]) => k),
  );
  return context;
}

/** `s3:ExistingObjectTag/<key>` for each tag of the stored object (iam-policy.md §5.2). */
export function existingTagContext(tags: readonly ObjectTag[] | undefined): Map<string, string> {
  const context = new Map<string, string>();
  for (const [k, v] of tags ?? []) context.set(`s3:existingobjecttag/${k.toLowerCase()}`, v);
  return context;
}
