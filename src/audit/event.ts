import type { Decision, DenyReason, StatementRef } from '../policy/types.js';

/**
 * One audit event per authorized or denied request, shaped like a CloudTrail record (CloudTrail User
 * Guide, "CloudTrail record contents") so that tools reading CloudTrail JSON read these too, plus an
 * `openirsa` member with the authorization decision and why. Written as one JSON line each.
 */
export interface AuditEvent {
  readonly eventVersion: '1.08';
  /** ISO 8601 with a `Z`, seconds precision, as CloudTrail writes it. */
  readonly eventTime: string;
  /** `s3.amazonaws.com`, `sts.amazonaws.com`, `iam.amazonaws.com`. */
  readonly eventSource: string;
  /** The API operation: `GetObject`, `AssumeRoleWithWebIdentity`, ... */
  readonly eventName: string;
  readonly awsRegion: string;
  readonly sourceIPAddress: string;
  readonly userAgent?: string;
  readonly userIdentity: UserIdentity;
  readonly requestParameters: Readonly<Record<string, unknown>> | null;
  readonly responseElements?: Readonly<Record<string, unknown>> | null;
  readonly errorCode?: string;
  readonly errorMessage?: string;
  readonly requestID: string;
  readonly eventID: string;
  readonly readOnly?: boolean;
  readonly resources?: readonly {
    readonly ARN: string;
    readonly accountId?: string;
    readonly type?: string;
  }[];
  readonly eventType: 'AwsApiCall';
  readonly recipientAccountId: string;
  readonly openirsa: AuditDecision;
}

/** CloudTrail's `userIdentity` (CloudTrail User Guide, "userIdentity element"). */
export interface UserIdentity {
  readonly type:
    'Root' | 'IAMUser' | 'AssumedRole' | 'FederatedUser' | 'WebIdentityUser' | 'AWSService' | 'Unknown';
  readonly principalId?: string;
  readonly arn?: string;
  readonly accountId?: string;
  readonly accessKeyId?: string;
  readonly userName?: string;
  /** For web-identity callers: the identity provider. */
  readonly identityProvider?: string;
  readonly sessionContext?: {
    readonly sessionIssuer?: {
      readonly type: 'Role';
      readonly principalId?: string;
      readonly arn: string;
      readonly accountId: string;
      readonly userName: string;
    };
    readonly attributes?: { readonly creationDate: string; readonly mfaAuthenticated: 'true' | 'false' };
  };
}

/** What the policy engine decided, for each authorization the request needed (CopyObject needs two). */
export interface AuditDecision {
  readonly decision: Decision;
  readonly authorizations: readonly {
    readonly action: string;
    readonly resource: string;
    readonly decision: Decision;
    readonly reason?: DenyReason;
    readonly matchedStatements: readonly StatementRef[];
  }[];
  /** The human explanation of a denial: kept with the request id for `openirsa explain`. */
  readonly explanation?: string;
}
