import type { AwsError } from '../shared/aws-error.js';
import { isStoreError } from '../store/errors.js';
import { DEFAULT_MAX_ITEMS } from '../store/paging.js';
import { iamError } from './errors.js';

/**
 * Paging, IAM's way (`Marker` + `MaxItems`, `IsTruncated`), over a short list held whole: a resource's
 * tags (at most 50), a policy's versions (at most 5). The marker is the offset of the next item, as
 * opaque base64url text; one that this server did not issue is `InvalidInput`.
 */
export function pageList<T>(
  items: readonly T[],
  request: { readonly Marker?: string | undefined; readonly MaxItems?: number | undefined },
): { items: readonly T[]; IsTruncated: boolean; Marker?: string } {
  const start = request.Marker === undefined ? 0 : offsetOf(request.Marker, items.length);
  const end = start + (request.MaxItems ?? DEFAULT_MAX_ITEMS);
  const page = items.slice(start, end);
  return end < items.length
    ? {
        items: page,
        IsTruncated: true,
        Marker: Buffer.from(JSON.stringify(['o', end])).toString('base64url'),
      }
    : { items: page, IsTruncated: false };
}

function offsetOf(marker: string, length: number): number {
  let key: unknown;
  try {
    key = JSON.parse(Buffer.from(marker, 'base64url').toString('utf8'));
  } catch {
    key = undefined;
  }
  if (Array.isArray(key) && key.length === 2 && key[0] === 'o' && Number.isSafeInteger(key[1])) {
    const n = key[1] as number;
    // A list that shrank between pages resumes at its end: an empty last page, as IAM would answer.
    if (n >= 0) return Math.min(n, length);
  }
  // ⚠ AWS's wording for a marker it did not issue is unconfirmed (same as the store-paged lists).
  throw iamError('InvalidInput', 'Invalid Marker.');
}

/**
 * A listing the store pages (`Marker` / `MaxItems` passed through): a marker the store did not issue
 * (`invalidInput`) is `InvalidInput`; a `notFound` is `missing()` where the listing is of one entity's
 * members (a role's policies), and rethrown otherwise.
 */
export async function storePage<T>(work: () => Promise<T>, missing?: () => AwsError): Promise<T> {
  try {
    return await work();
  } catch (e) {
    if (missing !== undefined && isStoreError(e, 'notFound')) throw missing();
    // ⚠ AWS's wording for a marker it did not issue is unconfirmed (ListRoles and its kin alike).
    if (isStoreError(e, 'invalidInput')) throw iamError('InvalidInput', 'Invalid Marker.');
    throw e;
  }
}
