import { StoreError, type StoreEntity } from './errors.js';
import type { Page } from './types.js';

/** IAM's default `MaxItems`. */
export const DEFAULT_MAX_ITEMS = 100;

/** The sort key of the last item of a page: the next page starts strictly after it. */
export type MarkerKey = readonly (string | number)[];

type Shape = readonly ('string' | 'number')[];

/** The number of items to return, checked: `maxItems` below 1 or not an integer is a caller bug. */
export function pageLimit(maxItems: number | undefined): number {
  if (maxItems === undefined) return DEFAULT_MAX_ITEMS;
  if (!Number.isSafeInteger(maxItems) || maxItems < 1) {
    throw new TypeError(`maxItems must be a positive integer, got ${String(maxItems)}`);
  }
  return maxItems;
}

/** Markers are base64url JSON of the sort key: opaque to clients, checked on the way back in. */
export function encodeMarker(key: MarkerKey): string {
  return Buffer.from(JSON.stringify(key), 'utf8').toString('base64url');
}

/**
 * The sort key in `marker`, which must have `shape`; anything else was not issued by this store (or
 * belongs to another list) and fails `invalidInput`. One overload per key shape in use, so each caller
 * gets a typed tuple back.
 */
export function decodeMarker(marker: string, shape: readonly ['string'], entity: StoreEntity): [string];
export function decodeMarker(
  marker: string,
  shape: readonly ['number', 'string'],
  entity: StoreEntity,
): [number, string];
export function decodeMarker(
  marker: string,
  shape: readonly ['string', 'string'],
  entity: StoreEntity,
): [string, string];
export function decodeMarker(marker: string, shape: Shape, entity: StoreEntity): MarkerKey {
  let key: unknown;
  try {
    key = JSON.parse(Buffer.from(marker, 'base64url').toString('utf8'));
  } catch {
    key = undefined;
  }
  const fits =
    Array.isArray(key) &&
    key.length === shape.length &&
    shape.every((type, i) => typeof (key as unknown[])[i] === type);
  if (!fits) {
    throw new StoreError(
      'invalidInput',
      entity,
      marker,
      `marker \`${marker}\` was not returned by a list of ${entity} items`,
    );
  }
  return key as MarkerKey;
}

/**
 * Builds a page from up to `limit + 1` rows in sort order: the extra row only says that more follow.
 */
export function toPage<R, T>(
  rows: readonly R[],
  limit: number,
  toItem: (row: R) => T,
  keyOf: (row: R) => MarkerKey,
): Page<T> {
  const kept = rows.slice(0, limit);
  const items = kept.map(toItem);
  const last = kept[kept.length - 1];
  return rows.length > limit && last !== undefined ? { items, marker: encodeMarker(keyOf(last)) } : { items };
}
