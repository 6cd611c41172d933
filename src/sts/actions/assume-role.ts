import { callerPolicies } from '../../iam/caller-policies.js';
import { callerPrincipal, hasTemporaryCredentials } from '../../iam/caller.js';
import { principalContext } from '../../iam/principal-context.js';
import type { QueryAction } from '../../iam/query-action.js';
import { compilePolicy } from '../../policy/compile.js';
import { derivedContext } from '../../policy/context.js';
import type { ContextValue } from '../../policy/types.js';
import { integer, list, string, structure, timestamp } from '../../protocol/shape.js';
import { parseArn } from '../../shared/arn.js';
import { AwsError, errorCatalogue } from '../../shared/aws-error.js';
import { DEFAULT_MAX_SESSION_DURATION } from '../../store/roles.js';
import {
  ARN_PATTERN,
  MFA_FAILED,
  MFA_UNSUPPORTED,
  newKeyPair,
  SERIAL_NUMBER_PATTERN,
  TAG_KEY_PATTERN,
  TAG_VALUE_PATTERN,
  TOKEN_CODE_PATTERN,
  type SessionDeps,
} from '../session-deps.js';
import { packedSize, resolveSessionTags, tagRecord, tagRequestContext } from '../session-tags.js';
import { sealSession, type SessionContext } from '../session-token.js';
import { decideTrust } from '../trust-decision.js';

/** Constraints from the STS model (botocore `sts/2011-06-15/service-2.json`, `AssumeRoleRequest`). */
const input = structure({
  RoleArn: string({ required: true, min: 20, max: 2048, pattern: ARN_PATTERN }),
  RoleSessionName: string({ required: true, min: 2, max: 64, pattern: '[\\w+=,.@-]*' }),
  // "You can provide up to 10 managed policy ARNs" (STS API Reference, AssumeRole; ⚠ wording of the
  // refusal is the shape's, unconfirmed).
  PolicyArns: list(structure({ arn: string({ min: 20, max: 2048, pattern: ARN_PATTERN }) }), { max: 10 }),
  // The model's `unrestrictedSessionPolicyDocumentType` has no maximum, but "the plaintext that you use
  // for both inline and managed session policies can't exceed 2,048 characters" (same page); ⚠ the
  // refusal's wording is the shape's.
  Policy: string({ min: 1, max: 2048, pattern: '[\\u0009\\u000A\\u000D\\u0020-\\u00FF]+' }),
  DurationSeconds: integer({ min: 900, max: 43200 }),
  Tags: list(
    structure({
      Key: string({ required: true, min: 1, max: 128, pattern: TAG_KEY_PATTERN }),
      Value: string({ required: true, min: 0, max: 256, pattern: TAG_VALUE_PATTERN }),
    }),
    { max: 50 },
  ),
  TransitiveTagKeys: list(string({ min: 1, max: 128, pattern: TAG_KEY_PATTERN }), { max: 50 }),
  ExternalId: string({ min: 2, max: 1224, pattern: '[\\w+=,.@:\\/-]*' }),
  SerialNumber: string({ min: 9, max: 256, pattern: SERIAL_NUMBER_PATTERN }),
  TokenCode: string({ min: 6, max: 6, pattern: TOKEN_CODE_PATTERN }),
  SourceIdentity: string({ min: 2, max: 64, pattern: '[\\w+=,.@-]*' }),
  ProvidedContexts: list(
    structure({
      ProviderArn: string({ min: 20, max: 2048, pattern: ARN_PATTERN }),
      ContextAssertion: string({ min: 4, max: 2048 }),
    }),
    { max: 5 },
  ),
});

/** Member order of AWS's `AssumeRoleResponse` (irsa-wire.md §5.8). */
const output = structure({
  Credentials: structure({
    AccessKeyId: string({ required: true }),
    SecretAccessKey: string({ required: true }),
    SessionToken: string({ required: true }),
    Expiration: timestamp({ required: true }),
  }),
  AssumedRoleUser: structure({
    AssumedRoleId: string({ required: true }),
    Arn: string({ required: true }),
  }),
  PackedPolicySize: integer(),
  SourceIdentity: string(),
});

const stsError = errorCatalogue({
  AccessDenied: { status: 403 },
  ValidationError: { status: 400 },
  MalformedPolicyDocument: { status: 400 },
  InvalidParameterValue: { status: 400 },
});

// AWS's wordings: irsa-wire.md §5.6, and for chaining aws/eks-anywhere#9485, 99designs/aws-vault#263.
const DURATION_EXCEEDS = 'The requested DurationSeconds exceeds the MaxSessionDuration set for this role.';
const CHAINING_EXCEEDS =
  'The requested DurationSeconds exceeds the 1 hour session limit for roles assumed by role chaining.';
