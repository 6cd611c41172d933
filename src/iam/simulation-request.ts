import { isTrustPolicyRequest } from '../policy/authorize.js';
import { derivedContext, mergeContext } from '../policy/context.js';
import type { ContextValue, PolicyKind, Principal, RequestContext } from '../policy/types.js';
import { isAccountId, parseArn } from '../shared/arn.js';
import { AwsError } from '../shared/aws-error.js';
import { iamError } from './errors.js';
import { inputPolicies, inputPolicy, type SimulationPolicy } from './simulation-policy.js';
import { MAX_EVALUATIONS, type WireEvaluationResult } from './simulate-wire.js';

/**
 * The checks and conversions SimulateCustomPolicy and SimulatePrincipalPolicy share. Messages marked ⚠
 * are ours: the API reference names the error (`InvalidInput` 400) but not its wording.
 */

/** `service:Action`: "Each operation must include the service identifier, such as iam:CreateUser". */
export function checkActionNames(actions: readonly string[]): void {
  for (const a of actions) {
    if (!/^[A-Za-z0-9-]+:[A-Za-z0-9*?]+$/.test(a)) {
      // ⚠ wording ours.
      throw iamError('InvalidInput', `Action ${a} must be of the form service:ActionName.`);
    }
  }
}

export function checkSize(actions: number, resources: number | undefined): void {
  if (actions * (resources ?? 1) > MAX_EVALUATIONS) {
    // ⚠ our bound and wording: IAM documents no limit on ActionNames × ResourceArns.
    throw iamError(
      'InvalidInput',
      `A simulation may evaluate at most ${MAX_EVALUATIONS} combinations of action and resource.`,
    );
  }
}

/**
 * `ResourceHandlingOption` selects one of IAM's EC2 scenarios (`EC2-VPC-InstanceStore`, ...), which
 * openirsa does not model: any value answers 501 rather than a result that ignores it.
 */
export function checkResourceHandlingOption(option: string | undefined): void {
  if (option === undefined) return;
  throw new AwsError('InternalFailure', 501, 'ResourceHandlingOption is not implemented', {
    fault: 'Receiver',
  });
}

/**
 * `ResourceOwner`: "An Amazon Web Services account ID" (API reference), also accepted as an ARN that
 * names the account (`arn:aws:iam::123456789012:root`).
 */
export function resourceOwnerOf(owner: string | undefined): string | undefined {
  if (owner === undefined) return undefined;
  if (isAccountId(owner)) return owner;
  const account = parseArn(owner)?.account;
  if (account !== undefined && isAccountId(account)) return account;
  throw iamError('InvalidInput', `ResourceOwner ${owner} is not an account ID.`); // ⚠ wording ours
}

/**
 * The principal `CallerArn` names. AWS accepts only IAM user ARNs ("You cannot specify the ARN of an
 * assumed role, federated user, or a service principal"); openirsa also takes, to simulate a role's
 * trust policy, an OIDC or SAML provider ARN (the federated caller of AssumeRoleWith*) and a service
 * principal name such as `ec2.amazonaws.com` — for those two the trust policy alone decides.
 */
export function callerPrincipalOf(callerArn: string): Principal {
  const arn = parseArn(callerArn);
  if (arn === undefined) {
    if (/^[a-z0-9.-]+\.amazonaws\.com(\.cn)?$/.test(callerArn))
      return { type: 'service', service: callerArn };
    throw iamError('InvalidInput', `CallerArn ${callerArn} is not the ARN of an IAM user.`); // ⚠ wording ours
  }
  if (arn.service === 'iam' && /^(oidc|saml)-provider\/./.test(arn.resource)) {
    return { type: 'federated', provider: callerArn };
  }
  const user = arn.service === 'iam' ? /^user\/(?:.*\/)?([^/]+)$/.exec(arn.resource) : null;
  if (user === null || !isAccountId(arn.account)) {
    throw iamError('InvalidInput', `CallerArn ${callerArn} is not the ARN of an IAM user.`); // ⚠ wording ours
  }
  return {
    type: 'user',
    account: arn.account,
    partition: arn.partition,
    name: user[1] ?? '',
    arn: callerArn,
  };
}

