import { structure } from '../../protocol/shape.js';
import { isTrustPolicyRequest } from '../../policy/authorize.js';
import { parseArn } from '../../shared/arn.js';
import type { ActionContext, QueryAction } from '../query-action.js';
import { inputPolicies, storedPolicy, type SimulationPolicy } from '../simulation-policy.js';
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
import { loadPolicySource } from '../simulation-source.js';
import {
  contextFromEntries,
  policyInputListType,
  simulatePolicyResponse,
  simulationMembers,
} from '../simulate-wire.js';
import { arnType, callerAccount } from '../wire.js';

const input = structure({
  PolicySourceArn: arnType(),
  PolicyInputList: policyInputListType(),
  ...simulationMembers(),
});

/**
 * IAM SimulatePrincipalPolicy: SimulateCustomPolicy with the policies of a user (inline, attached and
 * its permissions boundary) or a role (the same), plus any `PolicyInputList`; a
 * `PermissionsBoundaryPolicyInputList` entry replaces the entity's boundary ("the new permissions
 * boundary policy is used for the simulation", API reference). A user is also the caller unless
 * `CallerArn` names another; a role is simulated as a session of itself.
 *
 * openirsa goes one step beyond AWS here: for `sts:AssumeRole*` on a role of this account (and no
 * `ResourcePolicy`), that role's trust policy is the resource policy, as when the call is made for
 * real; with a federated or service `CallerArn`, the trust policy alone decides (iam-policy.md §4).
 */
export const simulatePrincipalPolicy: QueryAction<typeof input, typeof simulatePolicyResponse> = {
  name: 'SimulatePrincipalPolicy',
  input,
  output: simulatePolicyResponse,
  authentication: 'sigv4',
  authorize: (i) => [{ action: 'iam:SimulatePrincipalPolicy', resource: i.PolicySourceArn }],
  handle: async (i, ctx) => {
    checkSimulationRequest(i);
    const source = await loadPolicySource(ctx, i.PolicySourceArn);
    const extra = inputPolicies(i.PolicyInputList, 'PolicyInputList', 'identity');
    const inputBoundaryPolicy = inputBoundary(i.PermissionsBoundaryPolicyInputList);
    // "CallerArn is required if you include a ResourcePolicy and the PolicySourceArn is not the ARN
    // for an IAM user" (API reference).
    if (i.ResourcePolicy !== undefined && i.CallerArn === undefined && source.kind !== 'user') {
      throw callerArnRequired();
    }
    const resourcePolicy = inputResourcePolicy(i);
    const principal = i.CallerArn === undefined ? source.principal : callerPrincipalOf(i.CallerArn);
    const boundary = inputBoundaryPolicy ?? source.boundary;
    const owner = resourceOwnerOf(i.ResourceOwner);
    const trustPolicies =
      resourcePolicy === undefined ? await trustPoliciesOf(ctx, i.ActionNames, i.ResourceArns) : undefined;
    const results = runSimulation({
      principal,
      actions: i.ActionNames,
      resources: i.ResourceArns,
      ...(owner !== undefined ? { resourceOwner: owner } : {}),
      context: simulationContext(principal, contextFromEntries(i.ContextEntries)),
      identity: [...source.policies, ...extra],
      ...(boundary !== undefined ? { boundary } : {}),
      ...(resourcePolicy !== undefined ? { resourcePolicy } : {}),
      ...(trustPolicies !== undefined && trustPolicies.size > 0 ? { trustPolicies } : {}),
    });
    return pageResults(results, i.Marker, i.MaxItems);
  },
};

/**
 * The trust policies of the roles of this account that an `sts:AssumeRole*` simulation names, by ARN.
 * ⚠ `SourcePolicyId` `AssumeRolePolicyDocument` (the member that holds it) and type `resource` are our
 * choice: AWS does not simulate role trust policies.
 */
async function trustPoliciesOf(
  ctx: ActionContext,
  actions: readonly string[],
  resources: readonly string[] | undefined,
): Promise<Map<string, SimulationPolicy>> {
  const out = new Map<string, SimulationPolicy>();
  const { accountId } = callerAccount(ctx);
  for (const resource of resources ?? []) {
    if (out.has(resource) || !actions.some((a) => isTrustPolicyRequest(a, resource))) continue;
    const arn = parseArn(resource);
    const name = arn?.account === accountId ? /^role\/(?:.*\/)?([^/]+)$/.exec(arn.resource)?.[1] : undefined;
    const role = name === undefined ? undefined : await ctx.store.roles.get(accountId, name);
    if (role === undefined || role.arn !== resource) continue;
    out.set(
      resource,
      storedPolicy((t) => ctx.policies.compile(t), role.trustPolicy, 'AssumeRolePolicyDocument', 'resource'),
    );
  }
  return out;
}
