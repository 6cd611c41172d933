import type { Clock } from '../shared/clock.js';
import type { IdGenerator } from '../shared/ids.js';
import { isoSecond } from '../shared/iso-second.js';
import type { Issuer } from './issuer.js';
import {
  SESSION_TAGS_CLAIM,
  sessionTagsClaim,
  type SessionTags,
  type SessionTagsClaim,
} from './session-tags.js';
import { signJws } from './sign-jws.js';
import type { SigningKey } from './signing-key.js';
import type { SigningAlgorithm } from './jws-algorithms.js';

/** TokenRequest `spec.expirationSeconds` when not given (`SetDefaults_TokenRequestSpec`: one hour). */
export const DEFAULT_EXPIRATION_SECONDS = 3600;
/** `MinTokenAgeSec` in kubernetes `pkg/apis/authentication/validation`: 10 minutes. */
export const MIN_EXPIRATION_SECONDS = 600;
/** The same validation's upper bound: 2^32 seconds. */
export const MAX_EXPIRATION_SECONDS = 2 ** 32;
/** kube-apiserver refuses a `--service-account-max-token-expiration` outside [1 hour, 2^32 s]. */
export const MIN_TOKEN_EXPIRATION_CAP_SECONDS = 3600;
export const MAX_TOKEN_EXPIRATION_CAP_SECONDS = 2 ** 32;

/** What signs tokens: the key ring's active key and its lifetime cap. */
export interface TokenSigner {
  activeKey(): SigningKey;
  /** Requests for longer tokens are shortened to this (kube's `--service-account-max-token-expiration`). */
  readonly maxTokenLifetimeSeconds: number;
}

/** `{name, uid}` of a Kubernetes object, the `ref` of `pkg/serviceaccount/claims.go`. */
export interface ObjectRef {
  readonly name: string;
  /** Omitted from the token when empty, as Go's `omitempty` does. */
  readonly uid?: string;
}

export interface ServiceAccountRef extends ObjectRef {
  readonly namespace: string;
}

/**
 * The object a token is bound to (TokenRequest `spec.boundObjectRef`). A pod-bound token also names the
 * pod's node when known (feature `ServiceAccountTokenPodNodeInfo`, on by default since 1.30): the node
 * name from `spec.nodeName`, its uid only if the Node object exists.
 */
export type BoundObject =
  | { readonly kind: 'Pod'; readonly name: string; readonly uid?: string; readonly node?: ObjectRef }
  | { readonly kind: 'Secret'; readonly name: string; readonly uid?: string }
  | { readonly kind: 'Node'; readonly name: string; readonly uid?: string };

export interface TokenRequest {
  readonly serviceAccount: ServiceAccountRef;
  /** `spec.audiences`; empty or absent means the API audiences (`MintContext.apiAudiences`). */
  readonly audiences?: readonly string[];
  /** `spec.expirationSeconds`; 3600 when absent. */
  readonly expirationSeconds?: number;
  readonly boundObject?: BoundObject;
  /** Not Kubernetes: adds the `https://aws.amazon.com/tags` claim (irsa-wire.md §4.4). */
  readonly sessionTags?: SessionTags;
}

export interface MintContext {
  readonly issuer: Issuer;
  readonly signer: TokenSigner;
  readonly clock: Clock;
  readonly ids: IdGenerator;
  /** kube-apiserver's `--api-audiences`, used when a request names none; defaults to the issuer URL. */
  readonly apiAudiences?: readonly string[];
}

export type ObjectRefClaim = { readonly name: string; readonly uid?: string };

/** The `kubernetes.io` private claim (`privateClaims` in `pkg/serviceaccount/claims.go`). */
export type KubernetesClaim = {
  readonly namespace: string;
  readonly serviceaccount: ObjectRefClaim;
  readonly pod?: ObjectRefClaim;
  readonly secret?: ObjectRefClaim;
  readonly node?: ObjectRefClaim;
};

/** The claim set of a service-account token, member for member what kube-apiserver writes. */
export type ServiceAccountClaims = {
  readonly aud: readonly string[];
  readonly exp: number;
  readonly iat: number;
  readonly iss: string;
  readonly jti: string;
  readonly 'kubernetes.io': KubernetesClaim;
  readonly nbf: number;
  readonly sub: string;
  readonly [SESSION_TAGS_CLAIM]?: SessionTagsClaim;
};

