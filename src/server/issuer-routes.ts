import type { IncomingMessage } from 'node:http';
import type { Socket } from 'node:net';
import type { AuditDecision } from '../audit/event.js';
import { jwksResponse, openIdConfigurationResponse, type MetadataResponse } from '../identity/discovery.js';
import { parseIssuer, type Issuer } from '../identity/issuer.js';
import type { KeyRing } from '../identity/key-ring.js';
import { mintToken, type BoundObject } from '../identity/mint-token.js';
import type { WireResponse } from '../protocol/query-response.js';
import { AwsError } from '../shared/aws-error.js';
import type { Clock } from '../shared/clock.js';
import type { IdGenerator } from '../shared/ids.js';
import type { StoreScope } from '../store/types.js';
import type { WebIdentityDeps } from '../sts/actions/assume-role-with-web-identity.js';
import type { JwksCache } from '../sts/jwks-cache.js';
import { authenticate, type AuthenticateDeps } from './authenticate.js';
import { readBody } from './body.js';
import { loadIssuerKeyRing, registerBuiltInIssuer, type IssuerSigningAlgorithm } from './data-dir.js';
import { rotateSigningKey, type RotationResult } from './rotate-signing-key.js';
import type { SealingKeyRing } from './sealing-keys.js';

/**
 * The other servers of one store (`openirsa up --workers N`, cli/up-workers.ts). Everything they share
 * lives in the store and is read from it, but for the issuer's signing keys, which each one holds in
 * memory (BuiltInIssuer): a rotation by one has to reach the others.
 */
export interface SigningKeyPeers {
  /** Says that this server rotated the signing key; resolves once every other one has dropped its copy. */
  rotated(): Promise<void>;
  /** What this server does when another one has rotated it. */
  onRotated(listener: () => void): void;
}

/** The admin route that mints service-account tokens (what `openirsa token` calls). */
export const TOKEN_ROUTE = '/_openirsa/token';
/** A token request is a small JSON object. */
const MAX_TOKEN_REQUEST_BYTES = 16 * 1024;

/** The built-in issuer as `ServerOptions.issuer` configures it. */
export interface IssuerOptions {
  /** The issuer URL (`iss`); default the server's base URL, `http://127.0.0.1:PORT`. */
  readonly url?: string;
  /** The signing keys (`openDataDir`'s `keyRing`); read from the store on first use when absent. */
  readonly keyRing?: KeyRing;
  /** The algorithm of keys this server creates (first key, rotation); RS256 by default. */
  readonly signingAlgorithm?: IssuerSigningAlgorithm;
}

export interface BuiltInIssuerDeps {
  readonly store: StoreScope;
  readonly clock: Clock;
}

/**
 * The server's own service-account issuer: its URL, its key ring, and its registration as an OIDC
 * provider of every account of the store (once per server, when the URL is first known: with the
 * default URL that is after `listen`, as the port may be chosen by the system).
 */
