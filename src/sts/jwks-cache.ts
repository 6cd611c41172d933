import type { VerificationKey } from '../identity/verify-jwt.js';
import type { Clock } from '../shared/clock.js';
import { cacheLifetimeMs, DEFAULT_CACHE_BOUNDS, type CacheBounds } from './cache-control.js';
import { discoveryUrl, readDiscovery, readJwks } from './issuer-documents.js';
import {
  DEFAULT_FETCH_TIMEOUT_MS,
  DEFAULT_MAX_RESPONSE_BYTES,
  fetchIssuerDocument,
  type FetchOptions,
  type Fetcher,
} from './issuer-fetch.js';

/** At most one refetch per issuer in this window when tokens name a `kid` the cached JWKS lacks. */
export const DEFAULT_REFETCH_INTERVAL_MS = 30_000;
/** Issuers kept; past it the one fetched longest ago is forgotten (issuers are registered providers). */
export const DEFAULT_MAX_ISSUERS = 256;

export interface JwksCacheOptions {
  readonly clock: Clock;
  /** Fetch plain-http issuers that are not loopback (`--allow-insecure-issuers`). */
  readonly allowInsecureIssuers?: boolean;
  /** Extra trusted CA certificates, PEM (`--oidc-ca-file`). */
  readonly caCertificates?: readonly string[];
  /** Per document, connect to last byte; default 5 s. */
  readonly timeoutMs?: number;
  /** Per document; default 512 KiB. */
  readonly maxResponseBytes?: number;
  readonly refetchIntervalMs?: number;
  readonly cacheBounds?: CacheBounds;
  readonly maxIssuers?: number;
  /** The HTTP GET; `fetchIssuerDocument` unless a test injects one. */
  readonly fetch?: Fetcher;
}

/**
 * The key an issuer publishes under `kid` (`key` undefined: it publishes none), or why its keys could
 * not be had (`ok: false`: discovery or JWKS unreachable or invalid; the message is for operators and
 * names URLs and causes, never a token).
 */
export type IssuerKeyResult =
  | { readonly ok: true; readonly key: VerificationKey | undefined }
  | { readonly ok: false; readonly message: string };

interface Entry {
  /** The keys of the last successful fetch, and until when they are fresh. */
  keys?: ReadonlyMap<string, VerificationKey>;
  expiresAt: number;
  /** When the last fetch started, successful or not: the rate limit counts from it. */
  attemptedAt?: number;
  /** Why the last fetch failed; cleared by a successful one. */
  failure?: string;
  inflight?: Promise<void>;
}

/**
 * External issuers' verification keys (irsa-wire.md §5.7 step 6), per issuer: its discovery document
 * (`<iss>/.well-known/openid-configuration`, whose `issuer` must be `iss` exactly), then its `jwks_uri`.
 * Keys are kept for the JWKS's `Cache-Control: max-age` within `cacheBounds`; a `kid` not in a fresh set
 * refetches at most once per `refetchIntervalMs` (key rotation without a hammered issuer); a failed fetch
 * is remembered for the same window. Concurrent lookups share one fetch. A failed refetch keeps the
 * fresh keys it could not replace. Owned by one server (no module state); the caller must only ask for
 * issuers that are registered OIDC providers of the role's account: this class fetches whatever it is
 * asked.
 */
export class JwksCache {
  private readonly entries = new Map<string, Entry>();
  private readonly fetchOptions: FetchOptions;
  private readonly fetch: Fetcher;
  private readonly refetchIntervalMs: number;
  private readonly bounds: CacheBounds;
  private readonly maxIssuers: number;

  constructor(private readonly options: JwksCacheOptions) {
    this.fetchOptions = {
      allowInsecure: options.allowInsecureIssuers === true,
      ...(options.caCertificates !== undefined ? { caCertificates: options.caCertificates } : {}),
      timeoutMs: options.timeoutMs ?? DEFAULT_FETCH_TIMEOUT_MS,
      maxBytes: options.maxResponseBytes ?? DEFAULT_MAX_RESPONSE_BYTES,
    };
    this.fetch = options.fetch ?? fetchIssuerDocument;
    this.refetchIntervalMs = options.refetchIntervalMs ?? DEFAULT_REFETCH_INTERVAL_MS;
    this.bounds = options.cacheBounds ?? DEFAULT_CACHE_BOUNDS;
    this.maxIssuers = options.maxIssuers ?? DEFAULT_MAX_ISSUERS;
  }

