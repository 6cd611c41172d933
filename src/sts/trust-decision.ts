import type { AuditDecision } from '../audit/event.js';
import { authorize, type AuthorizationRequest } from '../policy/authorize.js';
import { explain } from '../policy/explain.js';
import type { AuthorizationResult } from '../policy/types.js';

/**
 * Decides the STS actions one assumption needs (`sts:AssumeRole`, then `sts:TagSession` when tags
 * pass, `sts:SetSourceIdentity` when a source identity is set), each against the role's trust policy
 * and the caller's identity side, in that order; the first refusal decides. Returns the audit record
 * and, on a refusal, the action refused.
 */
export function decideTrust(
  base: Omit<AuthorizationRequest, 'action'>,
  actions: readonly string[],
  roleExists: boolean,
): { readonly record: AuditDecision; readonly deniedAction?: string } {
  const authorizations: AuditDecision['authorizations'][number][] = [];
  let denied: { action: string; authz: AuthorizationRequest; result: AuthorizationResult } | undefined;
  for (const action of actions) {
    const authz = requestFor(base, action, false);
    const untraced = authorize(authz);
    // The trace (every statement evaluated) is only for the explanation of a refusal: an allowed
    // assumption is decided without it, as the request pipeline decides every other request.
    const refused = untraced.decision !== 'allowed' || !roleExists;
    const result = refused ? authorize(requestFor(base, action, true)) : untraced;
    authorizations.push({
      action,
      resource: base.resource,
      decision: result.decision,
      ...(result.reason !== undefined ? { reason: result.reason } : {}),
      matchedStatements: result.matchedStatements,
    });
    if (refused) {
      denied = { action, authz, result };
      break;
    }
  }
  if (denied === undefined) return { record: { decision: 'allowed', authorizations } };
  const decision = denied.result.decision === 'allowed' ? 'implicitDeny' : denied.result.decision;
  return {
    record: {
      decision,
      authorizations,
      explanation: roleExists
        ? explain(denied.authz, denied.result)
        : `implicitDeny: the role \`${base.resource}\` does not exist`,
    },
    deniedAction: denied.action,
  };
}

/**
 * `base` with the action (and the trace flag), as one literal of one shape: an object spread of `base`
 * cost more than the trust policy's evaluation. Members `base` leaves out stay `undefined`, which
 * `authorize` reads as absent.
 */
function requestFor(
  base: Omit<AuthorizationRequest, 'action'>,
  action: string,
  trace: boolean,
): AuthorizationRequest {
  return {
    principal: base.principal,
    action,
    resource: base.resource,
    resourceAccount: base.resourceAccount,
    context: base.context,
    identityPolicies: base.identityPolicies,
    resourcePolicy: base.resourcePolicy,
    permissionsBoundary: base.permissionsBoundary,
    sessionPolicy: base.sessionPolicy,
    trace,
  };
}