export class BuiltInIssuer {
  private ringPromise: Promise<KeyRing> | undefined;
  private readyPromise: Promise<{ issuer: Issuer; ring: KeyRing }> | undefined;
  private parsed: { url: string; issuer: Issuer } | undefined;
  private baseUrl: string | undefined;
  /** Rotations run one at a time. */
  private rotation: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly deps: BuiltInIssuerDeps,
    private readonly options: IssuerOptions = {},
  ) {}

  /**
   * Learns the server's base URL from the local end of a connection it accepted (the server calls
   * this for every request, so the default URL is known before any token is minted or verified).
   */
  observe(socket: Socket): void {
    if (this.baseUrl !== undefined || socket.localAddress === undefined || socket.localPort === undefined) {
      return;
    }
    const host = socket.localAddress.replace(/^::ffff:/, '');
    this.baseUrl = `http://${host.includes(':') ? `[${host}]` : host}:${socket.localPort}`;
  }

  /** The issuer URL, or `undefined` until the server has answered a request, if none is configured. */
  url(): string | undefined {
    return this.options.url ?? this.baseUrl;
  }

  /** The checked issuer, with its discovery and JWKS paths. */
  issuer(): Issuer | undefined {
    const url = this.url();
    if (url === undefined) return undefined;
    if (this.parsed?.url !== url) {
      const parsed = parseIssuer(url);
      if (!parsed.ok) throw new Error(`the issuer URL \`${url}\` is not usable: ${parsed.message}`);
      this.parsed = { url, issuer: parsed.issuer };
    }
    return this.parsed.issuer;
  }

  /** The issuer and its keys, its provider registered in every account; memoized. */
  ready(): Promise<{ issuer: Issuer; ring: KeyRing }> {
    this.readyPromise ??= this.prepare().catch((error: unknown) => {
      this.readyPromise = undefined;
      throw error;
    });
    return this.readyPromise;
  }

  /**
   * Rotates the signing key (rotate-signing-key.ts), one rotation at a time. A failed store write
   * drops the in-memory ring, so the next use loads the keys the store holds.
   */
  rotate(): Promise<RotationResult> {
    const run = this.rotation.then(async () => {
      const { ring } = await this.ready();
      try {
        return await rotateSigningKey(
          this.deps.store,
          ring,
          this.deps.clock,
          this.options.signingAlgorithm ?? 'RS256',
        );
      } catch (error) {
        if (this.options.keyRing === undefined) {
          this.ringPromise = undefined;
          this.readyPromise = undefined;
        }
        throw error;
      }
    });
    this.rotation = run.catch(() => undefined);
    return run;
  }

  /**
   * Forgets the keys held, so that the next use reads them from the store again: another server of the
   * same store has rotated them (`SigningKeyPeers`). Keys given as `keyRing` stay.
   */
  refresh(): void {
    if (this.options.keyRing !== undefined) return;
    this.ringPromise = undefined;
    this.readyPromise = undefined;
  }

  private async prepare(): Promise<{ issuer: Issuer; ring: KeyRing }> {
    const issuer = this.issuer();
    if (issuer === undefined) throw new Error('the built-in issuer has no URL: the server is not listening');
    this.ringPromise ??= this.options.keyRing
      ? Promise.resolve(this.options.keyRing)
      : loadIssuerKeyRing(this.deps.store, this.deps.clock, this.options.signingAlgorithm);
    const ring = await this.ringPromise;
    let marker: string | undefined;
    do {
      const page = await this.deps.store.accounts.list(marker !== undefined ? { marker } : {});
      for (const account of page.items) {
        await registerBuiltInIssuer(this.deps.store, account.id, issuer.url, this.deps.clock);
      }
      marker = page.marker;
    } while (marker !== undefined);
    return { issuer, ring };
  }
}

/**
 * What AssumeRoleWithWebIdentity needs from the server: its issuer, sealing keys and audit, and the
 * cache of external issuers' keys (without it, only the built-in issuer's tokens verify).
 */
export function webIdentityDeps(
  issuer: BuiltInIssuer,
  sealingKeys: () => SealingKeyRing,
  decisions: Map<string, AuditDecision>,
  externalKeys?: JwksCache,
): WebIdentityDeps {
  return {
    builtInIssuer: async () => {
      const { issuer: checked, ring } = await issuer.ready();
      return { url: checked.url, keyFor: (kid) => ring.keyFor(kid) };
    },
    sealingKey: () => sealingKeys().current(),
    recordDecision: (requestId, decision) => decisions.set(requestId, decision),
    ...(externalKeys !== undefined
      ? { externalIssuerKey: (iss: string, kid: string) => externalKeys.keyFor(iss, kid) }
      : {}),
  };
}

/** The decision an action recorded for this request (then forgotten), for its audit event. */
export function takeRecordedDecision(
  decisions: Map<string, AuditDecision>,
  requestId: string,
): AuditDecision | undefined {
  const decision = decisions.get(requestId);
  decisions.delete(requestId);
  return decision;
}

export interface IssuerRouteContext {
  readonly issuer: BuiltInIssuer;
  readonly logger: { error(message: string, fields?: Readonly<Record<string, unknown>>): void };
  readonly auth: AuthenticateDeps;
  readonly store: StoreScope;
  readonly clock: Clock;
  readonly ids: IdGenerator;
}

