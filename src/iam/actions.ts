import { registerQueryAction, type RegisteredQueryAction } from './query-action.js';
import { attachRolePolicy } from './actions/attach-role-policy.js';
import { createOpenIDConnectProvider } from './actions/create-open-id-connect-provider.js';
import { createPolicy } from './actions/create-policy.js';
import { createRole } from './actions/create-role.js';
import { deleteOpenIDConnectProvider } from './actions/delete-open-id-connect-provider.js';
import { deletePolicy } from './actions/delete-policy.js';
import { deleteRolePolicy } from './actions/delete-role-policy.js';
import { deleteRole } from './actions/delete-role.js';
import { detachRolePolicy } from './actions/detach-role-policy.js';
import { getContextKeysForCustomPolicy } from './actions/get-context-keys-for-custom-policy.js';
import { getContextKeysForPrincipalPolicy } from './actions/get-context-keys-for-principal-policy.js';
import { getOpenIDConnectProvider } from './actions/get-open-id-connect-provider.js';
import { getPolicyVersion } from './actions/get-policy-version.js';
import { getPolicy } from './actions/get-policy.js';
import { getRolePolicy } from './actions/get-role-policy.js';
import { getRole } from './actions/get-role.js';
import { listAttachedRolePolicies } from './actions/list-attached-role-policies.js';
import { listOpenIDConnectProviders } from './actions/list-open-id-connect-providers.js';
import { listRolePolicies } from './actions/list-role-policies.js';
import { listRoles } from './actions/list-roles.js';
import { putRolePolicy } from './actions/put-role-policy.js';
import { simulateCustomPolicy } from './actions/simulate-custom-policy.js';
import { simulatePrincipalPolicy } from './actions/simulate-principal-policy.js';
import { updateAssumeRolePolicy } from './actions/update-assume-role-policy.js';

/**
 * Every IAM action this server implements (version 2010-05-08, awsQuery), listed explicitly (DESIGN.md:
 * no discovery). An action not here answers 501 `InternalFailure` "IAM.<Action> is not implemented".
 */
export const IAM_ACTIONS: readonly RegisteredQueryAction[] = [
  registerQueryAction(createRole),
  registerQueryAction(getRole),
  registerQueryAction(listRoles),
  registerQueryAction(deleteRole),
  registerQueryAction(updateAssumeRolePolicy),
  registerQueryAction(putRolePolicy),
  registerQueryAction(getRolePolicy),
  registerQueryAction(listRolePolicies),
  registerQueryAction(deleteRolePolicy),
  registerQueryAction(createPolicy),
  registerQueryAction(getPolicy),
  registerQueryAction(getPolicyVersion),
  registerQueryAction(deletePolicy),
  registerQueryAction(attachRolePolicy),
  registerQueryAction(detachRolePolicy),
  registerQueryAction(listAttachedRolePolicies),
  registerQueryAction(createOpenIDConnectProvider),
  registerQueryAction(getOpenIDConnectProvider),
  registerQueryAction(listOpenIDConnectProviders),
  registerQueryAction(deleteOpenIDConnectProvider),
  registerQueryAction(simulateCustomPolicy),
  registerQueryAction(simulatePrincipalPolicy),
  registerQueryAction(getContextKeysForCustomPolicy),
  registerQueryAction(getContextKeysForPrincipalPolicy),
];
