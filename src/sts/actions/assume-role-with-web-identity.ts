import type { AuditDecision } from '../../audit/event.js';
import { decodeJwt, type JwtClaims } from '../../identity/decode-jwt.js';
import { isJwsAlgorithm } from '../../identity/jws-algorithms.js';
import { SignatureWorker, type SealRequest } from '../../identity/signature-worker.js';
import {
  DEFAULT_LEEWAY_SECONDS,
  verifyDecodedJwtAsync,
  type VerificationKey,
} from '../../identity/verify-jwt.js';
import type { ActionContext, QueryAction } from '../../iam/query-action.js';
import { compilePolicy, type CompiledPolicy } from '../../policy/compile.js';
import { derivedContext, RequestTimeKeys } from '../../policy/context.js';
import { integer, list, string, structure, timestamp, type ValueOf } from '../../protocol/shape.js';
import { parseArn } from '../../shared/arn.js';
import { sealBytes } from '../../shared/sealed-box.js';
import { errorCatalogue } from '../../shared/aws-error.js';
import type { OidcProvider } from '../../store/oidc-providers.js';
import { DEFAULT_MAX_SESSION_DURATION, type Role } from '../../store/roles.js';
import type { IssuerKeyResult } from '../jwks-cache.js';
import { oidcProviderArn, oidcProviderKey } from '../oidc-provider-arn.js';
import {
  packedSize,
  tagRecord,
  tagRequestContext,
  webIdentityTags,
  type PackedSize,
} from '../session-tags.js';
import { decideTrust } from '../trust-decision.js';
import {
  secretAccessKey,
  temporaryAccessKeyId,
  type SealingKey,
  type SessionContext,
} from '../session-token.js';

/** What the action needs beyond the `ActionContext`: injected by the server that owns them. */
export interface WebIdentityDeps {
  /** The server's own issuer, whose tokens are verified in-process with its key ring. */
  builtInIssuer(): Promise<{
    readonly url: string;
    readonly keyFor: (kid: string) => VerificationKey | undefined;
  }>;
  /** The key that seals new session tokens. */
  sealingKey(): Promise<SealingKey>;
  /**
   * The key an external issuer (any registered OIDC provider but the built-in one) publishes under a
   * `kid`, from its discovery document and JWKS (`JwksCache.keyFor`). Absent: external issuers' tokens
   * are refused (InvalidIdentityToken), as nothing can verify them.
   */
  externalIssuerKey?(issuer: string, kid: string): Promise<IssuerKeyResult>;
  /** Hands the trust-policy decision (and its explanation) to the request's audit event. */
  recordDecision(requestId: string, decision: AuditDecision): void;
}

const ACTION = 'sts:AssumeRoleWithWebIdentity';
const PARTITION = 'aws';
/** STS's `arnType` pattern (botocore `sts/2011-06-15/service-2.json`). */
const ARN_PATTERN =
  '[\\u0009\\u000A\\u000D\\u0020-\\u007E\\u0085\\u00A0-\\uD7FF\\uE000-\\uFFFD\\u10000-\\u10FFFF]+';

/** Constraints from the STS model, member by member (irsa-wire.md §5.4). */
const input = structure({
  RoleArn: string({ required: true, min: 20, max: 2048, pattern: ARN_PATTERN }),
  RoleSessionName: string({ required: true, min: 2, max: 64, pattern: '[\\w+=,.@-]*' }),
  WebIdentityToken: string({ required: true, min: 4, max: 20000, sensitive: true }),
  ProviderId: string({ min: 4, max: 2048 }),
  PolicyArns: list(structure({ arn: string({ min: 20, max: 2048, pattern: ARN_PATTERN }) })),
  Policy: string({ min: 1, max: 2048, pattern: '[\\u0009\\u000A\\u000D\\u0020-\\u00FF]+' }),
  DurationSeconds: integer({ min: 900, max: 43200 }),
});

/** Member order of AWS's response (irsa-wire.md §5.5). */
const output = structure({
  Audience: string(),
  AssumedRoleUser: structure({
    AssumedRoleId: string({ required: true }),
    Arn: string({ required: true }),
  }),
  Provider: string(),
  Credentials: structure({
    AccessKeyId: string({ required: true }),
    SecretAccessKey: string({ required: true }),
    SessionToken: string({ required: true }),
    Expiration: timestamp({ required: true }),
  }),
  SubjectFromWebIdentityToken: string(),
  PackedPolicySize: integer(),
  SourceIdentity: string(),
});

