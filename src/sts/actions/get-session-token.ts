import type { QueryAction } from '../../iam/query-action.js';
import { integer, string, structure, timestamp } from '../../protocol/shape.js';
import { AwsError, errorCatalogue } from '../../shared/aws-error.js';
import {
  MFA_FAILED,
  MFA_UNSUPPORTED,
  newKeyPair,
  SERIAL_NUMBER_PATTERN,
  TOKEN_CODE_PATTERN,
  type SessionDeps,
} from '../session-deps.js';
import { sealSession, type IdentitySessionContext } from '../session-token.js';

/** Constraints from the STS model (`GetSessionTokenRequest`). */
const input = structure({
  DurationSeconds: integer({ min: 900, max: 129600 }),
  SerialNumber: string({ min: 9, max: 256, pattern: SERIAL_NUMBER_PATTERN }),
  TokenCode: string({ min: 6, max: 6, pattern: TOKEN_CODE_PATTERN }),
});

/** `GetSessionTokenResponse`: the credentials only. */
const output = structure({
  Credentials: structure({
    AccessKeyId: string({ required: true }),
    SecretAccessKey: string({ required: true }),
    SessionToken: string({ required: true }),
    Expiration: timestamp({ required: true }),
  }),
});

const stsError = errorCatalogue({ AccessDenied: { status: 403 }, ValidationError: { status: 400 } });

/** AWS's wording (aws/aws-sdk-net#1704, aws/aws-sdk-php#1876, aws/aws-sdk-js#3670). */
const FROM_SESSION = 'Cannot call GetSessionToken with session credentials';
/** Default 43200 seconds; the account root's sessions last at most one hour (STS API Reference). */
const DEFAULT_SECONDS = 43200;
const ROOT_MAX_SECONDS = 3600;
const PARTITION = 'aws';

/**
 * STS GetSessionToken: temporary credentials for an IAM user or the account root, with exactly its
 * permissions ("No permissions are required for users to perform this operation", STS API Reference,
 * GetSessionToken: so no authorization). Only long-term keys may call it. The credentials then fail
 * on IAM (server/authenticate.ts), as AWS's do without MFA.
 */
export function getSessionToken(deps: SessionDeps): QueryAction<typeof input, typeof output> {
  return {
    name: 'GetSessionToken',
    input,
    output,
    authentication: 'sigv4',
    authorize: () => [],
    handle: async (req, ctx) => {
      const caller = ctx.caller;
      if (caller.kind === 'anonymous') {
        // INVARIANT: unreachable, the action is `sigv4`; the pipeline authenticates first.
        throw new AwsError('MissingAuthenticationToken', 403, 'Request is missing Authentication Token');
      }
      if (caller.kind === 'assumedRole' || caller.temporary !== undefined) {
        throw stsError('AccessDenied', FROM_SESSION);
      }
      if (req.SerialNumber !== undefined || req.TokenCode !== undefined) {
        deps.recordDecision(ctx.requestId, {
          decision: 'implicitDeny',
          authorizations: [],
          explanation: MFA_UNSUPPORTED,
        });
        throw stsError('AccessDenied', MFA_FAILED);
      }
      const duration = req.DurationSeconds ?? DEFAULT_SECONDS;
      // A root asking for more than an hour gets an hour: "sessions ... for an AWS account owner are
      // restricted to a maximum of 3,600 seconds (one hour). If the duration is longer than one hour,
      // the session for AWS account owners defaults to one hour." (STS API Reference, GetSessionToken)
      const seconds = caller.kind === 'root' ? Math.min(duration, ROOT_MAX_SECONDS) : duration;
      const issuedAt = ctx.clock.now();
      const expiresAt = issuedAt + seconds * 1000;
      const keys = newKeyPair(ctx.ids);
      const session: IdentitySessionContext = {
        kind: caller.kind,
        ...keys,
        account: caller.accountId,
        partition: caller.partition || PARTITION,
        ...(caller.kind === 'user'
          ? { user: { name: caller.userName, id: caller.userId, arn: caller.arn } }
          : {}),
        issuedAt,
        expiresAt,
      };
      // The GCM nonce from the server's id generator (its pooled random bytes): 96 random bits, as before.
      const sessionToken = sealSession(session, await deps.sealingKey(), ctx.ids.bytes(12));
      return {
        Credentials: {
          AccessKeyId: keys.accessKeyId,
          SecretAccessKey: keys.secretAccessKey,
          SessionToken: sessionToken,
          Expiration: expiresAt,
        },
      };
    },
  };
}
