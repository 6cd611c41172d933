import type { ServiceAccountIdentity } from './pod-mutation.js';

/** The webhook raises any expiration below 10 minutes to 10 minutes (irsa-wire.md §2.3). */
const MIN_EXPIRATION_SECONDS = 600;
/** Go's `strconv.ParseInt(s, 10, 64)` range: anything outside fails to parse, and is ignored. */
const MAX_INT64 = 2n ** 63n - 1n;
const MIN_INT64 = -(2n ** 63n);

/**
 * What a service account's annotations mean to the webhook (`pkg/cache/cache.go` `addSA`, irsa-wire.md
 * §2.3): `<prefix>/role-arn` (non-empty enables mutation), `<prefix>/audience`,
 * `<prefix>/sts-regional-endpoints` (Go `strconv.ParseBool`; invalid is ignored) and
 * `<prefix>/token-expiration` (Go `strconv.ParseInt`; invalid is ignored; below 600 means 600; no
 * upper clamp). `prefix` is `--annotation-prefix`, default `eks.amazonaws.com`.
 */
export function serviceAccountIdentity(
  annotations: Readonly<Record<string, string>>,
  prefix = 'eks.amazonaws.com',
): ServiceAccountIdentity {
  const at = (key: string): string | undefined =>
    Object.prototype.hasOwnProperty.call(annotations, `${prefix}/${key}`)
      ? annotations[`${prefix}/${key}`]
      : undefined;
  const roleArn = at('role-arn');
  const audience = at('audience');
  const regionalSts = parseGoBool(at('sts-regional-endpoints'));
  const expiration = parseGoInt64(at('token-expiration'));
  return {
    ...(roleArn ? { roleArn } : {}),
    ...(audience ? { audience } : {}),
    ...(regionalSts !== undefined ? { regionalSts } : {}),
    ...(expiration !== undefined
      ? { tokenExpirationSeconds: Math.max(MIN_EXPIRATION_SECONDS, Number(expiration)) }
      : {}),
  };
}

/** Go `strconv.ParseBool`: exactly these spellings. */
export function parseGoBool(value: string | undefined): boolean | undefined {
  if (value === undefined) return undefined;
  if (['1', 't', 'T', 'TRUE', 'true', 'True'].includes(value)) return true;
  if (['0', 'f', 'F', 'FALSE', 'false', 'False'].includes(value)) return false;
  return undefined;
}

/** Go `strconv.ParseInt(s, 10, 64)`: an optional sign and decimal digits, in the int64 range. */
export function parseGoInt64(value: string | undefined): bigint | undefined {
  if (value === undefined || !/^[+-]?\d{1,20}$/.test(value)) return undefined;
  const n = BigInt(value);
  return n > MAX_INT64 || n < MIN_INT64 ? undefined : n;
}
