import { boolean, list, string, structure } from '../protocol/shape.js';
import type { Tag } from '../store/types.js';
import { iamError } from './errors.js';
import { tagShape } from './wire.js';

/** IAM's most tags on one resource (IAM User Guide, "IAM and AWS STS quotas": 50 tags per resource). */
export const MAX_TAGS = 50;

/** `TagKeys.member.N` of the Untag actions: IAM's `tagKeyType`, at most 50 (botocore iam model). */
export const tagKeyListType = () =>
  list(string({ min: 1, max: 128, pattern: '[\\p{L}\\p{Z}\\p{N}_.:/=+\\-@]+' }), { required: true, max: 50 });

/** IAM compares tag keys ignoring case (IAM User Guide, "Tagging IAM resources"). */
function foldKey(key: string): string {
  return key.toLowerCase();
}

/**
 * The tags of one request, checked as IAM checks them before writing: no two keys that differ only in
 * case, and no key in the `aws:` namespace, which AWS reserves.
 */
export function checkRequestTags(tags: readonly Tag[]): void {
  const seen = new Set<string>();
  for (const tag of tags) {
    const key = foldKey(tag.key);
    if (seen.has(key)) {
      // ⚠ wording from public reports of IAM TagRole/CreateRole answers, not from the API reference.
      throw iamError(
        'InvalidInput',
        'Duplicate tag keys found. Please note that Tag keys are case insensitive.',
      );
    }
    seen.add(key);
    if (key.startsWith('aws:')) {
      // ⚠ wording unconfirmed; AWS reserves the `aws:` prefix (IAM User Guide, "Tagging IAM resources").
      throw iamError('InvalidInput', `User-defined tag keys can't start with "aws:": ${tag.key}`);
    }
  }
}

/**
 * TagRole / TagPolicy / TagOpenIDConnectProvider: each new tag replaces the tag whose key matches it
 * ignoring case (in place, with the new key's spelling ⚠ unconfirmed which spelling AWS keeps), or is
 * appended. More than `MAX_TAGS` afterwards is `LimitExceeded`, and nothing is written.
 */
export function mergeTags(current: readonly Tag[], added: readonly Tag[]): Tag[] {
  checkRequestTags(added);
  const merged = current.map((t) => ({ key: t.key, value: t.value }));
  for (const tag of added) {
    const at = merged.findIndex((t) => foldKey(t.key) === foldKey(tag.key));
    if (at === -1) merged.push({ key: tag.key, value: tag.value });
    else merged[at] = { key: tag.key, value: tag.value };
  }
  if (merged.length > MAX_TAGS) {
    // ⚠ wording unconfirmed: IAM answers LimitExceeded when a resource would pass 50 tags.
    throw iamError('LimitExceeded', `The number of tags has reached the maximum limit of ${MAX_TAGS}.`);
  }
  return merged;
}

/** UntagRole / UntagPolicy / ...: removes the tags whose keys match ignoring case; a missing key is no error. */
export function removeTags(current: readonly Tag[], keys: readonly string[]): Tag[] {
  const gone = new Set(keys.map(foldKey));
  return current.filter((t) => !gone.has(foldKey(t.key))).map((t) => ({ key: t.key, value: t.value }));
}

/** The output of every `List...Tags` action (botocore iam model: `Tags` required, then paging). */
export const tagPageOutput = () =>
  structure({ Tags: list(tagShape, { required: true }), IsTruncated: boolean(), Marker: string() });