/** STS's error catalogue for this action, with statuses from irsa-wire.md §5.6. */
const stsError = errorCatalogue({
  InvalidIdentityToken: { status: 400 },
  ExpiredTokenException: { status: 400 },
  IDPCommunicationError: { status: 400 },
  IDPRejectedClaim: { status: 403 },
  MalformedPolicyDocument: { status: 400 },
  AccessDenied: { status: 403 },
  ValidationError: { status: 400 },
});

// AWS's wordings, as quoted in irsa-wire.md §5.6.
const NOT_A_JWT =
  'The ID Token provided is not a valid JWT. (You may see this error if you sent an Access Token)';
const NO_KEY =
  "Couldn't retrieve verification key from your identity provider,  please reference AssumeRoleWithWebIdentity documentation for requirements";
const INCORRECT_AUDIENCE = 'Incorrect token audience';
const DURATION_EXCEEDS = 'The requested DurationSeconds exceeds the MaxSessionDuration set for this role.';
/** Claim name of a source identity in a web identity token (irsa-wire.md §5.5, ⚠ unconfirmed). */
const SOURCE_IDENTITY_CLAIM = 'https://aws.amazon.com/source_identity';
/** What `packedSize` answers when there is no session policy, policy ARN or tag. */
const NOTHING_PACKED: PackedSize = { percent: 0 };

/**
 * STS AssumeRoleWithWebIdentity (irsa-wire.md §5): clients send it unsigned, so it authenticates
 * nothing and needs no identity-policy authorization; the token and the role's trust policy decide.
 * Checks in the order of irsa-wire.md §5.7 (shape → JWT structure → `iss` → key, signature and times →
 * `aud` → trust policy → duration), then returns stateless session credentials (DESIGN.md).
 */
