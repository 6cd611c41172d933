import type { AuditDecision } from '../audit/event.js';
import { callerPolicies, type CallerPolicies } from '../iam/caller-policies.js';
import { callerPrincipal } from '../iam/caller.js';
import { principalContext } from '../iam/principal-context.js';
import { authorize, type AuthorizationRequest } from '../policy/authorize.js';
import { derivedContext } from '../policy/context.js';
import { explain } from '../policy/explain.js';
import type { ContextValue } from '../policy/types.js';
import type { Bucket } from '../store/buckets.js';
import type { S3AuthorizationNeed, S3Context, S3Request } from './operation.js';
import { isPolicyRestricted } from './public-policy.js';

type Authorization = AuditDecision['authorizations'][number];

/**
 * Decides a request's authorizations with the IAM engine: the caller's identity policies, permissions
 * boundary and session policy, and the bucket policy as the resource policy of the bucket's owner
 * account (so same-account and cross-account rules apply as on AWS). Keeps every decision, and the
 * explanation of the first denial, for the audit event. Never throws for a denial: callers decide.
 */
export class S3Authorizer {
  readonly authorizations: Authorization[] = [];
  explanation: string | undefined;
  #policies: Promise<CallerPolicies> | undefined;
  /** aws:PrincipalTag/*, aws:SourceIdentity, aws:TokenIssueTime: as IAM and STS requests carry them. */
  #principal: Promise<ReadonlyMap<string, ContextValue>> | undefined;
  readonly #base: ReadonlyMap<string, ContextValue>;

  constructor(
    private readonly ctx: S3Context,
    req: S3Request,
    private readonly bucket: Bucket | undefined,
  ) {
    this.#base = requestContext(ctx, req, bucket);
  }

  /** Whether `need` is allowed; recorded either way. */
  isAllowed(need: S3AuthorizationNeed): Promise<boolean> {
    return this.#decide(need, this.bucket, this.#base);
  }

  /**
   * Whether `need` on another bucket is allowed, with that bucket's policy and owner (CopyObject's source);
   * recorded with the others.
   */
  isAllowedOn(bucket: Bucket, need: S3AuthorizationNeed): Promise<boolean> {
    const base = new Map(this.#base);
    base.set('s3:resourceaccount', bucket.accountId);
    base.set('aws:resourceaccount', bucket.accountId);
    return this.#decide(need, bucket, base);
  }

  async #decide(
    need: S3AuthorizationNeed,
    bucket: Bucket | undefined,
    base: ReadonlyMap<string, ContextValue>,
  ): Promise<boolean> {
    this.#policies ??= callerPolicies(this.ctx.store, this.ctx.caller, this.ctx.policies);
    const policies = await this.#policies;
    this.#principal ??= principalContext(this.ctx.store, this.ctx.caller);
    const context = new Map(base);
    for (const [k, v] of await this.#principal) context.set(k, v);
    for (const [k, v] of need.context ?? []) context.set(k, v);
    const policyText =
      bucket !== undefined && isPolicyRestricted(bucket, this.ctx.caller) ? undefined : bucket?.policy;
    const request: AuthorizationRequest = {
      principal: callerPrincipal(this.ctx.caller),
      action: need.action,
      resource: need.resource,
      ...(bucket !== undefined ? { resourceAccount: bucket.accountId } : {}),
      context,
      identityPolicies: policies.identityPolicies,
      ...(policyText !== undefined
        ? { resourcePolicy: this.ctx.policies.compile(policyText, { name: 'bucket policy' }) }
        : {}),
      ...(policies.permissionsBoundary !== undefined
        ? { permissionsBoundary: policies.permissionsBoundary }
        : {}),
      ...(policies.sessionPolicy !== undefined ? { sessionPolicy: policies.sessionPolicy } : {}),
    };
    const result = authorize(request);
    if (result.decision !== 'allowed' && need.ownerRootAlwaysAllowed === true && this.isOwnerRoot()) {
      this.authorizations.push({
        action: need.action,
        resource: need.resource,
        decision: 'allowed',
        matchedStatements: [],
      });
      this.explanation ??= `${need.action} is allowed for the bucket owner's root user whatever the policies say (they decided ${result.decision})`;
      return true;
    }
    this.authorizations.push({
      action: need.action,
      resource: need.resource,
      decision: result.decision,
      ...(result.reason !== undefined ? { reason: result.reason } : {}),
      matchedStatements: result.matchedStatements,
    });
    if (result.decision !== 'allowed' && this.explanation === undefined) {
      // The slow path only: a traced evaluation says which statement and condition decided.
      const traced = { ...request, trace: true };
      this.explanation = explain(traced, authorize(traced));
    }
    return result.decision === 'allowed';
  }

  private isOwnerRoot(): boolean {
    return this.ctx.caller.kind === 'root' && this.ctx.caller.accountId === this.bucket?.accountId;
  }

  /** The decision for the audit event: denied when any authorization was. */
  decision(): AuditDecision {
    const denied = this.authorizations.find((a) => a.decision !== 'allowed');
    return {
      decision: denied?.decision ?? 'allowed',
      authorizations: this.authorizations,
      ...(this.explanation !== undefined ? { explanation: this.explanation } : {}),
    };
  }
}

/**
 * The keys S3 sets on every request (IAM User Guide, global condition keys; S3 User Guide, "Bucket policy
 * examples using condition keys" and the SigV4 keys of iam-policy.md §5.2). aws:SecureTransport is true
 * over TLS (the socket the server read the request from, as for IAM and STS); `s3:signatureversion` is
 * SigV4's `AWS4-HMAC-SHA256` for signed requests.
 */
function requestContext(
  ctx: S3Context,
  req: S3Request,
  bucket: Bucket | undefined,
): ReadonlyMap<string, ContextValue> {
  const context = derivedContext(callerPrincipal(ctx.caller), ctx.clock.now());
  context.set('aws:requestedregion', ctx.region);
  context.set('aws:securetransport', req.secureTransport === true ? 'true' : 'false');
  if (req.sourceIp) context.set('aws:sourceip', req.sourceIp);
  const userAgent = req.headers['user-agent'];
  if (userAgent !== undefined) context.set('aws:useragent', userAgent);
  const referer = req.headers.referer;
  if (referer !== undefined) context.set('aws:referer', referer);
  if (req.auth.authType !== undefined) {
    context.set('s3:authtype', req.auth.authType);
    context.set('s3:signatureversion', 'AWS4-HMAC-SHA256');
  }
  if (req.auth.signatureAge !== undefined) context.set('s3:signatureage', String(req.auth.signatureAge));
  if (req.auth.payloadHash !== undefined) context.set('s3:x-amz-content-sha256', req.auth.payloadHash);
  if (bucket !== undefined) {
    context.set('s3:resourceaccount', bucket.accountId);
    context.set('aws:resourceaccount', bucket.accountId);
  }
  return context;
}
