import { structure, type ValueOf } from '../../protocol/shape.js';
import type { Principal } from '../../policy/types.js';
import type { ActionContext, QueryAction } from '../query-action.js';
import { inputPolicies } from '../simulation-policy.js';
import {
  callerArnRequired,
  callerPrincipalOf,
  checkSimulationRequest,
  inputBoundary,
  inputResourcePolicy,
  pageResults,
  resourceOwnerOf,
  simulationContext,
} from '../simulation-request.js';
import { runSimulation } from '../simulation-run.js';
import {
  contextFromEntries,
  policyInputListType,
  simulatePolicyResponse,
  simulationMembers,
} from '../simulate-wire.js';
import { callerAccount } from '../wire.js';

const input = structure({
  PolicyInputList: { ...policyInputListType(), required: true as const },
  ...simulationMembers(),
});

/**
 * IAM SimulateCustomPolicy: decides each of `ActionNames` on each of `ResourceArns` (default `*`) for the
 * policies given as strings, with openirsa's own engine — the one that authorizes real requests. A
 * `ResourcePolicy` needs a `CallerArn` for its `Principal` to match ("CallerArn is required if you
 * include a ResourcePolicy", API reference); without one, the caller is nobody in particular, and only
 * the `ContextEntries` make up the request context.
 */
export const simulateCustomPolicy: QueryAction<typeof input, typeof simulatePolicyResponse> = {
  name: 'SimulateCustomPolicy',
  input,
  output: simulatePolicyResponse,
  authentication: 'sigv4',
  authorize: () => [{ action: 'iam:SimulateCustomPolicy', resource: '*' }],
  // A Promise built around the synchronous work, so that each of its errors is a rejection.
  handle: (i, ctx) => new Promise((resolve) => resolve(simulate(i, ctx))),
};

function simulate(i: ValueOf<typeof input>, ctx: ActionContext): ValueOf<typeof simulatePolicyResponse> {
  const { accountId, partition } = callerAccount(ctx);
  checkSimulationRequest(i);
  const identity = inputPolicies(i.PolicyInputList, 'PolicyInputList', 'identity');
  const boundary = inputBoundary(i.PermissionsBoundaryPolicyInputList);
  if (i.ResourcePolicy !== undefined && i.CallerArn === undefined) throw callerArnRequired();
  const resourcePolicy = inputResourcePolicy(i);
  const caller = i.CallerArn === undefined ? undefined : callerPrincipalOf(i.CallerArn);
  // INVARIANT: without CallerArn no resource policy takes part, so this stand-in is matched by no
  // Principal element; it only carries the account the identity policies are evaluated in.
  const principal: Principal = caller ?? {
    type: 'user',
    account: accountId,
    partition,
    name: 'SimulatedUser',
    arn: `arn:${partition}:iam::${accountId}:user/SimulatedUser`,
  };
  const owner = resourceOwnerOf(i.ResourceOwner);
  const results = runSimulation({
    principal,
    actions: i.ActionNames,
    resources: i.ResourceArns,
    ...(owner !== undefined ? { resourceOwner: owner } : {}),
    context: simulationContext(caller, contextFromEntries(i.ContextEntries)),
    identity,
    ...(boundary !== undefined ? { boundary } : {}),
    ...(resourcePolicy !== undefined ? { resourcePolicy } : {}),
  });
  return pageResults(results, i.Marker, i.MaxItems);
}
