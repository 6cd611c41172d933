import { constants, verify, type KeyObject, type VerifyKeyObjectInput } from 'node:crypto';
import type { Clock } from '../shared/clock.js';
import { isoSecond } from '../shared/iso-second.js';
import {
  decodeJwt,
  type DecodedJwt,
  type DecodeJwtFailureCode,
  type JwsHeader,
  type JwtClaims,
} from './decode-jwt.js';
import {
  EC_COORDINATE_BYTES,
  JWS_ALGORITHMS,
  algorithmSpec,
  isJwsAlgorithm,
  keyProblem,
  type JwsAlgorithm,
} from './jws-algorithms.js';
import { threadpoolChecker, type SealRequest, type SignatureChecker } from './signature-worker.js';

/**
 * Clock-skew leeway for `exp`, `nbf` and `iat`: go-jose's `jwt.DefaultLeeway` (1 minute), which
 * kube-apiserver applies to service-account tokens (irsa-wire.md §1.3). What AWS STS allows is not
 * documented (irsa-wire.md §9.3); STS passes its own value.
 */
export const DEFAULT_LEEWAY_SECONDS = 60;

/** A key to check a signature with, as a JWKS entry gives it: the public key and, if stated, its `alg`. */
export interface VerificationKey {
  readonly publicKey: KeyObject;
  /** The JWK's `alg`; when present the token's `alg` must equal it (RFC 7517 §4.4). */
  readonly alg?: JwsAlgorithm;
}

export type VerifyJwtFailureCode =
  | DecodeJwtFailureCode
  | 'unsupportedAlgorithm'
  | 'missingKid'
  | 'unknownKid'
  | 'keyMismatch'
  | 'invalidSignature'
  | 'expired'
  | 'notYetValid'
  | 'issuedInFuture';

export interface VerifyJwtOptions {
  /** The issuer's key for a `kid`, or `undefined` when it has none by that id. */
  readonly keyFor: (kid: string) => VerificationKey | undefined;
  readonly clock: Clock;
  /** Seconds of clock skew tolerated on `exp`, `nbf` and `iat`; default 60. */
  readonly leewaySeconds?: number;
  /** A subset of RS256/384/512, ES256/384/512 to accept; all six by default. */
  readonly algorithms?: readonly JwsAlgorithm[];
  /** Default `MAX_TOKEN_LENGTH` (20000, STS's limit). */
  readonly maxLength?: number;
  /**
   * Where `verifyDecodedJwtAsync` checks the signature: default `crypto.verify` in libuv's threadpool
   * (`threadpoolChecker`); STS passes its `SignatureWorker`. The synchronous variants ignore it.
   */
  readonly signatures?: SignatureChecker;
}

export type VerifiedJwt = {
  readonly header: JwsHeader & { readonly alg: JwsAlgorithm; readonly kid: string };
  readonly claims: JwtClaims;
};

export type VerifyJwtResult =
  | ({ readonly ok: true } & VerifiedJwt)
  | { readonly ok: false; readonly code: VerifyJwtFailureCode; readonly message: string };

/**
 * Verifies a signed JWT as STS must before it trusts any claim (irsa-wire.md §5.7 steps 3, 6 and 7;
 * DESIGN.md "Security stance"): structure (`decodeJwt`), an allowed asymmetric algorithm, a `kid` the
 * issuer knows, a key of the right type for the algorithm, the signature, then `exp` (required),
 * `nbf` and `iat`. The key comes only from `keyFor`: header members that point at keys (`jku`, `jwk`,
 * `x5u`, `x5c`) are never followed. `iss` and `aud` are the caller's to check on the returned claims.
 * Never throws on a bad token, and no failure message quotes the token.
 */
export function verifyJwt(token: string, options: VerifyJwtOptions): VerifyJwtResult {
  const decoded = decodeJwt(token, options.maxLength !== undefined ? { maxLength: options.maxLength } : {});
  if (!decoded.ok) return decoded;
  return verifyDecodedJwt(decoded, options);
}

/**
 * `verifyJwt` for a token the caller has already taken apart with `decodeJwt` (STS reads `iss` first,
 * to find the issuer's keys): every check after the structure's, without decoding the token twice.
 */
export function verifyDecodedJwt(decoded: DecodedJwt, options: VerifyJwtOptions): VerifyJwtResult {
  const checked = checkBeforeSignature(decoded, options);
  if (!checked.ok) return checked;
  if (!hasValidSignature(decoded.signingInput, decoded.signature, checked.key, checked.alg)) {
    return fail('invalidSignature', `the signature does not verify with key \`${clip(checked.kid)}\``);
  }
  return checkedTimes(decoded, options, checked.leeway);
}