  /** The key `issuer` publishes under `kid`, fetching its documents when the cache says so. */
  async keyFor(issuer: string, kid: string): Promise<IssuerKeyResult> {
    const entry = this.entry(issuer);
    while (entry.inflight !== undefined) await entry.inflight;
    let fetched = false;
    for (;;) {
      const now = this.options.clock.now();
      const fresh = entry.keys !== undefined && now < entry.expiresAt;
      const key = fresh ? entry.keys?.get(kid) : undefined;
      if (key !== undefined) return { ok: true, key };
      const mayFetch = entry.attemptedAt === undefined || now - entry.attemptedAt >= this.refetchIntervalMs;
      if (fetched || !mayFetch) {
        if (entry.failure !== undefined) return { ok: false, message: entry.failure };
        // Fresh keys, none by this `kid`, and no refetch allowed (yet).
        if (fresh) return { ok: true, key: undefined };
        return { ok: false, message: 'the issuer keys expired and a refetch is rate-limited' };
      }
      await this.refresh(issuer, entry);
      fetched = true;
    }
  }

  private entry(issuer: string): Entry {
    let entry = this.entries.get(issuer);
    if (entry === undefined) {
      entry = { expiresAt: 0 };
      this.entries.set(issuer, entry);
      if (this.entries.size > this.maxIssuers) {
        const oldest = this.entries.keys().next();
        if (oldest.done !== true) this.entries.delete(oldest.value);
      }
    }
    return entry;
  }

  /** One shared fetch of discovery + JWKS; concurrent callers wait on `entry.inflight`. */
  private refresh(issuer: string, entry: Entry): Promise<void> {
    entry.attemptedAt = this.options.clock.now();
    const run = this.load(issuer).then((loaded) => {
      if (loaded.ok) {
        // Most recently fetched last, so the issuer forgotten first is the one fetched longest ago.
        if (this.entries.get(issuer) === entry) {
          this.entries.delete(issuer);
          this.entries.set(issuer, entry);
        }
        entry.keys = loaded.keys;
        entry.expiresAt = this.options.clock.now() + loaded.lifetimeMs;
        delete entry.failure;
      } else {
        entry.failure = loaded.message;
      }
    });
    entry.inflight = run.finally(() => {
      delete entry.inflight;
    });
    return entry.inflight;
  }

  private async load(
    issuer: string,
  ): Promise<
    | { readonly ok: true; readonly keys: ReadonlyMap<string, VerificationKey>; readonly lifetimeMs: number }
    | { readonly ok: false; readonly message: string }
  > {
    const allowInsecure = this.fetchOptions.allowInsecure;
    const where = discoveryUrl(issuer, allowInsecure);
    if (!where.ok) return { ok: false, message: `issuer \`${issuer}\`: ${where.message}` };
    const discovery = await this.fetchSafely(where.url);
    if (!discovery.ok)
      return { ok: false, message: `discovery document ${where.url.href}: ${discovery.message}` };
    const jwksUri = readDiscovery(discovery.body, issuer, allowInsecure);
    if (!jwksUri.ok)
      return { ok: false, message: `discovery document ${where.url.href}: ${jwksUri.message}` };
    const jwks = await this.fetchSafely(jwksUri.value);
    if (!jwks.ok) return { ok: false, message: `JWKS ${jwksUri.value.href}: ${jwks.message}` };
    const keys = readJwks(jwks.body);
    if (!keys.ok) return { ok: false, message: `JWKS ${jwksUri.value.href}: ${keys.message}` };
    const lifetimeMs = Math.min(
      cacheLifetimeMs(discovery.cacheControl, this.bounds),
      cacheLifetimeMs(jwks.cacheControl, this.bounds),
    );
    return { ok: true, keys: keys.value, lifetimeMs };
  }

  /** An injected fetcher that throws is a failed fetch too: the lookup itself never throws. */
  private async fetchSafely(url: URL) {
    try {
      return await this.fetch(url, this.fetchOptions);
    } catch (e) {
      return { ok: false as const, message: e instanceof Error ? e.message : String(e) };
    }
  }
}