/**
 * Whether `handleIssuerRoute` may answer the request: the token route, or a GET/HEAD of the issuer's
 * discovery or JWKS path. Synchronous, so that the server awaits the route only when it may answer
 * (every AWS request is a "no"). Observes the socket first, as `handleIssuerRoute` does: the issuer URL
 * comes from the first request the server answers. Never throws: an issuer URL that does not parse
 * makes it a "yes", and `handleIssuerRoute` reports the error as it did.
 */
export function mayBeIssuerRoute(ctx: IssuerRouteContext, req: IncomingMessage, path: string): boolean {
  ctx.issuer.observe(req.socket);
  if (path === TOKEN_ROUTE) return true;
  const method = req.method ?? 'GET';
  if (method !== 'GET' && method !== 'HEAD') return false;
  try {
    const issuer = ctx.issuer.issuer();
    return issuer !== undefined && (path === issuer.discoveryPath || path === issuer.jwksPath);
  } catch {
    return true;
  }
}

/**
 * Answers the issuer's routes, or returns `undefined` for any other request: `GET` (and `HEAD`) of the
 * discovery document and the JWKS, exactly as kube-apiserver serves them (identity/discovery.ts), and
 * `POST /_openirsa/token`, which mints a token for the account root only (SigV4-signed).
 */
export async function handleIssuerRoute(
  ctx: IssuerRouteContext,
  req: IncomingMessage,
  path: string,
  query: string,
  requestId: string,
): Promise<WireResponse | undefined> {
  // One matcher for both: the server's synchronous check and this answer cannot disagree.
  if (!mayBeIssuerRoute(ctx, req, path)) return undefined;
  const method = req.method ?? 'GET';
  try {
    if (path === TOKEN_ROUTE) return await tokenRoute(ctx, req, method, path, query, requestId);
    // A GET or HEAD of the discovery document or the JWKS; `issuer()` throws again here when its URL
    // does not parse (mayBeIssuerRoute said "yes" for that), and the catch answers 500.
    const issuer = ctx.issuer.issuer();
    if (issuer === undefined) return undefined;
    const { ring } = await ctx.issuer.ready();
    const jwks = ring.publicJwks();
    return metadata(
      path === issuer.discoveryPath ? openIdConfigurationResponse(issuer, jwks) : jwksResponse(jwks),
    );
  } catch (error) {
    ctx.logger.error('issuer route failed with an internal error', {
      requestId,
      error: error instanceof Error ? (error.stack ?? error.message) : String(error),
    });
    return {
      status: 500,
      headers: { 'Content-Type': 'application/json', 'x-amzn-RequestId': requestId },
      body: JSON.stringify({ error: 'InternalFailure', requestId }),
    };
  }
}

function metadata(response: MetadataResponse): WireResponse {
  return {
    status: 200,
    headers: { 'Content-Type': response.contentType, 'Cache-Control': response.cacheControl },
    body: response.body,
  };
}

interface TokenRouteInput {
  readonly namespace: string;
  readonly serviceAccount: string;
  readonly audience?: string;
  readonly expirationSeconds?: number;
  readonly pod?: string;
  /** The bound pod's uid, so that a rotated token names the same pod (as the kubelet's do). */
  readonly podUid?: string;
}