export interface MintedToken {
  readonly token: string;
  readonly header: { readonly alg: SigningAlgorithm; readonly kid: string };
  readonly claims: ServiceAccountClaims;
  /** The lifetime actually granted, after shortening to the signer's cap. */
  readonly expirationSeconds: number;
  /** TokenRequest `status.expirationTimestamp`: RFC 3339, whole seconds, `Z`. */
  readonly expirationTimestamp: string;
  /** API warnings kube-apiserver would send (`Warning` headers), e.g. a shortened expiration. */
  readonly warnings: readonly string[];
}

export type MintFailureCode =
  | 'invalidExpiration'
  | 'invalidServiceAccount'
  | 'invalidBoundObject'
  | 'invalidAudience'
  | 'invalidSessionTags';

export type MintResult =
  | ({ readonly ok: true } & MintedToken)
  | { readonly ok: false; readonly code: MintFailureCode; readonly message: string };

/** RFC 1123 label (namespace names) and subdomain (service account, pod, secret, node names). */
const DNS_LABEL = /^[a-z0-9](?:[-a-z0-9]*[a-z0-9])?$/;
const DNS_SUBDOMAIN = /^[a-z0-9](?:[-a-z0-9]*[a-z0-9])?(?:\.[a-z0-9](?:[-a-z0-9]*[a-z0-9])?)*$/;

/**
 * Mints a service-account token the way kube-apiserver answers a TokenRequest
 * (`pkg/registry/core/serviceaccount/storage/token.go`, `pkg/serviceaccount/claims.go`, `jwt.go`):
 * header `{"alg","kid"}` and no `typ` (go-jose's signer with no options); claims `iss`, `sub` =
 * `system:serviceaccount:NS:NAME`, `aud` always an array (go-jose.v2's `Audience` has no single-string
 * form), `iat` = `nbf` = now in whole seconds (no back-dating), `exp` = now + expirationSeconds, `jti` a
 * random UUIDv4 (feature `ServiceAccountTokenJTI`, on by default since 1.30), and `kubernetes.io` with the
 * namespace, the service account and the bound object. Expiration below 600 s or above 2^32 s is refused
 * with Kubernetes' validation message; above the signer's cap it is shortened, with kube's warning.
 *
 * Not reproduced: the "extended expiration" kube applies to 3607-second tokens for its own audiences
 * (`warnafter`, irsa-wire.md §1.4), which never happens to IRSA tokens (audience sts.amazonaws.com).
 */
export function mintToken(request: TokenRequest, ctx: MintContext): MintResult {
  const sa = request.serviceAccount;
  if (!isName(sa.namespace, DNS_LABEL, 63)) {
    return fail(
      'invalidServiceAccount',
      `namespace \`${clip(sa.namespace)}\` is not an RFC 1123 label (${LABEL_RULE})`,
    );
  }
  if (!isName(sa.name, DNS_SUBDOMAIN, 253)) {
    return fail(
      'invalidServiceAccount',
      `service account name \`${clip(sa.name)}\` is not an RFC 1123 subdomain (${SUBDOMAIN_RULE})`,
    );
  }
  const bound = boundClaims(request.boundObject);
  if (!bound.ok) return bound;

  const expiration = resolveExpiration(request.expirationSeconds, ctx.signer.maxTokenLifetimeSeconds);
  if (!expiration.ok) return expiration;

  const audiences = request.audiences?.length ? request.audiences : (ctx.apiAudiences ?? [ctx.issuer.url]);
  if (audiences.length === 0 || audiences.some((a) => typeof a !== 'string' || a === '')) {
    return fail('invalidAudience', 'every audience must be a non-empty string');
  }

  let tags: SessionTagsClaim | undefined;
  if (request.sessionTags !== undefined) {
    const built = sessionTagsClaim(request.sessionTags);
    if (!built.ok) return fail('invalidSessionTags', built.message);
    tags = built.claim;
  }

  const key = ctx.signer.activeKey();
  // NumericDate: whole seconds, truncated (go-jose `NewNumericDate` uses `time.Unix()`).
  const now = Math.floor(ctx.clock.now() / 1000);
  const claims: ServiceAccountClaims = {
    aud: [...audiences],
    exp: now + expiration.seconds,
    iat: now,
    iss: ctx.issuer.url,
    jti: uuidV4(ctx.ids.bytes(16)),
    'kubernetes.io': {
      namespace: sa.namespace,
      serviceaccount: ref(sa),
      ...bound.claims,
    },
    nbf: now,
    sub: `system:serviceaccount:${sa.namespace}:${sa.name}`,
    ...(tags !== undefined ? { [SESSION_TAGS_CLAIM]: tags } : {}),
  };
  const header = { alg: key.alg, kid: key.kid };
  return {
    ok: true,
    token: signJws(header, claims, key.privateKey, key.alg),
    header,
    claims,
    expirationSeconds: expiration.seconds,
    expirationTimestamp: isoSecond(claims.exp * 1000),
    warnings: expiration.warnings,
  };
}

