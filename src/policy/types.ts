/**
 * The public types of the policy engine: what goes in (`AuthorizationRequest`) and what comes out
 * (`AuthorizationResult`), plus validation findings. Decisions use AWS's vocabulary.
 */

export type Decision = 'allowed' | 'explicitDeny' | 'implicitDeny';

/** The kinds of policy IAM distinguishes; each has its own validation rules and role in evaluation. */
export type PolicyKind = 'identity' | 'resource' | 'trust' | 'boundary' | 'session';

/** Which policy of a request a statement came from. */
export type PolicySlot = 'identity' | 'resource' | 'boundary' | 'session';

export type Severity = 'error' | 'securityWarning' | 'warning' | 'suggestion';

/**
 * One validation finding, in the spirit of IAM Access Analyzer's policy checks. `error` means IAM itself
 * rejects the document; `awsError` then carries the error IAM answers with.
 */
export interface Finding {
  readonly severity: Severity;
  /** Stable upper-snake-case code, Access Analyzer's issue code where it has one. */
  readonly code: string;
  readonly message: string;
  /** JSON pointer into the policy document (`/Statement/0/Condition/StringEquals/aws:SourceIp`). */
  readonly path: string;
  readonly awsError?: { readonly code: string; readonly message: string };
}

/** The caller of a request, as the engine needs to see it. */
export type Principal =
  | { readonly type: 'root'; readonly account: string; readonly partition: string }
  | {
      readonly type: 'user';
      readonly account: string;
      readonly partition: string;
      readonly name: string;
      /** The user ARN, with its path. */
      readonly arn: string;
      /** `AIDA...` unique id, when known. */
      readonly id?: string;
    }
  | {
      readonly type: 'assumedRole';
      readonly account: string;
      readonly partition: string;
      readonly roleName: string;
      readonly sessionName: string;
      /** `arn:aws:sts::A:assumed-role/ROLE/SESSION`: the session ARN has no role path. */
      readonly arn: string;
      /** `arn:aws:iam::A:role/PATH/ROLE`: what `aws:PrincipalArn` holds. */
      readonly roleArn: string;
      /** `AROA...` unique id of the role, when known. */
      readonly roleId?: string;
    }
  | {
      readonly type: 'federatedUser';
      readonly account: string;
      readonly partition: string;
      readonly name: string;
      readonly arn: string;
    }
  /** A web-identity or SAML caller of AssumeRoleWith*: matched by `Principal.Federated`. */
  | { readonly type: 'federated'; readonly provider: string }
  /** An AWS service principal such as `s3.amazonaws.com`: matched by `Principal.Service`. */
  | { readonly type: 'service'; readonly service: string }
  | { readonly type: 'anonymous' };

/** A context value: single-valued keys hold a string, multivalued keys a list. */
export type ContextValue = string | readonly string[];

/** Request context, keyed by the lower-cased condition key name (key names are case-insensitive). */
export type RequestContext = ReadonlyMap<string, ContextValue>;

/** One matched (or, in a trace, evaluated) statement, named so a person can find it. */
export interface StatementRef {
  readonly policy: PolicySlot;
  /** Position in `identityPolicies` for identity policies. */
  readonly policyIndex?: number;
  /** The policy's name where the caller gave one. */
  readonly policyName?: string;
  readonly statementIndex: number;
  readonly sid?: string;
  readonly effect: 'Allow' | 'Deny';
  /** JSON pointer of the statement in its document. */
  readonly path: string;
}

/** Why a condition failed or held, recorded in the trace. */
export interface ConditionTrace {
  readonly operator: string;
  readonly key: string;
  readonly policyValues: readonly string[];
  /** The request's value for the key; `undefined` when the key is absent. */
  readonly requestValue: ContextValue | undefined;
  readonly matched: boolean;
  /** Short machine-readable reason: `missingKey`, `ifExistsMissing`, `valueMismatch`, ... */
  readonly reason: string;
  /** Policy values that used a variable the request could not resolve. */
  readonly unresolvedVariables?: readonly string[];
  readonly path: string;
}

export interface StatementTrace extends StatementRef {
  /** The statement's `Action` (or `NotAction`) and `Resource` (or `NotResource`) patterns, as written. */
  readonly actions: readonly string[];
  readonly notAction: boolean;
  readonly resources: readonly string[] | undefined;
  readonly notResource: boolean;
  readonly principalMatch: boolean | 'notApplicable';
  readonly actionMatch: boolean;
  readonly resourceMatch: boolean;
  /** Only evaluated when principal, action and resource matched. */
  readonly conditions: readonly ConditionTrace[];
  readonly matched: boolean;
  /** For a resource-policy statement: how its principal matched (see `PrincipalMatchKind`). */
  readonly principalMatchKind?: PrincipalMatchKind;
}

/**
 * How a resource-policy statement's principal matched the caller, which decides whether the grant is
 * limited by the caller's identity policies, boundary and session policy (IAM User Guide, policy
 * evaluation logic, "resource-based policies" table).
 * - `direct`: the caller itself (user ARN, session ARN, federated-user ARN, `*`, a federated or service
 *   principal): not limited by implicit denies of identity policies, boundary or session policy.
 * - `role`: the role of the calling session: not limited by identity policies; limited by the
 *   boundary and the session policy.
 * - `account`: the caller's account: delegation only; the identity side must allow as well.
 */
export type PrincipalMatchKind = 'direct' | 'role' | 'account';

/** Why a request was denied, when it was. */
export type DenyReason =
  | 'explicitDeny'
  | 'noIdentityAllow'
  | 'noResourceAllow'
  | 'noTrustAllow'
  | 'crossAccountNoResourceAllow'
  | 'crossAccountNoIdentityAllow'
  | 'boundary'
  | 'sessionPolicy'
  | 'federatedUserNoSessionPolicy'
  | 'policyErrors';

export interface AuthorizationResult {
  readonly decision: Decision;
  /** Set when the decision is a denial. */
  readonly reason?: DenyReason;
  /** Statements that decided: the matching Deny, or the Allows that granted. With `trace`, all matches. */
  readonly matchedStatements: readonly StatementRef[];
  /** Condition keys that a relevant statement referenced and the request context lacked. */
  readonly missingContextKeys: readonly string[];
  /** Problems met while evaluating (a policy with errors, a context value of the wrong shape, ...). */
  readonly issues: readonly string[];
  /** Per-statement trace, when the request asked for it. */
  readonly trace?: readonly StatementTrace[];
}