/**
 * `verifyDecodedJwt` with the signature checked off the calling thread (`options.signatures`; by
 * default `crypto.verify` with a callback, in libuv's threadpool): the same checks in the same order,
 * the same answers and messages. A server whose main thread is its bottleneck hands the one expensive
 * step (an RSA or ECDSA verification, tens of µs) to another core; the rest stays synchronous. The clock is read after the
 * signature is known to be good, as `verifyDecodedJwt` reads it.
 */
export async function verifyDecodedJwtAsync(
  decoded: DecodedJwt,
  options: VerifyJwtOptions & {
    /**
     * A plaintext to seal if, and only if, the signature is valid, where the signature was checked (a
     * `SignatureChecker` with `checkAndSeal`): STS's session, sealed in its signature worker rather than
     * on the main thread. The result's `sealed` is the token, or undefined when the checker did not seal
     * it (the caller seals it then) or the token failed.
     */
    readonly seal?: SealRequest;
  },
): Promise<VerifyJwtResult & { readonly sealed?: string }> {
  const checked = checkBeforeSignature(decoded, options);
  if (!checked.ok) return checked;
  const { signingInput, signature } = decoded;
  const signatures = options.signatures ?? threadpoolChecker;
  const call = verifyCall(signature, checked.key, checked.alg);
  let valid = false;
  let sealed: string | undefined;
  if (call !== undefined && options.seal !== undefined && signatures.checkAndSeal !== undefined) {
    ({ valid, sealed } = await signatures.checkAndSeal(
      call.hash,
      signingInput,
      call.key,
      signature,
      options.seal,
    ));
  } else if (call !== undefined) {
    valid = await signatures.check(call.hash, signingInput, call.key, signature);
  }
  if (!valid) {
    return fail('invalidSignature', `the signature does not verify with key \`${clip(checked.kid)}\``);
  }
  const result = checkedTimes(decoded, options, checked.leeway);
  return result.ok && sealed !== undefined ? { ...result, sealed } : result;
}

type Checked =
  | {
      readonly ok: true;
      readonly key: KeyObject;
      readonly alg: JwsAlgorithm;
      readonly kid: string;
      readonly leeway: number;
    }
  | { readonly ok: false; readonly code: VerifyJwtFailureCode; readonly message: string };

/** Every check before the signature's: the leeway option, `crit`, the algorithm, the `kid`, the key. */
function checkBeforeSignature(decoded: DecodedJwt, options: VerifyJwtOptions): Checked {
  const leeway = options.leewaySeconds ?? DEFAULT_LEEWAY_SECONDS;
  if (!Number.isFinite(leeway) || leeway < 0) {
    throw new TypeError(`leewaySeconds must be a non-negative number, got ${String(leeway)}`);
  }
  const { header } = decoded;

  // RFC 7515 §4.1.11: extensions listed in `crit` must be understood or the JWS rejected; we know none.
  if (header.crit !== undefined) {
    return fail('invalidHeader', 'the header lists critical extensions (`crit`), and none is supported here');
  }
  const alg = header.alg;
  const allowed = options.algorithms ?? JWS_ALGORITHMS;
  if (!isJwsAlgorithm(alg) || !allowed.includes(alg))
    return fail('unsupportedAlgorithm', algorithmMessage(alg, allowed));

  // Decision: no `kid`, no verification. kube-apiserver (and irsa-wire.md §5.7 for STS) would try every
  // key instead; but every token kube-apiserver has minted since 1.16 carries a `kid`, and trying all
  // keys turns one bad token into N signature checks. Accepting kid-less tokens would need an option
  // here; none is offered until an issuer that needs it turns up.
  if (header.kid === undefined) {
    return fail('missingKid', 'the header has no `kid`, so no key of the issuer can be chosen');
  }
  const kid = header.kid;
  const key = options.keyFor(kid);
  if (key === undefined) return fail('unknownKid', `the issuer has no key with kid \`${clip(kid)}\``);
  if (key.publicKey.type !== 'public') throw new TypeError('keyFor must return public keys');
  if (key.alg !== undefined && key.alg !== alg) {
    return fail(
      'keyMismatch',
      `key \`${clip(kid)}\` is for ${key.alg}, but the token says ${alg} (RFC 7517 §4.4)`,
    );
  }
  const problem = keyProblem(key.publicKey, alg);
  if (problem !== undefined)
    return fail('keyMismatch', `key \`${clip(kid)}\` cannot verify this token: ${problem}`);
  return { ok: true, key: key.publicKey, alg, kid, leeway };
}