/**
 * The context of a simulation: the `ContextEntries`, over the keys the simulated principal implies
 * (`aws:username`, `aws:PrincipalArn`, ... — "provided by one of the input parameters", API reference,
 * MissingContextValues). ⚠ Request-time keys (`aws:CurrentTime`, `aws:EpochTime`) are not filled in:
 * AWS lists them among the keys to supply (get-context-keys-for-custom-policy example), and a simulation
 * must not change its answer with the clock.
 */
export function simulationContext(
  principal: Principal | undefined,
  entries: ReadonlyMap<string, ContextValue>,
): RequestContext {
  if (principal === undefined) return entries;
  const derived = derivedContext(principal, 0);
  derived.delete('aws:currenttime');
  derived.delete('aws:epochtime');
  return mergeContext(derived, entries);
}

/**
 * How a `ResourcePolicy` is validated: as a role trust policy when every simulated request is an STS
 * call on a role (that is what the trust policy decides), otherwise as a resource policy.
 */
export function resourcePolicyKind(
  actions: readonly string[],
  resources: readonly string[] | undefined,
): PolicyKind {
  const list = resources ?? ['*'];
  const trust = actions.every((a) => list.every((r) => isTrustPolicyRequest(a, r)));
  return trust ? 'trust' : 'resource';
}

/**
 * IAM-style paging of the results: `MaxItems` (default 100) from `Marker`. The marker is the offset of
 * the next result, which the same request reproduces. ⚠ A marker we did not issue is `InvalidInput`
 * "Invalid Marker." as in ListRoles.
 */
export function pageResults(
  results: readonly WireEvaluationResult[],
  marker: string | undefined,
  maxItems: number | undefined,
): { EvaluationResults: WireEvaluationResult[]; IsTruncated: boolean; Marker?: string } {
  let start = 0;
  if (marker !== undefined) {
    const m = /^r([0-9]{1,6})$/.exec(marker);
    start = m ? Number(m[1]) : -1;
    if (start <= 0 || start >= results.length) throw iamError('InvalidInput', 'Invalid Marker.');
  }
  const end = start + (maxItems ?? 100);
  const page = results.slice(start, end);
  const more = end < results.length;
  return { EvaluationResults: page, IsTruncated: more, ...(more ? { Marker: `r${end}` } : {}) };
}

/** "You can input only one permissions boundary" (API reference). ⚠ wording ours. */
export function onlyOneBoundary() {
  return iamError('InvalidInput', 'PermissionsBoundaryPolicyInputList may hold only one policy.');
}

/** ⚠ wording ours; the rule is the API reference's (CallerArn). */
export function callerArnRequired() {
  return iamError('InvalidInput', 'CallerArn is required when a ResourcePolicy is given.');
}

/** The checks both simulations make first, in this order: the option, the action names, the size. */
export function checkSimulationRequest(i: {
  readonly ResourceHandlingOption?: string | undefined;
  readonly ActionNames: readonly string[];
  readonly ResourceArns?: readonly string[] | undefined;
}): void {
  checkResourceHandlingOption(i.ResourceHandlingOption);
  checkActionNames(i.ActionNames);
  checkSize(i.ActionNames.length, i.ResourceArns?.length);
}

/** The one policy of `PermissionsBoundaryPolicyInputList`, validated; more than one is refused. */
export function inputBoundary(texts: readonly string[] | undefined): SimulationPolicy | undefined {
  const boundaries = inputPolicies(texts, 'PermissionsBoundaryPolicyInputList', 'boundary');
  if (boundaries.length > 1) throw onlyOneBoundary();
  return boundaries[0];
}

/** `ResourcePolicy`, validated as the kind of policy the simulated requests need (resourcePolicyKind). */
export function inputResourcePolicy(i: {
  readonly ResourcePolicy?: string | undefined;
  readonly ActionNames: readonly string[];
  readonly ResourceArns?: readonly string[] | undefined;
}): SimulationPolicy | undefined {
  return i.ResourcePolicy === undefined
    ? undefined
    : inputPolicy(
        i.ResourcePolicy,
        'ResourcePolicy',
        resourcePolicyKind(i.ActionNames, i.ResourceArns),
        'resource',
      );
}
