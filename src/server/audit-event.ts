import type { AuditDecision, AuditEvent, UserIdentity } from '../audit/event.js';
import { internJson } from '../audit/event-line.js';
import type { Caller } from '../iam/caller.js';
import { isoSecond } from '../shared/iso-second.js';

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
 * Builds CloudTrail-shaped events for the requests that reached an action. Request parameters are not
 * recorded yet: they can hold secrets (tokens, policies), and which members are safe is per action.
 *
 * One per server (createServer), shared by its awsQuery and S3 routes: it remembers the last second it
 * formatted and the identities its events share, caches of values that never change what an event says
 * (DESIGN.md: state belongs to an instance the server owns, not to the module).
 */
export class AuditEvents {
  #lastSecond = Number.NaN;
  #lastTime = '';
  /** A role session's identity, by the Caller object authenticate.ts hands back for the whole session. */
  readonly #identities = new WeakMap<Caller, UserIdentity>();
  /** The last root or IAM-user identity written; its members are flat strings (`userIdentity`). */
  #lastLongTerm: UserIdentity | undefined;

  /** The event of one request. */
  build(facts: AuditFacts): AuditEvent {
    const accountId = facts.caller.kind === 'anonymous' ? '' : facts.caller.accountId;
    // Members assigned in CloudTrail's order, the optional ones only when present (the line encoder
    // writes them in this order): plain assignments, not conditional spreads, which copied a temporary
    // object each.
    const event: { -readonly [K in keyof AuditEvent]: AuditEvent[K] } = {
      eventVersion: '1.08',
      eventTime: this.#eventTime(facts.time),
      eventSource: `${facts.service}.amazonaws.com`,
      eventName: facts.action,
      awsRegion: facts.region,
      sourceIPAddress: facts.sourceIp,
    } as AuditEvent;
    if (facts.userAgent !== undefined) event.userAgent = facts.userAgent;
    event.userIdentity = this.#identityOf(facts.caller);
    event.requestParameters = null;
    if (facts.error !== undefined) {
      event.errorCode = facts.error.code;
      event.errorMessage = facts.error.message;
    }
    event.requestID = facts.requestId;
    event.eventID = facts.eventId;
    event.eventType = 'AwsApiCall';
    event.recipientAccountId = accountId;
    event.openirsa = facts.decision;
    return event;
  }

  /** `2026-12-04T12:00:00Z`: whole seconds, as CloudTrail writes it; made once per second of events. */
  #eventTime(ms: number): string {
    const second = Math.floor(ms / 1000);
    if (second !== this.#lastSecond) {
      this.#lastSecond = second;
      this.#lastTime = isoSecond(second * 1000);
    }
    return this.#lastTime;
  }

  /**
   * `userIdentity(caller)`, shared between events (frozen, so no event can change another's, and its
   * JSON made once for the audit lines, event-line.ts). A role session's: kept per Caller object, since
   * authenticate.ts hands back the same one for every request of an opened session. The root's or an IAM
   * user's: the caller is built anew for every request from the access key the store returns, so the
   * identity is compared with the last one of its kind instead, and that one is used again while it is
   * the same (one long-term key signs request after request).
   */
  #identityOf(caller: Caller): UserIdentity {
    if (caller.kind === 'anonymous') return ANONYMOUS;
    const known = this.#identities.get(caller);
    if (known !== undefined) return known;
    const built = userIdentity(caller);
    if (caller.kind !== 'assumedRole') {
      const last = this.#lastLongTerm;
      if (last !== undefined && sameFlatIdentity(last, built)) return last;
      this.#lastLongTerm = internJson(built);
      return this.#lastLongTerm;
    }
    const identity = internJson(built);
    this.#identities.set(caller, identity);
    return identity;
  }
}

/** Frozen, and never changed: one for every anonymous event. */
const ANONYMOUS: UserIdentity = internJson({ type: 'Unknown' });

/** Whether two root or IAM-user identities (no nested members) have the same members, in the same order. */
function sameFlatIdentity(a: UserIdentity, b: UserIdentity): boolean {
  return (
    a.type === b.type &&
    a.principalId === b.principalId &&
    a.arn === b.arn &&
    a.accountId === b.accountId &&
    a.accessKeyId === b.accessKeyId &&
    a.userName === b.userName &&
    a.sessionContext === undefined &&
    b.sessionContext === undefined
  );
}

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