export function assumeRoleWithWebIdentity(deps: WebIdentityDeps): QueryAction<typeof input, typeof output> {
  // Compiled trust policies by role object. The SQLite store hands out one frozen object per role until
  // anything changes (database.ts `cachedRead`), so a hit skips `PolicyCache`'s SHA-256 of the policy
  // text; a changed role is a new object, and a store that returns fresh objects just misses. Weak: a
  // role nobody holds any more takes its entry with it.
  const trustPolicies = new WeakMap<Role, CompiledPolicy>();
  const trustPolicyOf = (role: Role, ctx: ActionContext): CompiledPolicy => {
    let compiled = trustPolicies.get(role);
    if (compiled === undefined) {
      compiled = ctx.policies.compile(role.trustPolicy, { name: 'trust policy' });
      if (Object.isFrozen(role)) trustPolicies.set(role, compiled);
    }
    return compiled;
  };
  // aws:CurrentTime and aws:EpochTime, formatted once a second rather than once a request.
  const times = new RequestTimeKeys();
  // The tokens' signatures, checked in a worker thread of this action's own (identity/signature-worker.ts
  // says why and gives the figures); started on the first call, ended when idle.
  const signatures = new SignatureWorker();
  // The provider's condition key names, by provider object, for the same reason and on the same terms.
  const providerKeys = new WeakMap<OidcProvider, ProviderKeys>();
  const providerKeysOf = (provider: OidcProvider): ProviderKeys => {
    let keys = providerKeys.get(provider);
    if (keys === undefined) {
      keys = conditionKeysOf(provider);
      if (Object.isFrozen(provider)) providerKeys.set(provider, keys);
    }
    return keys;
  };
  return {
    name: 'AssumeRoleWithWebIdentity',
    input,
    output,
    authentication: 'none',
    authorize: () => [],
    handle: async (req, ctx) => {
      // Clients send the token file's content verbatim; a trailing newline is not part of the JWT.
      const token = req.WebIdentityToken.trim();
      const sessionName = req.RoleSessionName;
      const roleArn = parseArn(req.RoleArn);
      const roleAccount = roleArn?.account ?? '';

      // 3. structure
      const decoded = decodeJwt(token);
      if (!decoded.ok) throw stsError('InvalidIdentityToken', NOT_A_JWT);
      const iss = decoded.claims.iss;
      if (typeof iss !== 'string' || iss === '') {
        throw stsError('InvalidIdentityToken', 'Missing a required claim: iss');
      }

      // 4. the provider registered for `iss` in the role's account
      const providerArn = oidcProviderArn(PARTITION, roleAccount, iss);
      const provider =
        roleArn === undefined ? undefined : await ctx.store.oidcProviders.get(roleAccount, providerArn);
      if (provider === undefined || provider.url !== iss) {
        throw stsError('InvalidIdentityToken', `No OpenIDConnect provider found in your account for ${iss}`);
      }

      // 6-7. key, algorithm, signature, exp/nbf/iat
      const builtIn = await deps.builtInIssuer();
      let keyFor = builtIn.keyFor;
      if (provider.url !== builtIn.url) {
        // An external issuer, registered in the role's account (step 4): its key for the token's `kid`
        // from its discovery document and JWKS (sts/jwks-cache.ts). A header verifyJwt refuses before
        // it needs a key (`crit`, an algorithm STS does not accept, no `kid`) fetches nothing: that is
        // the token's fault, and must not become IDPCommunicationError, which botocore retries.
        if (deps.externalIssuerKey === undefined) {
          throw stsError(
            'InvalidIdentityToken',
            `no key source for external issuers is configured, so tokens of ${provider.url} cannot be verified`,
          );
        }
        const kid = decoded.header.kid;
        keyFor = () => undefined;
        if (kid !== undefined && decoded.header.crit === undefined && isJwsAlgorithm(decoded.header.alg)) {
          const found = await deps.externalIssuerKey(provider.url, kid);
          if (!found.ok) {
            // ⚠ AWS's message for IDPCommunicationError is not on record; its code for "discovery or JWKS
            // could not be fetched" is (irsa-wire.md §5.6), and this is the one sentence AWS is known to
            // use for keys it could not retrieve (§5.6, with InvalidIdentityToken). Why it failed goes to
            // the audit event, for `openirsa explain`.
            deps.recordDecision(ctx.requestId, {
              decision: 'implicitDeny',
              authorizations: [],
              explanation: `implicitDeny: the keys of issuer \`${provider.url}\` could not be retrieved: ${found.message}`,
            });
            throw stsError('IDPCommunicationError', NO_KEY);
          }
          const key = found.key;
          keyFor = (k) => (k === kid ? key : undefined);
        }
      }
      // Steps 5-10 run now, on the claims as decoded, while the signature is checked: their outcome
      // (an error, or the session and its answer) counts only once the token verifies, and errors still
      // come in the order of irsa-wire.md §5.7 (the token's own first). What this buys: the session is
      // sealed in the signature worker, beside the check (SignatureWorker.checkAndSeal), instead of on
      // the main thread, the server's bottleneck, where the seal was its largest piece of work after
      // the HTTP (about 13 µs of ~90 per request, profiled under bench/sts's load).
      // The trust decision, once made: it goes to the audit trail with whatever error follows it.
      let recorded: AuditDecision | undefined;
      const decide = async (claims: JwtClaims, provider: OidcProvider): Promise<Decided> => {
        // 5. audience
        const audiences = audienceValues(claims.aud);
        if (audiences.length === 0) throw stsError('InvalidIdentityToken', 'Missing a required claim: aud');
        const audience = audiences.find((a) => provider.clientIds.includes(a));
        if (audience === undefined) throw stsError('InvalidIdentityToken', INCORRECT_AUDIENCE);
        const sub = claims.sub;
        if (typeof sub !== 'string' || sub === '') {
          throw stsError('InvalidIdentityToken', 'Missing a required claim: sub');
        }
        const amr = stringValues(claims.amr);
        // Session tags in the token (irsa-wire.md §4.4): they need sts:TagSession in the trust policy.
        const sessionTags = webIdentityTags(claims);
        if (sessionTags !== undefined && !sessionTags.ok) throw sessionTags.error;
        const tagSet = sessionTags?.set;
        // A source identity in the token needs sts:SetSourceIdentity (IAM User Guide, condition keys for
        // web identity federation); ⚠ our wording for a claim that breaks SourceIdentity's constraints.
        const sourceIdentityClaim = claims[SOURCE_IDENTITY_CLAIM];
        if (sourceIdentityClaim !== undefined && !isSourceIdentity(sourceIdentityClaim)) {
          throw stsError(
            'InvalidIdentityToken',
            `the ${SOURCE_IDENTITY_CLAIM} claim must be 2 to 64 characters of [\\w+=,.@-]`,
          );
        }
        const sourceIdentity = sourceIdentityClaim;

        // 8. the role and its trust policy
        const roleName = roleArn?.resource.startsWith('role/')
          ? roleArn.resource.slice(roleArn.resource.lastIndexOf('/') + 1)
          : undefined;
        const role = roleName === undefined ? undefined : await ctx.store.roles.get(roleAccount, roleName);
        const keys = providerKeysOf(provider);
        const principal = { type: 'federated', provider: provider.arn } as const;
        // One map, filled in place: the derived keys, then the session tags' keys, then the request's
        // (condition key names lower-cased, as policy/context.ts keeps them). A later key of the same name
        // replaces the value and keeps its place, exactly as the merges of derived, tag and request
        // contexts did before.
        const context = derivedContext(principal, ctx.clock.now(), times);
        if (tagSet !== undefined)
          for (const [key, value] of tagRequestContext(tagSet)) context.set(key, value);
        context.set(keys.sub, sub);
        context.set(keys.aud, audience);
        if (amr !== undefined) context.set(keys.amr, amr.slice());
        context.set('aws:federatedprovider', provider.arn);
        context.set('sts:rolesessionname', sessionName);
        if (ctx.sourceIp !== undefined) context.set('aws:sourceip', ctx.sourceIp);
        const roleExists = role !== undefined && role.arn === req.RoleArn;
        const actions = [ACTION];
        if (tagSet !== undefined && tagSet.tags.length > 0) actions.push('sts:TagSession');
        if (sourceIdentity !== undefined) actions.push('sts:SetSourceIdentity');
        const { record, deniedAction } = decideTrust(
          {
            principal,
            resource: req.RoleArn,
            context,
            identityPolicies: [],
            resourcePolicy: role !== undefined && roleExists ? trustPolicyOf(role, ctx) : undefined,
          },
          actions,
          roleExists,
        );
        recorded = record;
        if (deniedAction !== undefined || role === undefined) {
          // STS answers a refused web identity without naming anyone (irsa-wire.md §5.6).
          throw stsError('AccessDenied', `Not authorized to perform ${deniedAction ?? ACTION}`);
        }

        // 9. duration
        const duration = req.DurationSeconds ?? 3600;
        if (duration > (role.maxSessionDuration || DEFAULT_MAX_SESSION_DURATION)) {
          throw stsError('ValidationError', DURATION_EXCEEDS);
        }
        if (req.Policy !== undefined) {
          const compiled = compilePolicy(req.Policy, { name: 'session policy' });
          const first = compiled.errors[0];
          if (first !== undefined) throw stsError('MalformedPolicyDocument', first.message);
        }
        const hasPacked =
          req.Policy !== undefined || (req.PolicyArns ?? []).length > 0 || (tagSet?.tags.length ?? 0) > 0;
        // Nothing packed (the usual call) packs to 0 % and cannot fail: computed only when there is something.
        const packed = hasPacked
          ? packedSize(
              req.Policy,
              (req.PolicyArns ?? []).flatMap((p) => (p.arn !== undefined ? [p.arn] : [])),
              tagSet?.tags ?? [],
            )
          : NOTHING_PACKED;
        if (packed.error !== undefined) throw packed.error;

        // 10. credentials
        const issuedAt = ctx.clock.now();
        const expiresAt = issuedAt + duration * 1000;
        const accessKeyId = temporaryAccessKeyId(ctx.ids.bytes(16));
        const secret = secretAccessKey(ctx.ids.bytes(30));
        const session: SessionContext = {
          accessKeyId,
          secretAccessKey: secret,
          account: role.accountId,
          partition: PARTITION,
          roleArn: role.arn,
          roleId: role.id,
          roleName: role.name,
          sessionName,
          issuedAt,
          expiresAt,
          ...(req.Policy !== undefined ? { sessionPolicy: req.Policy } : {}),
          ...(req.PolicyArns !== undefined && req.PolicyArns.length > 0
            ? { policyArns: req.PolicyArns.flatMap((p) => (p.arn !== undefined ? [p.arn] : [])) }
            : {}),
          ...(tagSet !== undefined && tagSet.tags.length > 0 ? { tags: tagRecord(tagSet) } : {}),
          ...(tagSet !== undefined && tagSet.transitiveTagKeys.length > 0
            ? { transitiveTagKeys: tagSet.transitiveTagKeys }
            : {}),
          ...(sourceIdentity !== undefined ? { sourceIdentity } : {}),
          webIdentity: { provider: provider.arn, sub, aud: audience, ...(amr !== undefined ? { amr } : {}) },
        };
        // The GCM nonce from the server's id generator (its pooled random bytes): 96 random bits, as before.
        const key = await deps.sealingKey();
        const iv = ctx.ids.bytes(12);
        return {
          seal: { key, iv, plaintext: JSON.stringify(session) },
          answer: (token: string) => ({
            Audience: audience,
            AssumedRoleUser: {
              AssumedRoleId: `${role.id}:${sessionName}`,
              Arn: `arn:${PARTITION}:sts::${role.accountId}:assumed-role/${role.name}/${sessionName}`,
            },
            Provider: provider.arn,
            Credentials: {
              AccessKeyId: accessKeyId,
              SecretAccessKey: secret,
              SessionToken: token,
              Expiration: expiresAt,
            },
            SubjectFromWebIdentityToken: sub,
            ...(hasPacked ? { PackedPolicySize: packed.percent } : {}),
            ...(sourceIdentity !== undefined ? { SourceIdentity: sourceIdentity } : {}),
          }),
        };
      };
      const outcome = await decide(decoded.claims, provider).then(
        (value): Outcome => ({ ok: true, ...value }),
        (error: unknown): Outcome => ({ ok: false, error }),
      );
      // The token was taken apart above (step 3): the signature and times are checked on that decode.
      // The signature off the main thread, in the worker: the RSA verification is the largest piece of
      // this action's CPU, and the server's main thread is its bottleneck (bench/sts/handler.ts).
      const verified = await verifyDecodedJwtAsync(decoded, {
        keyFor,
        clock: ctx.clock,
        leewaySeconds: DEFAULT_LEEWAY_SECONDS,
        signatures,
        ...(outcome.ok ? { seal: outcome.seal } : {}),
      });
      if (!verified.ok) {
        switch (verified.code) {
          case 'expired': {
            const exp = decoded.claims.exp;
            const now = Math.floor(ctx.clock.now() / 1000);
            // Sic: no space before the second number (awslabs/aws-orbit-workbench#707).
            throw stsError(
              'ExpiredTokenException',
              `Token expired: current date/time ${now} must be before the expiration date/time${typeof exp === 'number' ? exp : ''}`,
            );
          }
          case 'missingKid':
          case 'unknownKid':
            throw stsError('InvalidIdentityToken', NO_KEY);
          default:
            throw stsError('InvalidIdentityToken', verified.message);
        }
      }
      if (recorded !== undefined) deps.recordDecision(ctx.requestId, recorded);
      if (!outcome.ok) throw outcome.error;
      // The worker sealed the session, or (it did not: a fallback to the threadpool, a session too
      // large for its slot) it is sealed here, to the same bytes.
      const { key, iv, plaintext } = outcome.seal;
      const sessionToken = verified.sealed ?? sealBytes(Buffer.from(plaintext, 'utf8'), key, iv);
      return outcome.answer(sessionToken);
    },
  };
}