async function tokenRoute(
  ctx: IssuerRouteContext,
  req: IncomingMessage,
  method: string,
  path: string,
  query: string,
  requestId: string,
): Promise<WireResponse> {
  const answer = (status: number, body: unknown, extra: Record<string, string> = {}): WireResponse => ({
    status,
    headers: { 'Content-Type': 'application/json', 'x-amzn-RequestId': requestId, ...extra },
    body: JSON.stringify(body),
  });
  if (method !== 'POST') return answer(405, { error: 'use POST' }, { Allow: 'POST' });
  const body = await readBody(req, MAX_TOKEN_REQUEST_BYTES);
  if (!body.ok) {
    return answer(413, { error: `the request body is larger than ${MAX_TOKEN_REQUEST_BYTES} bytes` });
  }
  try {
    const caller = await authenticate(
      { method, path, query, headers: req.headersDistinct, body: body.body },
      ctx.auth,
    );
    if (caller.kind !== 'root') {
      return answer(403, {
        error: 'AccessDenied',
        message: `only the account root may mint tokens, not \`${caller.kind === 'anonymous' ? 'anonymous' : caller.arn}\``,
      });
    }
  } catch (error) {
    if (error instanceof AwsError) {
      return answer(error.status, { error: error.code, message: error.message });
    }
    throw error;
  }
  const parsed = readTokenInput(body.body.toString('utf8'));
  if (typeof parsed === 'string') return answer(400, { error: 'InvalidRequest', message: parsed });

  const { issuer, ring } = await ctx.issuer.ready();
  const now = ctx.clock.now();
  let sa = await ctx.store.serviceAccounts.get(parsed.namespace, parsed.serviceAccount);
  // A service account first seen here gets a fixed uid; a known one keeps its uid and annotations.
  sa ??= await ctx.store.serviceAccounts.upsert({
    namespace: parsed.namespace,
    name: parsed.serviceAccount,
    annotations: {},
    uid: uuid(ctx.ids.bytes(16)),
    at: now,
  });
  const boundObject: BoundObject | undefined =
    parsed.pod !== undefined
      ? { kind: 'Pod', name: parsed.pod, uid: parsed.podUid ?? uuid(ctx.ids.bytes(16)) }
      : undefined;
  const minted = mintToken(
    {
      serviceAccount: { namespace: sa.namespace, name: sa.name, uid: sa.uid },
      audiences: [parsed.audience ?? 'sts.amazonaws.com'],
      ...(parsed.expirationSeconds !== undefined ? { expirationSeconds: parsed.expirationSeconds } : {}),
      ...(boundObject !== undefined ? { boundObject } : {}),
    },
    { issuer, signer: ring, clock: ctx.clock, ids: ctx.ids },
  );
  if (!minted.ok) return answer(400, { error: 'InvalidRequest', message: minted.message });
  return answer(200, { token: minted.token, expiration: minted.expirationTimestamp });
}

/** The token request, or what is wrong with it (our own wording: no AWS API has this route). */
function readTokenInput(text: string): TokenRouteInput | string {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return 'the request body is not JSON';
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    return 'the request body must be a JSON object';
  }
  const v = value as Record<string, unknown>;
  for (const key of ['namespace', 'serviceAccount'] as const) {
    if (typeof v[key] !== 'string' || v[key] === '') return `\`${key}\` must be a non-empty string`;
  }
  for (const key of ['audience', 'pod'] as const) {
    if (v[key] !== undefined && (typeof v[key] !== 'string' || v[key] === '')) {
      return `\`${key}\` must be a non-empty string when given`;
    }
  }
  if (
    v.podUid !== undefined &&
    (typeof v.podUid !== 'string' || typeof v.pod !== 'string' || !/^[0-9a-f-]{36}$/.test(v.podUid))
  ) {
    return '`podUid` must be a lower-case UUID, and only with `pod`';
  }
  const exp = v.expirationSeconds;
  if (exp !== undefined && (typeof exp !== 'number' || !Number.isSafeInteger(exp))) {
    return '`expirationSeconds` must be an integer number of seconds when given';
  }
  return {
    namespace: v.namespace as string,
    serviceAccount: v.serviceAccount as string,
    ...(typeof v.audience === 'string' ? { audience: v.audience } : {}),
    ...(typeof exp === 'number' ? { expirationSeconds: exp } : {}),
    ...(typeof v.pod === 'string' ? { pod: v.pod } : {}),
    ...(typeof v.podUid === 'string' ? { podUid: v.podUid } : {}),
  };
}

/** An RFC 9562 version-4 UUID, as Kubernetes gives objects. */
function uuid(random: Buffer): string {
  const b = Buffer.from(random.subarray(0, 16));
  b[6] = (b[6]! & 0x0f) | 0x40;
  b[8] = (b[8]! & 0x3f) | 0x80;
  const hex = b.toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}
