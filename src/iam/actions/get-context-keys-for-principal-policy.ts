import { structure } from '../../protocol/shape.js';
import { contextKeysOf } from '../context-keys.js';
import type { QueryAction } from '../query-action.js';
import { inputPolicies } from '../simulation-policy.js';
import { loadPolicySource } from '../simulation-source.js';
import { contextKeysResponse, policyInputListType } from '../simulate-wire.js';
import { arnType } from '../wire.js';

const input = structure({ PolicySourceArn: arnType(), PolicyInputList: policyInputListType() });

/**
 * IAM GetContextKeysForPrincipalPolicy: the context keys of every policy of a user or role (inline,
 * attached, and — ⚠ our choice, the API reference does not say — its permissions boundary), then of
 * the extra `PolicyInputList`. An unknown entity is `NoSuchEntity` 404.
 */
export const getContextKeysForPrincipalPolicy: QueryAction<typeof input, typeof contextKeysResponse> = {
  name: 'GetContextKeysForPrincipalPolicy',
  input,
  output: contextKeysResponse,
  authentication: 'sigv4',
  authorize: (i) => [{ action: 'iam:GetContextKeysForPrincipalPolicy', resource: i.PolicySourceArn }],
  handle: async (i, ctx) => {
    const source = await loadPolicySource(ctx, i.PolicySourceArn);
    const extra = inputPolicies(i.PolicyInputList, 'PolicyInputList', 'identity');
    const all = [...source.policies, ...(source.boundary ? [source.boundary] : []), ...extra];
    return { ContextKeyNames: contextKeysOf(all.map((p) => p.compiled.document)) };
  },
};