const ROOT_REFUSED = 'Roles may not be assumed by root accounts.';
/** "Role chaining limits your ... role session to a maximum of one hour" (STS API Reference, AssumeRole). */
const CHAINED_MAX_SECONDS = 3600;
const PARTITION = 'aws';

/**
 * STS AssumeRole (signed): a session of the role for a user, a root, or another session (role
 * chaining). Authorized as AWS does (IAM User Guide, "Policy evaluation logic" and "Cross-account
 * policy evaluation logic"): the role's trust policy is the resource policy of `sts:AssumeRole` on the
 * role, so one naming the caller's ARN allows on its own in the same account, one naming the account
 * needs the caller's identity policies too, and across accounts both sides must allow. Passing tags
 * also needs `sts:TagSession`, setting a source identity `sts:SetSourceIdentity`, both decided the
 * same way. The decision is recorded for the audit event, and a refusal is AWS's AccessDenied.
 */
export function assumeRole(deps: SessionDeps): QueryAction<typeof input, typeof output> {
  return {
    name: 'AssumeRole',
    input,
    output,
    authentication: 'sigv4',
    // Decided in `handle`: the trust policy is the resource policy, which the pipeline does not load.
    authorize: () => [],
    handle: async (req, ctx) => {
      const caller = ctx.caller;
      // INVARIANT: the action is `sigv4`, so the pipeline authenticated a caller.
      if (caller.kind === 'anonymous')
        throw new AwsError('MissingAuthenticationToken', 403, 'Request is missing Authentication Token');
      const resource = req.RoleArn;
      if (req.ProvidedContexts !== undefined && req.ProvidedContexts.length > 0) {
        throw new AwsError(
          'InternalFailure',
          501,
          'STS.AssumeRole with ProvidedContexts is not implemented',
          {
            fault: 'Receiver',
          },
        );
      }
      const denied = (action: string) =>
        stsError(
          'AccessDenied',
          `User: ${caller.arn} is not authorized to perform: ${action} on resource: ${resource}`,
        );
      if (caller.kind === 'root') {
        // AWS's wording (kubeflow/testing#961, Netflix/security_monkey#1026): the root user assumes no role,
        // whatever the trust policy says.
        deps.recordDecision(ctx.requestId, {
          decision: 'implicitDeny',
          authorizations: [],
          explanation:
            'implicitDeny: the account root user cannot assume roles; use an IAM user or a role session',
        });
        throw stsError('AccessDenied', ROOT_REFUSED);
      }
      if (req.SerialNumber !== undefined || req.TokenCode !== undefined) {
        deps.recordDecision(ctx.requestId, {
          decision: 'implicitDeny',
          authorizations: [],
          explanation: MFA_UNSUPPORTED,
        });
        throw stsError('AccessDenied', MFA_FAILED);
      }

      // The calling session, when the caller is one: what role chaining carries over.
      const parent = caller.kind === 'assumedRole' ? caller : undefined;
      const chained = hasTemporaryCredentials(caller);
      const tags = resolveSessionTags(
        (req.Tags ?? []).map((t) => [t.Key, t.Value] as const),
        req.TransitiveTagKeys ?? [],
        parent,
      );
      if (!tags.ok) throw tags.error;
      // "After you set the source identity, it cannot be changed" (IAM User Guide, "Monitor and control
      // actions taken with assumed roles"); ⚠ the code and wording of the refusal are ours.
      if (
        parent?.sourceIdentity !== undefined &&
        req.SourceIdentity !== undefined &&
        req.SourceIdentity !== parent.sourceIdentity
      ) {
        throw stsError(
          'InvalidParameterValue',
          `the source identity \`${parent.sourceIdentity}\` of the calling session cannot be changed to \`${req.SourceIdentity}\``,
        );
      }
      const sourceIdentity = parent?.sourceIdentity ?? req.SourceIdentity;

      const arn = parseArn(resource);
      const roleAccount = arn?.account ?? '';
      const roleName =
        arn?.service === 'iam' && arn.resource.startsWith('role/')
          ? arn.resource.slice(arn.resource.lastIndexOf('/') + 1)
          : undefined;
      const found = roleName === undefined ? undefined : await ctx.store.roles.get(roleAccount, roleName);
      const role = found !== undefined && found.arn === resource ? found : undefined;

      const principal = callerPrincipal(caller);
      const context = new Map<string, ContextValue>(derivedContext(principal, ctx.clock.now()));
      context.set('aws:requestedregion', ctx.region);
      context.set('aws:securetransport', 'false');
      if (ctx.sourceIp !== undefined) context.set('aws:sourceip', ctx.sourceIp);
      for (const [k, v] of await principalContext(ctx.store, caller)) context.set(k, v);
      context.set('sts:rolesessionname', req.RoleSessionName);
      if (req.ExternalId !== undefined) context.set('sts:externalid', req.ExternalId);
      if (sourceIdentity !== undefined) context.set('sts:sourceidentity', sourceIdentity);
      for (const [k, v] of tagRequestContext(tags.set)) context.set(k, v);

      const policies = await callerPolicies(ctx.store, caller, ctx.policies);
      const actions = [
        'sts:AssumeRole',
        ...(tags.set.tags.length > 0 ? ['sts:TagSession'] : []),
        ...(sourceIdentity !== undefined ? ['sts:SetSourceIdentity'] : []),
      ];
      const { record, deniedAction } = decideTrust(
        {
          principal,
          resource,
          context,
          identityPolicies: policies.identityPolicies,
          ...(policies.permissionsBoundary !== undefined
            ? { permissionsBoundary: policies.permissionsBoundary }
            : {}),
          ...(policies.sessionPolicy !== undefined ? { sessionPolicy: policies.sessionPolicy } : {}),
          ...(role !== undefined
            ? { resourcePolicy: ctx.policies.compile(role.trustPolicy, { name: 'trust policy' }) }
            : {}),
        },
        actions,
        role !== undefined,
      );
      deps.recordDecision(ctx.requestId, record);
      if (deniedAction !== undefined || role === undefined) throw denied(deniedAction ?? 'sts:AssumeRole');

      const duration = req.DurationSeconds ?? 3600;
      if (chained && duration > CHAINED_MAX_SECONDS) throw stsError('ValidationError', CHAINING_EXCEEDS);
      if (duration > (role.maxSessionDuration || DEFAULT_MAX_SESSION_DURATION)) {
        throw stsError('ValidationError', DURATION_EXCEEDS);
      }
      if (req.Policy !== undefined) {
        const first = compilePolicy(req.Policy, { name: 'session policy' }).errors[0];
        if (first !== undefined) throw stsError('MalformedPolicyDocument', first.message);
      }
      const policyArns = (req.PolicyArns ?? []).flatMap((p) => (p.arn !== undefined ? [p.arn] : []));
      const packed = packedSize(req.Policy, policyArns, tags.set.tags);
      if (packed.error !== undefined) throw packed.error;

      const issuedAt = ctx.clock.now();
      const expiresAt = issuedAt + duration * 1000;
      const keys = newKeyPair(ctx.ids);
      const session: SessionContext = {
        ...keys,
        account: role.accountId,
        partition: PARTITION,
        roleArn: role.arn,
        roleId: role.id,
        roleName: role.name,
        sessionName: req.RoleSessionName,
        issuedAt,
        expiresAt,
        ...(req.Policy !== undefined ? { sessionPolicy: req.Policy } : {}),
        ...(policyArns.length > 0 ? { policyArns } : {}),
        ...(tags.set.tags.length > 0 ? { tags: tagRecord(tags.set) } : {}),
        ...(tags.set.transitiveTagKeys.length > 0 ? { transitiveTagKeys: tags.set.transitiveTagKeys } : {}),
        ...(sourceIdentity !== undefined ? { sourceIdentity } : {}),
        ...(chained ? { chained: true } : {}),
      };
      // The GCM nonce from the server's id generator (its pooled random bytes): 96 random bits, as before.
      const sessionToken = sealSession(session, await deps.sealingKey(), ctx.ids.bytes(12));
      // ⚠ PackedPolicySize only when policies or tags were passed (irsa-wire.md §5.5).
      const hasPacked = req.Policy !== undefined || policyArns.length > 0 || tags.set.tags.length > 0;
      return {
        Credentials: {
          AccessKeyId: keys.accessKeyId,
          SecretAccessKey: keys.secretAccessKey,
          SessionToken: sessionToken,
          Expiration: expiresAt,
        },
        AssumedRoleUser: {
          AssumedRoleId: `${role.id}:${req.RoleSessionName}`,
          Arn: `arn:${PARTITION}:sts::${role.accountId}:assumed-role/${role.name}/${req.RoleSessionName}`,
        },
        ...(hasPacked ? { PackedPolicySize: packed.percent } : {}),
        ...(sourceIdentity !== undefined ? { SourceIdentity: sourceIdentity } : {}),
      };
    },
  };
}
