/** How long fetched issuer keys are kept, whatever the issuer's `Cache-Control` says. */
export interface CacheBounds {
  readonly minMs: number;
  readonly maxMs: number;
  /** When the issuer states no usable `max-age`. */
  readonly defaultMs: number;
}

/**
 * 5 minutes to 24 hours, 1 hour by default: kube-apiserver sends `max-age=3600` (irsa-wire.md §1.6);
 * EKS throttles its OIDC endpoint and asks clients to honour Cache-Control, so a tiny or zero max-age
 * is raised to 5 minutes (unknown `kid`s still refetch sooner, rate-limited); a key removed from the
 * JWKS stops verifying within a day at the latest.
 */
export const DEFAULT_CACHE_BOUNDS: CacheBounds = {
  minMs: 5 * 60_000,
  maxMs: 24 * 3_600_000,
  defaultMs: 3_600_000,
};

/**
 * The lifetime of a response, from its `Cache-Control` header (RFC 9111 §5.2.2.1 `max-age`, as
 * delta-seconds; the quoted form a recipient may meet is accepted), clamped to `bounds`. `no-store` and
 * `no-cache` ask for no reuse; they get the minimum, since some caching is what keeps one issuer from
 * being fetched on every request. The first `max-age` counts; an unreadable one means the default.
 */
export function cacheLifetimeMs(
  header: string | undefined,
  bounds: CacheBounds = DEFAULT_CACHE_BOUNDS,
): number {
  if (header === undefined) return bounds.defaultMs;
  let lifetime: number | undefined;
  for (const part of header.split(',')) {
    const directive = part.trim().toLowerCase();
    if (directive === 'no-store' || directive === 'no-cache') return bounds.minMs;
    const m = /^max-age\s*=\s*"?(\d{1,12})"?$/.exec(directive);
    if (m?.[1] !== undefined && lifetime === undefined) lifetime = Number(m[1]) * 1000;
  }
  if (lifetime === undefined) return bounds.defaultMs;
  return Math.min(bounds.maxMs, Math.max(bounds.minMs, lifetime));
}