/**
 * What steps 5-10 decide on a token's claims before its signature is known good: the session's JSON
 * and how to seal it, and the answer around the sealed token. (The trust decision, once made, waits in
 * `recorded` for the token to verify.)
 */
interface Decided {
  readonly seal: SealRequest;
  readonly answer: (sessionToken: string) => ValueOf<typeof output>;
}

/** `Decided`, or the error steps 5-10 answer with. */
type Outcome = ({ readonly ok: true } & Decided) | { readonly ok: false; readonly error: unknown };

/** The condition keys a provider's claims set (`<host/path>:sub`, irsa-wire.md §4.2-4.3). */
interface ProviderKeys {
  readonly sub: string;
  readonly aud: string;
  readonly amr: string;
}

/**
 * Each whole key lower-cased, as buildContext does (lower-casing the prefix alone could differ: a final
 * sigma before the `:` lower-cases differently once a letter follows).
 */
function conditionKeysOf(provider: OidcProvider): ProviderKeys {
  const prefix = oidcProviderKey(provider.url);
  return {
    sub: `${prefix}:sub`.toLowerCase(),
    aud: `${prefix}:aud`.toLowerCase(),
    amr: `${prefix}:amr`.toLowerCase(),
  };
}

/** `aud` is a string or an array of strings (RFC 7519 §4.1.3); anything else counts as absent. */
function audienceValues(aud: unknown): readonly string[] {
  if (typeof aud === 'string') return aud === '' ? [] : [aud];
  return stringValues(aud) ?? [];
}

function stringValues(value: unknown): readonly string[] | undefined {
  if (typeof value === 'string') return [value];
  if (Array.isArray(value) && value.every((v): v is string => typeof v === 'string')) return value;
  return undefined;
}

/** STS's `sourceIdentityType`: 2..64 characters of `[\w+=,.@-]`. */
function isSourceIdentity(value: unknown): value is string {
  return typeof value === 'string' && /^[\w+=,.@-]{2,64}$/.test(value);
}
