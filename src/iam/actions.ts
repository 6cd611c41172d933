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
import { updateRole } from './actions/update-role.js';
import { updateRoleDescription } from './actions/update-role-description.js';
import { tagRole } from './actions/tag-role.js';
import { untagRole } from './actions/untag-role.js';
import { listRoleTags } from './actions/list-role-tags.js';
import { putRolePermissionsBoundary } from './actions/put-role-permissions-boundary.js';
import { deleteRolePermissionsBoundary } from './actions/delete-role-permissions-boundary.js';
import { addClientIDToOpenIDConnectProvider } from './actions/add-client-id-to-open-id-connect-provider.js';
import { removeClientIDFromOpenIDConnectProvider } from './actions/remove-client-id-from-open-id-connect-provider.js';
import { updateOpenIDConnectProviderThumbprint } from './actions/update-open-id-connect-provider-thumbprint.js';
import { tagOpenIDConnectProvider } from './actions/tag-open-id-connect-provider.js';
import { untagOpenIDConnectProvider } from './actions/untag-open-id-connect-provider.js';
import { listOpenIDConnectProviderTags } from './actions/list-open-id-connect-provider-tags.js';
import { listPolicies } from './actions/list-policies.js';
import { createPolicyVersion } from './actions/create-policy-version.js';
import { listPolicyVersions } from './actions/list-policy-versions.js';
import { deletePolicyVersion } from './actions/delete-policy-version.js';
import { setDefaultPolicyVersion } from './actions/set-default-policy-version.js';
import { listEntitiesForPolicy } from './actions/list-entities-for-policy.js';
import { tagPolicy } from './actions/tag-policy.js';
import { untagPolicy } from './actions/untag-policy.js';
import { listPolicyTags } from './actions/list-policy-tags.js';
import { createUser } from './actions/create-user.js';
import { getUser } from './actions/get-user.js';
import { listUsers } from './actions/list-users.js';
import { updateUser } from './actions/update-user.js';
import { deleteUser } from './actions/delete-user.js';
import { tagUser } from './actions/tag-user.js';
import { untagUser } from './actions/untag-user.js';
import { listUserTags } from './actions/list-user-tags.js';
import { createAccessKey } from './actions/create-access-key.js';
import { listAccessKeys } from './actions/list-access-keys.js';
import { updateAccessKey } from './actions/update-access-key.js';
import { deleteAccessKey } from './actions/delete-access-key.js';
import { getAccessKeyLastUsed } from './actions/get-access-key-last-used.js';
import { putUserPolicy } from './actions/put-user-policy.js';
import { getUserPolicy } from './actions/get-user-policy.js';
import { listUserPolicies } from './actions/list-user-policies.js';
import { deleteUserPolicy } from './actions/delete-user-policy.js';
import { attachUserPolicy } from './actions/attach-user-policy.js';
import { detachUserPolicy } from './actions/detach-user-policy.js';
import { listAttachedUserPolicies } from './actions/list-attached-user-policies.js';
import { putUserPermissionsBoundary } from './actions/put-user-permissions-boundary.js';
import { deleteUserPermissionsBoundary } from './actions/delete-user-permissions-boundary.js';

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
  registerQueryAction(updateRole),
  registerQueryAction(updateRoleDescription),
  registerQueryAction(tagRole),
  registerQueryAction(untagRole),
  registerQueryAction(listRoleTags),
  registerQueryAction(putRolePermissionsBoundary),
  registerQueryAction(deleteRolePermissionsBoundary),
  registerQueryAction(addClientIDToOpenIDConnectProvider),
  registerQueryAction(removeClientIDFromOpenIDConnectProvider),
  registerQueryAction(updateOpenIDConnectProviderThumbprint),
  registerQueryAction(tagOpenIDConnectProvider),
  registerQueryAction(untagOpenIDConnectProvider),
  registerQueryAction(listOpenIDConnectProviderTags),
  registerQueryAction(listPolicies),
  registerQueryAction(createPolicyVersion),
  registerQueryAction(listPolicyVersions),
  registerQueryAction(deletePolicyVersion),
  registerQueryAction(setDefaultPolicyVersion),
  registerQueryAction(listEntitiesForPolicy),
  registerQueryAction(tagPolicy),
  registerQueryAction(untagPolicy),
  registerQueryAction(listPolicyTags),
  registerQueryAction(createUser),
  registerQueryAction(getUser),
  registerQueryAction(listUsers),
  registerQueryAction(updateUser),
  registerQueryAction(deleteUser),
  registerQueryAction(tagUser),
  registerQueryAction(untagUser),
  registerQueryAction(listUserTags),
  registerQueryAction(createAccessKey),
  registerQueryAction(listAccessKeys),
  registerQueryAction(updateAccessKey),
  registerQueryAction(deleteAccessKey),
  registerQueryAction(getAccessKeyLastUsed),
  registerQueryAction(putUserPolicy),
  registerQueryAction(getUserPolicy),
  registerQueryAction(listUserPolicies),
  registerQueryAction(deleteUserPolicy),
  registerQueryAction(attachUserPolicy),
  registerQueryAction(detachUserPolicy),
  registerQueryAction(listAttachedUserPolicies),
  registerQueryAction(putUserPermissionsBoundary),
  registerQueryAction(deleteUserPermissionsBoundary),
  registerQueryAction(simulateCustomPolicy),
  registerQueryAction(simulatePrincipalPolicy),
  registerQueryAction(getContextKeysForCustomPolicy),
  registerQueryAction(getContextKeysForPrincipalPolicy),
];
