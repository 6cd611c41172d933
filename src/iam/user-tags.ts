import type { Tag } from '../store/types.js';
import { iamError } from './errors.js';
import { foldName } from '../store/names.js';

/** IAM's quota of tags per entity (IAM User Guide, "IAM and AWS STS quotas": 50 tags per user). */
export const MAX_TAGS = 50;

/**
 * Rejects a tag list with the same key twice: IAM tag keys are unique ignoring case. AWS's wording
 * (InvalidInput): "Duplicate tag keys found. Please note that Tag keys are case insensitive."
 */
export function checkTags(tags: readonly Tag[]): void {
  const seen = new Set<string>();
  for (const t of tags) {
    const key = foldKey(t.key);
    if (seen.has(key)) {
      throw iamError(
        'InvalidInput',
        'Duplicate tag keys found. Please note that Tag keys are case insensitive.',
      );
    }
    seen.add(key);
  }
}

/**
 * TagUser's merge: a new tag replaces the one with the same key (ignoring case; the new key's case is
 * kept), others are appended. Over 50 tags afterwards is LimitExceeded. ⚠ AWS's message for it is
 * unconfirmed; this one names the quota as IAM's other quota messages do.
 */
export function mergeTags(current: readonly Tag[], added: readonly Tag[]): Tag[] {
  checkTags(added);
  const byKey = new Map<string, Tag>(current.map((t) => [foldKey(t.key), t]));
  for (const t of added) byKey.set(foldKey(t.key), t);
  const merged = [...byKey.values()];
  if (merged.length > MAX_TAGS) {
    throw iamError('LimitExceeded', `Cannot exceed quota for TagsPerUser: ${MAX_TAGS}`);
  }
  return merged;
}

/** UntagUser: removes the tags with these keys (ignoring case); a key that is not there is no error. */
export function removeTags(current: readonly Tag[], keys: readonly string[]): Tag[] {
  const drop = new Set(keys.map(foldKey));
  return current.filter((t) => !drop.has(foldKey(t.key)));
}

function foldKey(key: string): string {
  return foldName(key);
}

/**
 * One page of a tag list (at most 50 tags, so paging in memory costs nothing). The marker is the
 * offset of the next tag, base64url-encoded so clients treat it as opaque; one this server did not
 * issue is InvalidInput. ⚠ AWS's wording for a foreign marker is unconfirmed (as ListRoles).
 */
export function pageTags(
  tags: readonly Tag[],
  marker: string | undefined,
  maxItems: number | undefined,
): { items: readonly Tag[]; marker?: string } {
  const start = marker === undefined ? 0 : offsetOf(marker, tags.length);
  const end = start + (maxItems ?? 100);
  const items = tags.slice(start, end);
  return end < tags.length ? { items, marker: Buffer.from(`tags:${end}`).toString('base64url') } : { items };
}

function offsetOf(marker: string, length: number): number {
  const match = /^tags:(\d{1,3})$/.exec(Buffer.from(marker, 'base64url').toString('utf8'));
  const offset = match?.[1] === undefined ? NaN : Number(match[1]);
  if (!Number.isInteger(offset) || offset > length) throw iamError('InvalidInput', 'Invalid Marker.');
  return offset;
}
