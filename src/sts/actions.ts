import { registerQueryAction, type RegisteredQueryAction } from '../iam/query-action.js';
import { assumeRoleWithWebIdentity, type WebIdentityDeps } from './actions/assume-role-with-web-identity.js';
import { getCallerIdentity } from './actions/get-caller-identity.js';
import { assumeRole } from './actions/assume-role.js';
import { getSessionToken } from './actions/get-session-token.js';

/**
 * Every STS action this server implements, listed explicitly (DESIGN.md: no discovery). An action not
 * here answers 501 `InternalFailure` "STS.<Action> is not implemented". The web-identity action needs
 * the server's issuer and sealing keys, so the table is built per server.
 */
export function stsActions(deps: WebIdentityDeps): readonly RegisteredQueryAction[] {
  return [
    registerQueryAction(getCallerIdentity),
    registerQueryAction(assumeRoleWithWebIdentity(deps)),
    registerQueryAction(assumeRole(deps)),
    registerQueryAction(getSessionToken(deps)),
  ];
}
