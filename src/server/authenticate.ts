import { AwsError } from '../shared/aws-error.js';
import type { Clock } from '../shared/clock.js';
import { rootArn, assumedRoleArn, type Caller } from '../iam/caller.js';
import { parseAuthorization, type ParseAuthorizationResult } from '../sigv4/parse-authorization.js';
import type { SigningKeyCache } from '../sigv4/signing-key-cache.js';
import type { SigV4Failure } from '../sigv4/failures.js';
import type { ParsedAuthorization, SigV4Request } from '../sigv4/types.js';
import { verifyRequest, type VerifiedRequest } from '../sigv4/verify-request.js';
import type { AccessKeyStore } from '../store/access-keys.js';
import { isRoleSession, openSession, sealingKeyId, type SealedSession } from '../sts/session-token.js';
import { EXPIRED_TOKEN_MESSAGE, queryAuthError } from './query-auth-error.js';
import type { OpenedSessions } from './opened-sessions.js';
import type { SealingKeyRing } from './sealing-keys.js';

export interface AuthenticateDeps {
  readonly accessKeys: AccessKeyStore;
  readonly sealingKeys: SealingKeyRing;
  readonly clock: Clock;
  readonly signingKeys: SigningKeyCache;
  /** Session tokens already opened (opened-sessions.ts); without it every request opens its token. */
  readonly openedSessions?: OpenedSessions;
}

/** The partition this server's ARNs name. */
const PARTITION = 'aws';

/** Whether the request carries SigV4 authentication at all (header or presigned query). */
export function hasAuthentication(request: SigV4Request): boolean {
  const parsed = parseAuthorization(request.headers, request.query);
  return parsed.ok || parsed.failure.code !== 'MissingAuthentication';
}

/** How a protocol words authentication failures: awsQuery's (the default) or S3's. */
export interface AuthErrors {
  failure(failure: SigV4Failure): AwsError;
  /** A session whose credentials have expired, said only once the signature has verified. */
  expired(): AwsError;
}

const QUERY_AUTH_ERRORS: AuthErrors = {
  failure: queryAuthError,
  expired: () => new AwsError('ExpiredToken', 400, EXPIRED_TOKEN_MESSAGE),
};

/** Who sent a verified request, and what the verification found (S3's condition keys need it). */
export interface Authenticated {
  readonly caller: Caller;
  readonly verified: VerifiedRequest;
}

/**
 * Verifies a SigV4 request and says who sent it, or throws the awsQuery `AwsError` AWS answers with.
 * Long-term keys (`AKIA...`) come from the store; temporary ones (`ASIA...`) are opened from their
 * session token with the server's sealing keys, without a session table (DESIGN.md). A token that does
 * not open, or was issued for another key id, makes the key unknown: `InvalidClientTokenId`. An
 * expired session is `ExpiredToken`, said only once the signature has verified.
 */
export async function authenticate(
  request: SigV4Request,
  deps: AuthenticateDeps,
  parsed?: ParseAuthorizationResult,
): Promise<Caller> {
  return (await authenticateRequest(request, deps, QUERY_AUTH_ERRORS, parsed)).caller;
}

/**
 * `authenticate`, with the errors of the request's protocol, returning the verification too. Not an
 * `async` function: a session whose token this server opened before (nearly every request with
 * temporary credentials) resolves its key without waiting, and then the answer is one settled promise,
 * not a chain of four async calls, each a promise and a turn of the microtask queue.
 */
export function authenticateRequest(
  request: SigV4Request,
  deps: AuthenticateDeps,
  errors: AuthErrors = QUERY_AUTH_ERRORS,
  /** `parseAuthorization(request.headers, request.query)`, when the caller has it already. */
  preParsed?: ParseAuthorizationResult,
): Promise<Authenticated> {
  try {
    const parsed = preParsed ?? parseAuthorization(request.headers, request.query);
    if (!parsed.ok) throw errors.failure(parsed.failure);
    const auth = parsed.auth;
    const resolving = resolveKey(auth, deps);
    if (resolving instanceof Promise) {
      return resolving.then((resolved) => verifiedCaller(request, deps, errors, auth, resolved));
    }
    return Promise.resolve(verifiedCaller(request, deps, errors, auth, resolving));
  } catch (error) {
    // Whatever is thrown rejects the promise, as in an async function, wrapped in an Error if it is not one.
    return Promise.reject(error instanceof Error ? error : new Error(String(error)));
  }
}

/** The signature checked with the resolved key, then the session's expiry; throws the protocol's error. */
function verifiedCaller(
  request: SigV4Request,
  deps: AuthenticateDeps,
  errors: AuthErrors,
  auth: ParsedAuthorization,
  resolved: ResolvedKey | undefined,
): Authenticated {
  const now = deps.clock.now();
  const verified = verifyRequest(request, {
    auth,
    now,
    signingKeys: deps.signingKeys,
    secretFor: () => resolved?.secret,
  });
  if (!verified.ok) throw errors.failure(verified.failure);
  // INVARIANT: verification succeeded, so `secretFor` returned a secret, so `resolved` is set.
  if (resolved === undefined) throw new TypeError('verified a request without a resolved key');
  if (now >= (expiryOf(resolved.caller) ?? Infinity)) throw errors.expired();
  return { caller: resolved.caller, verified };
}

interface ResolvedKey {
  readonly secret: string;
  readonly caller: Caller;
}

/**
 * The secret and caller of the request's access key, or `undefined` for an unknown one: at once for a
 * session token this server opened before (OpenedSessions), else once the store or the sealing key
 * ring has answered.
 */