type Expiration =
  | { readonly ok: true; readonly seconds: number; readonly warnings: readonly string[] }
  | { readonly ok: false; readonly code: 'invalidExpiration'; readonly message: string };

function resolveExpiration(requested: number | undefined, cap: number): Expiration {
  const seconds = requested ?? DEFAULT_EXPIRATION_SECONDS;
  if (!Number.isSafeInteger(seconds)) {
    return fail(
      'invalidExpiration',
      `\`expirationSeconds\` must be a whole number of seconds, found \`${seconds}\``,
    );
  }
  // The messages of kubernetes `ValidateTokenRequest` (a field.Invalid error on spec.expirationSeconds).
  if (seconds < MIN_EXPIRATION_SECONDS) {
    return fail(
      'invalidExpiration',
      `spec.expirationSeconds: Invalid value: ${seconds}: may not specify a duration less than 10 minutes`,
    );
  }
  if (seconds > MAX_EXPIRATION_SECONDS) {
    return fail(
      'invalidExpiration',
      `spec.expirationSeconds: Invalid value: ${seconds}: may not specify a duration larger than 2^32 seconds`,
    );
  }
  if (seconds > cap) {
    // token.go: shortened to --service-account-max-token-expiration, with this API warning.
    return {
      ok: true,
      seconds: cap,
      warnings: [`requested expiration of ${seconds} seconds shortened to ${cap} seconds`],
    };
  }
  return { ok: true, seconds, warnings: [] };
}

type BoundClaims =
  | { readonly ok: true; readonly claims: Pick<KubernetesClaim, 'pod' | 'secret' | 'node'> }
  | { readonly ok: false; readonly code: 'invalidBoundObject'; readonly message: string };

function boundClaims(bound: BoundObject | undefined): BoundClaims {
  if (bound === undefined) return { ok: true, claims: {} };
  const names: ObjectRef[] = [bound, ...(bound.kind === 'Pod' && bound.node ? [bound.node] : [])];
  for (const r of names) {
    if (!isName(r.name, DNS_SUBDOMAIN, 253)) {
      return fail(
        'invalidBoundObject',
        `bound object name \`${clip(r.name)}\` is not an RFC 1123 subdomain (${SUBDOMAIN_RULE})`,
      );
    }
  }
  switch (bound.kind) {
    case 'Pod':
      return { ok: true, claims: { pod: ref(bound), ...(bound.node ? { node: ref(bound.node) } : {}) } };
    case 'Secret':
      return { ok: true, claims: { secret: ref(bound) } };
    case 'Node':
      return { ok: true, claims: { node: ref(bound) } };
  }
}

function ref(r: ObjectRef): ObjectRefClaim {
  return r.uid ? { name: r.name, uid: r.uid } : { name: r.name };
}

/** RFC 9562 §5.4: version 4 in the high nibble of octet 6, variant 10 in the top bits of octet 8. */
function uuidV4(random: Buffer): string {
  if (random.length !== 16) throw new TypeError('a UUID needs 16 random bytes');
  const b = Buffer.from(random);
  b[6] = ((b[6] ?? 0) & 0x0f) | 0x40;
  b[8] = ((b[8] ?? 0) & 0x3f) | 0x80;
  const hex = b.toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

const LABEL_RULE = 'at most 63 lower-case letters, digits or `-`, starting and ending with a letter or digit';
const SUBDOMAIN_RULE =
  'at most 253 characters: lower-case letters, digits, `-` and `.`, each part starting and ending with a letter or digit';

function isName(s: unknown, pattern: RegExp, max: number): boolean {
  return typeof s === 'string' && s.length <= max && pattern.test(s);
}

function clip(s: unknown): string {
  const text = String(s);
  return text.length > 64 ? `${text.slice(0, 64)}…` : text;
}

function fail<C extends MintFailureCode>(
  code: C,
  message: string,
): { readonly ok: false; readonly code: C; readonly message: string } {
  return { ok: false, code, message };
}
