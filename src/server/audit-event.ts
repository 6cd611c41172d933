import type { AuditDecision, AuditEvent, UserIdentity } from '../audit/event.js';
import { internJson } from '../audit/event-line.js';
import type { Caller } from '../iam/caller.js';

export interface AuditFacts {
  readonly time: number;
  /** The signing name: `sts`, `iam`. */
  readonly service: string;
  readonly action: string;
  readonly region: string;
  readonly sourceIp: string;
  readonly userAgent?: string;
  readonly caller: Caller;
  readonly requestId: string;
  readonly eventId: string;
  readonly decision: AuditDecision;
  readonly error?: { readonly code: string; readonly message: string };
}

/**
 * One CloudTrail-shaped event for a request that reached an action. Request parameters are not
 * recorded yet: they can hold secrets (tokens, policies), and which members are safe is per action.
 */
export function auditEvent(facts: AuditFacts): AuditEvent {
  const accountId = facts.caller.kind === 'anonymous' ? '' : facts.caller.accountId;
  return {
    eventVersion: '1.08',
    eventTime: eventTime(facts.time),
    eventSource: `${facts.service}.amazonaws.com`,
    eventName: facts.action,
    awsRegion: facts.region,
    sourceIPAddress: facts.sourceIp,
    ...(facts.userAgent !== undefined ? { userAgent: facts.userAgent } : {}),
    userIdentity: identityOf(facts.caller),
    requestParameters: null,
    ...(facts.error !== undefined ? { errorCode: facts.error.code, errorMessage: facts.error.message } : {}),
    requestID: facts.requestId,
    eventID: facts.eventId,
    eventType: 'AwsApiCall',
    recipientAccountId: accountId,
    openirsa: facts.decision,
  };
}

/** `2026-12-04T12:00:00Z`: whole seconds, as CloudTrail writes it; made once per second of events. */
function eventTime(ms: number): string {
  const second = Math.floor(ms / 1000);
  if (second !== lastSecond) {
    lastSecond = second;
    lastTime = new Date(second * 1000).toISOString().replace('.000Z', 'Z');
  }
  return lastTime;
}

let lastSecond = Number.NaN;
let lastTime = '';

/**
 * `userIdentity(caller)`, kept per role-session caller: authenticate.ts hands back the same Caller object
 * for every request of an opened session, so its identity is built once and the events share it (frozen:
 * no event can change another's).
 */
function identityOf(caller: Caller): UserIdentity {
  if (caller.kind !== 'assumedRole') return userIdentity(caller);
  const known = IDENTITIES.get(caller);
  if (known !== undefined) return known;
  // Frozen (no event can change another's), its JSON made once for the audit lines (event-line.ts).
  const identity = internJson(userIdentity(caller));
  IDENTITIES.set(caller, identity);
  return identity;
}

const IDENTITIES = new WeakMap<Caller, UserIdentity>();

/** CloudTrail's `userIdentity` (CloudTrail User Guide, "userIdentity element"). */
function userIdentity(caller: Caller): UserIdentity {
  switch (caller.kind) {
    case 'root':
      return {
        type: 'Root',
        principalId: caller.accountId,
        arn: caller.arn,
        accountId: caller.accountId,
        accessKeyId: caller.accessKeyId,
      };
    case 'user':
      return {
        type: 'IAMUser',
        principalId: caller.userId,
        arn: caller.arn,
        accountId: caller.accountId,
        accessKeyId: caller.accessKeyId,
        userName: caller.userName,
      };
    case 'assumedRole':
      return {
        type: 'AssumedRole',
        principalId: `${caller.roleId}:${caller.sessionName}`,
        arn: caller.arn,
        accountId: caller.accountId,
        accessKeyId: caller.accessKeyId,
        sessionContext: {
          sessionIssuer: {
            type: 'Role',
            principalId: caller.roleId,
            arn: caller.roleArn,
            accountId: caller.accountId,
            userName: caller.roleName,
          },
          attributes: {
            creationDate: new Date(caller.issuedAt).toISOString(),
            mfaAuthenticated: 'false',
          },
        },
      };
    case 'anonymous':
      return { type: 'Unknown' };
  }
}
