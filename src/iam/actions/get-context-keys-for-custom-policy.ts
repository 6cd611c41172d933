import { structure } from '../../protocol/shape.js';
import { contextKeysOf } from '../context-keys.js';
import type { QueryAction } from '../query-action.js';
import { inputPolicies } from '../simulation-policy.js';
import { contextKeysResponse, policyInputListType } from '../simulate-wire.js';

const input = structure({ PolicyInputList: { ...policyInputListType(), required: true as const } });

/**
 * IAM GetContextKeysForCustomPolicy: the condition keys and policy variables the given policies
 * reference, each once, in document order (see `contextKeysOf`). A document with errors is
 * `InvalidInput` 400, as for SimulateCustomPolicy.
 */
export const getContextKeysForCustomPolicy: QueryAction<typeof input, typeof contextKeysResponse> = {
  name: 'GetContextKeysForCustomPolicy',
  input,
  output: contextKeysResponse,
  authentication: 'sigv4',
  authorize: () => [{ action: 'iam:GetContextKeysForCustomPolicy', resource: '*' }],
  // A Promise built around the synchronous work, so that each of its errors is a rejection.
  handle: (i) =>
    new Promise((resolve) => {
      const policies = inputPolicies(i.PolicyInputList, 'PolicyInputList', 'identity');
      resolve({ ContextKeyNames: contextKeysOf(policies.map((p) => p.compiled.document)) });
    }),
};