/** The time checks, on a token whose signature verified. */
function checkedTimes(decoded: DecodedJwt, options: VerifyJwtOptions, leeway: number): VerifyJwtResult {
  const times = checkTimes(decoded.claims, options.clock.now() / 1000, leeway);
  if (times !== undefined) return times;
  return { ok: true, header: decoded.header as VerifiedJwt['header'], claims: decoded.claims };
}

/** The hash and key options `crypto.verify` is called with. */
type VerifyCall = {
  readonly hash: string;
  readonly key: VerifyKeyObjectInput;
};

/** How to check `signature` for `alg`, or `undefined` when its length already rules it out. */
function verifyCall(signature: Buffer, publicKey: KeyObject, alg: JwsAlgorithm): VerifyCall | undefined {
  const spec = algorithmSpec(alg);
  if (spec.kty === 'RSA') {
    // RFC 8017 §8.2.2 step 1: a signature that is not exactly k octets long is invalid.
    const k = Math.ceil((publicKey.asymmetricKeyDetails?.modulusLength ?? 0) / 8);
    if (signature.length !== k) return undefined;
    return { hash: spec.hash, key: { key: publicKey, padding: constants.RSA_PKCS1_PADDING } };
  }
  // RFC 7518 §3.4: R || S, each exactly the curve's size; node reads that form as `ieee-p1363`.
  if (spec.crv === undefined || signature.length !== 2 * EC_COORDINATE_BYTES[spec.crv]) return undefined;
  return { hash: spec.hash, key: { key: publicKey, dsaEncoding: 'ieee-p1363' } };
}

function hasValidSignature(
  signingInput: string,
  signature: Buffer,
  publicKey: KeyObject,
  alg: JwsAlgorithm,
): boolean {
  const call = verifyCall(signature, publicKey, alg);
  if (call === undefined) return false;
  try {
    return verify(call.hash, Buffer.from(signingInput, 'ascii'), call.key, signature);
  } catch {
    return false;
  }
}

function checkTimes(
  claims: JwtClaims,
  now: number,
  leeway: number,
): { ok: false; code: VerifyJwtFailureCode; message: string } | undefined {
  const { exp, nbf, iat } = claims;
  // RFC 7519 §2 NumericDate: a JSON number of seconds; STS requires integers or longs, any number reads.
  for (const [name, value] of [
    ['exp', exp],
    ['nbf', nbf],
    ['iat', iat],
  ] as const) {
    if (value !== undefined && (typeof value !== 'number' || !Number.isFinite(value))) {
      return fail('invalidClaims', `the \`${name}\` claim must be a number of seconds since the epoch`);
    }
  }
  if (typeof exp !== 'number')
    return fail('invalidClaims', 'the token has no `exp` claim, and one is required');
  // RFC 7519 §4.1.4: "the current date/time MUST be before the expiration date/time".
  if (now >= exp + leeway) {
    return fail('expired', `the token expired at ${date(exp)}; it is now ${date(now)} (leeway ${leeway} s)`);
  }
  // RFC 7519 §4.1.5: "the current date/time MUST be after or equal to the not-before date/time".
  if (typeof nbf === 'number' && now + leeway < nbf) {
    return fail(
      'notYetValid',
      `the token is not valid before ${date(nbf)}; it is now ${date(now)} (leeway ${leeway} s)`,
    );
  }
  // go-jose's ErrIssuedInTheFuture, which kube-apiserver also applies.
  if (typeof iat === 'number' && iat > now + leeway) {
    return fail(
      'issuedInFuture',
      `the token was issued in the future, at ${date(iat)}; it is now ${date(now)}`,
    );
  }
  return undefined;
}

function algorithmMessage(alg: string, allowed: readonly JwsAlgorithm[]): string {
  if (alg.toLowerCase() === 'none') return '`alg: none` (an unsecured JWS) is never accepted';
  if (/^HS\d+$/i.test(alg)) {
    return `HMAC algorithm \`${clip(alg)}\` is never accepted: a shared secret cannot be published in a JWKS`;
  }
  if (isJwsAlgorithm(alg))
    return `algorithm ${alg} is not allowed here; expected one of ${allowed.join(', ')}`;
  return `algorithm \`${clip(alg)}\` is not supported; expected one of ${allowed.join(', ')}`;
}

function date(seconds: number): string {
  const ms = seconds * 1000;
  return Math.abs(ms) <= 8.64e15 ? isoSecond(Math.floor(ms / 1000) * 1000) : `${seconds}`;
}

function clip(s: string): string {
  return s.length > 64 ? `${s.slice(0, 64)}…` : s;
}

function fail(
  code: VerifyJwtFailureCode,
  message: string,
): { ok: false; code: VerifyJwtFailureCode; message: string } {
  return { ok: false, code, message };
}