function resolveKey(
  auth: ParsedAuthorization,
  deps: AuthenticateDeps,
): ResolvedKey | undefined | Promise<ResolvedKey | undefined> {
  if (auth.accessKeyId.startsWith('ASIA')) {
    const token = auth.sessionToken;
    if (token === undefined) return undefined;
    const cached = deps.openedSessions?.get(token);
    if (cached !== undefined) {
      // The access key id is sealed into the token: a token works only with the key it was issued with.
      return cached.accessKeyId === auth.accessKeyId ? sessionKey(auth, cached) : undefined;
    }
    return openSessionToken(auth, deps.sealingKeys, deps.openedSessions).then((context) =>
      context === undefined ? undefined : sessionKey(auth, context),
    );
  }
  return longTermKey(auth, deps);
}

function sessionKey(auth: ParsedAuthorization, context: SealedSession): ResolvedKey | undefined {
  // GetSessionToken credentials "cannot call any IAM API operations unless MFA authentication
  // information is included" (STS API Reference, GetSessionToken); IAM then answers
  // InvalidClientTokenId, as if the key were unknown (cloudyr/aws.iam#15, aws/aws-sdk-js#460).
  // openirsa has no MFA, so IAM never accepts them.
  if (!isRoleSession(context) && auth.scope.service === 'iam') return undefined;
  return { secret: context.secretAccessKey, caller: callerOfSession(context) };
}

async function longTermKey(
  auth: ParsedAuthorization,
  deps: AuthenticateDeps,
): Promise<ResolvedKey | undefined> {
  const key = await deps.accessKeys.get(auth.accessKeyId);
  if (key === undefined || key.status !== 'Active') return undefined;
  const caller: Caller =
    key.user === undefined
      ? {
          kind: 'root',
          accountId: key.accountId,
          partition: PARTITION,
          arn: rootArn(PARTITION, key.accountId),
          accessKeyId: key.accessKeyId,
        }
      : {
          kind: 'user',
          accountId: key.accountId,
          partition: PARTITION,
          arn: key.user.arn,
          userId: key.user.id,
          userName: key.user.name,
          accessKeyId: key.accessKeyId,
        };
  return { secret: key.secretAccessKey, caller };
}

async function openSessionToken(
  auth: ParsedAuthorization,
  ring: SealingKeyRing,
  cache: OpenedSessions | undefined,
): Promise<SealedSession | undefined> {
  // resolveKey has looked in the cache already.
  const token = auth.sessionToken;
  if (token === undefined) return undefined;
  const keyId = sealingKeyId(token);
  if (keyId === undefined) return undefined;
  const key = await ring.get(keyId);
  if (key === undefined) return undefined;
  const opened = openSession(token, (id) => (id === key.id ? key : undefined));
  if (!opened.ok) return undefined;
  // The access key id is sealed into the token: a token works only with the key it was issued with.
  if (opened.context.accessKeyId !== auth.accessKeyId) return undefined;
  cache?.set(token, opened.context);
  return opened.context;
}

function expiryOf(caller: Caller): number | undefined {
  if (caller.kind === 'assumedRole') return caller.expiresAt;
  if (caller.kind === 'user' || caller.kind === 'root') return caller.temporary?.expiresAt;
  return undefined;
}

/**
 * The caller of an opened session, built once per context object: a cached token (OpenedSessions) hands
 * back the same context on every request, and its caller is the same too (a Caller is read-only), so the
 * audit event's userIdentity can be kept with it as well (audit-event.ts).
 */
export function callerOfSession(context: SealedSession): Caller {
  const known = SESSION_CALLERS.get(context);
  if (known !== undefined) return known;
  const caller = sessionCaller(context);
  SESSION_CALLERS.set(context, caller);
  return caller;
}

const SESSION_CALLERS = new WeakMap<SealedSession, Caller>();

function sessionCaller(context: SealedSession): Caller {
  const partition = context.partition || PARTITION;
  if (!isRoleSession(context)) {
    const temporary = { issuedAt: context.issuedAt, expiresAt: context.expiresAt };
    const { accessKeyId, account } = context;
    return context.user === undefined
      ? {
          kind: 'root',
          accountId: account,
          partition,
          arn: rootArn(partition, account),
          accessKeyId,
          temporary,
        }
      : {
          kind: 'user',
          accountId: account,
          partition,
          arn: context.user.arn,
          userId: context.user.id,
          userName: context.user.name,
          accessKeyId,
          temporary,
        };
  }
  return {
    kind: 'assumedRole',
    accountId: context.account,
    partition,
    arn: assumedRoleArn(partition, context.account, context.roleName, context.sessionName),
    roleArn: context.roleArn,
    roleId: context.roleId,
    roleName: context.roleName,
    sessionName: context.sessionName,
    accessKeyId: context.accessKeyId,
    issuedAt: context.issuedAt,
    expiresAt: context.expiresAt,
    ...(context.sessionPolicy !== undefined ? { sessionPolicy: context.sessionPolicy } : {}),
    ...(context.policyArns !== undefined && context.policyArns.length > 0
      ? { policyArns: context.policyArns }
      : {}),
    ...(context.tags !== undefined ? { tags: context.tags } : {}),
    ...(context.transitiveTagKeys !== undefined && context.transitiveTagKeys.length > 0
      ? { transitiveTagKeys: context.transitiveTagKeys }
      : {}),
    ...(context.sourceIdentity !== undefined ? { sourceIdentity: context.sourceIdentity } : {}),
  };
}
