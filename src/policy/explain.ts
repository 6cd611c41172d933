import type { AuthorizationRequest } from './authorize.js';
import { principalName, principalPhrase } from './principal.js';
import type {
  AuthorizationResult,
  ConditionTrace,
  DenyReason,
  PolicySlot,
  StatementRef,
  StatementTrace,
} from './types.js';

/**
 * Explanations for people: which policy, which statement, which condition, which value. This is what
 * AWS does not give: its denials say at most which kind of policy was missing an allow.
 */

const SLOT_PHRASE: Record<PolicySlot, string> = {
  identity: 'identity-based policy',
  resource: 'resource-based policy',
  boundary: 'permissions boundary',
  session: 'session policy',
};

/**
 * The sentence AWS uses in its access-denied messages (IAM User Guide, "Troubleshoot access denied
 * error messages"): `User: ARN is not authorized to perform: ACTION on resource: RESOURCE because no
 * identity-based policy allows the ACTION action`, or `... with an explicit deny in a ...`.
 */
export function denialMessage(req: AuthorizationRequest, result: AuthorizationResult): string {
  // STS answers a refused web-identity or SAML assumption without naming anyone.
  if (req.principal.type === 'federated') return `Not authorized to perform ${req.action}`;
  const who = principalName(req.principal);
  const on = req.resource === '*' ? '' : ` on resource: ${req.resource}`;
  return `User: ${who} is not authorized to perform: ${req.action}${on} ${reasonPhrase(req, result)}`;
}

function reasonPhrase(req: AuthorizationRequest, result: AuthorizationResult): string {
  const reason: DenyReason = result.reason ?? 'noIdentityAllow';
  const action = req.action;
  switch (reason) {
    case 'explicitDeny': {
      const slot = result.matchedStatements[0]?.policy ?? 'identity';
      return `with an explicit deny in ${article(SLOT_PHRASE[slot])}`;
    }
    case 'noIdentityAllow':
    case 'crossAccountNoIdentityAllow':
      return `because no identity-based policy allows the ${action} action`;
    case 'noResourceAllow':
    case 'noTrustAllow':
    case 'crossAccountNoResourceAllow':
      return `because no resource-based policy allows the ${action} action`;
    case 'boundary':
      return `because no permissions boundary allows the ${action} action`;
    case 'sessionPolicy':
    case 'federatedUserNoSessionPolicy':
      return `because no session policy allows the ${action} action`;
    case 'policyErrors':
      return 'because a policy that applies has errors, and such a policy grants nothing';
  }
}

function article(phrase: string): string {
  return /^[aeiou]/.test(phrase) ? `an ${phrase}` : `a ${phrase}`;
}

const REASON_DETAIL: Record<DenyReason, string> = {
  explicitDeny: 'a Deny statement matched; an explicit deny beats every allow',
  noIdentityAllow: 'no identity-based policy allows it, and no resource-based policy grants it on its own',
  noResourceAllow: 'only a resource-based policy can allow this principal, and none does',
  noTrustAllow: "the role's trust policy does not allow it; a trust policy must allow sts:AssumeRole* itself",
  crossAccountNoResourceAllow:
    "the resource is in another account, so its resource-based policy must allow the request as well, and it doesn't",
  crossAccountNoIdentityAllow:
    'the resource is in another account; its policy allows, but no identity-based policy does',
  boundary: 'an identity-based policy allows it, but the permissions boundary does not',
  sessionPolicy:
    'the identity side allows it, but the session policy passed when the session was created (AssumeRole*, GetFederationToken) does not',
  federatedUserNoSessionPolicy:
    'a federated-user session has only the permissions of the session policy it was created with, and it has none',
  policyErrors: 'a policy taking part has errors (see issues); nothing is allowed until it is fixed',
};

/** A multi-line explanation of a decision. Pass a result computed with `trace: true` for details. */
export function explain(req: AuthorizationRequest, result: AuthorizationResult): string {
  const lines: string[] = [];
  const who = principalPhrase(req.principal);
  const target = req.resource === '*' ? '' : ` on ${req.resource}`;
  if (result.decision === 'allowed') {
    lines.push(`allowed: ${who} may perform ${req.action}${target}`);
    for (const ref of result.matchedStatements) lines.push(`  allowed by ${describeRef(ref)}`);
  } else {
    lines.push(`${result.decision}: ${who} may not perform ${req.action}${target}`);
    lines.push(`  aws: ${denialMessage(req, result)}`);
    lines.push(`  why: ${REASON_DETAIL[result.reason ?? 'noIdentityAllow']}`);
    if (result.decision === 'explicitDeny') {
      for (const ref of result.matchedStatements) lines.push(`  denied by ${describeRef(ref)}`);
    }
  }
  for (const issue of result.issues) lines.push(`  issue: ${issue}`);
  if (result.trace && result.decision !== 'allowed') {
    const allowMisses = result.trace.filter((t) => !t.matched && relevantMiss(t, result));
    // Statements for other actions are noise; show those that covered the action, or say none did.
    const misses = allowMisses.filter((t) => t.actionMatch && t.principalMatch !== false);
    const someAllowMatched = result.matchedStatements.some((r) => r.effect === 'Allow');
    if (
      result.decision === 'implicitDeny' &&
      result.reason !== 'policyErrors' &&
      misses.length === 0 &&
      !someAllowMatched
    ) {
      const others = allowMisses.filter((t) => t.principalMatch === false && t.actionMatch);
      lines.push(
        others.length > 0
          ? `  no Allow statement names ${principalPhrase(req.principal)} for ${req.action}`
          : `  no Allow statement covers the action ${req.action} at all`,
      );
      for (const t of others) lines.push(`    ${describeRef(t)}: ${whyNot(t, req)}`);
    }
    if (misses.length > 0) lines.push('  statements that covered the action but did not match:');
    for (const t of misses) {
      lines.push(`    ${describeRef(t)}: ${whyNot(t, req)}`);
      for (const hint of hints(t, req)) lines.push(`      hint: ${hint}`);
    }
    if (result.decision === 'implicitDeny' && result.reason !== 'policyErrors') {
      const allows = result.matchedStatements.filter((r) => r.effect === 'Allow');
      for (const ref of allows) lines.push(`  matched, but not enough on its own: ${describeRef(ref)}`);
    }
  }
  if (result.missingContextKeys.length > 0) {
    lines.push(
      `  keys the policies use that the request lacks: ${result.missingContextKeys.map((k) => `\`${k}\``).join(', ')}`,
    );
  }
  return lines.join('\n');
}

/** Allow statements are the interesting misses of an implicit deny; Deny misses are noise. */
function relevantMiss(t: StatementTrace, result: AuthorizationResult): boolean {
  return result.decision === 'implicitDeny' ? t.effect === 'Allow' : false;
}

export function describeRef(ref: StatementRef): string {
  const policy =
    ref.policy === 'identity'
      ? `identity policy ${ref.policyName ? `\`${ref.policyName}\`` : `#${ref.policyIndex ?? 0}`}`
      : SLOT_PHRASE[ref.policy].replace('resource-based policy', 'resource policy');
  const stmt = ref.sid ? `statement \`${ref.sid}\`` : `statement #${ref.statementIndex}`;
  return `${policy}, ${stmt} (${ref.effect}, ${ref.path || '/Statement'})`;
}

function whyNot(t: StatementTrace, req: AuthorizationRequest): string {
  if (t.principalMatch === false) return `it does not name ${principalPhrase(req.principal)}`;
  if (!t.actionMatch) return `the action \`${req.action}\` is not among its actions`;
  if (!t.resourceMatch) {
    const list = (t.resources ?? []).map((r) => `\`${r}\``).join(', ');
    if (t.notResource) return `the resource \`${req.resource}\` is excluded by NotResource ${list}`;
    return `the resource \`${req.resource}\` is not ${(t.resources ?? []).length > 1 ? 'any of ' : ''}${list}`;
  }
  const failed = t.conditions.filter((c) => !c.matched);
  return failed.map(describeCondition).join('; ') || 'its conditions did not hold';
}

function describeCondition(c: ConditionTrace): string {
  const expected = c.policyValues.map((v) => `\`${v}\``).join(' or ');
  const actual =
    c.requestValue === undefined
      ? 'the request has no such key'
      : typeof c.requestValue === 'string'
        ? `the request has \`${c.requestValue}\``
        : `the request has [${c.requestValue.map((v) => `\`${v}\``).join(', ')}]`;
  switch (c.reason) {
    case 'missingKey':
      return `condition ${c.operator} on \`${c.key}\` failed: ${actual}`;
    case 'multivaluedWithoutQualifier':
      return `condition ${c.operator} on \`${c.key}\` failed: the key has several values, and an operator without ForAnyValue:/ForAllValues: does not match them (${actual})`;
    case 'emptySetForAny':
      return `condition ${c.operator} on \`${c.key}\` failed: ForAnyValue: needs at least one value, and the set is empty`;
    case 'nullFalse':
      return `condition Null on \`${c.key}\` failed: expected the key to be ${c.policyValues.includes('true') ? 'absent' : 'present'}, ${actual}`;
    default:
      return `condition ${c.operator} on \`${c.key}\` failed: expected ${expected}, ${actual}${c.unresolvedVariables ? ` (unresolved: ${c.unresolvedVariables.join(', ')})` : ''}`;
  }
}

/** Near misses worth a sentence: the mistakes people make with IAM every day. */
export function hints(t: StatementTrace, req: AuthorizationRequest): string[] {
  const out: string[] = [];
  if (!t.resourceMatch && t.actionMatch && t.principalMatch !== false) {
    if (
      /^s3:list(bucket|bucketversions|bucketmultipartuploads)$/i.test(req.action) &&
      !req.resource.includes('/')
    ) {
      out.push(
        `\`${req.action}\` applies to the bucket ARN \`${req.resource}\`, not to its objects (\`${req.resource}/*\`)`,
      );
    }
    const bucket = /^(arn:[^:]*:s3:::[^/]+)\//.exec(req.resource)?.[1];
    if (bucket && (t.resources ?? []).includes(bucket)) {
      out.push(`\`${bucket}\` is the bucket; its objects are \`${bucket}/*\``);
    }
    const near = (t.resources ?? []).find(
      (r) => r !== req.resource && r.toLowerCase() === req.resource.toLowerCase(),
    );
    if (near) out.push(`\`${near}\` differs from the resource only in case; ARNs match case-sensitively`);
  }
  for (const c of t.conditions) {
    if (c.matched) continue;
    const actual = typeof c.requestValue === 'string' ? [c.requestValue] : (c.requestValue ?? []);
    const op = c.operator.toLowerCase();
    if (op.includes('stringequals') || op.includes('stringnotequals')) {
      if (c.policyValues.some((v) => actual.some((a) => a !== v && a.toLowerCase() === v.toLowerCase()))) {
        out.push(
          `the values differ only in case; ${c.operator} is case-sensitive (StringEqualsIgnoreCase is not)`,
        );
      }
      if (c.policyValues.some((v) => /[*?]/.test(v))) {
        out.push(`\`*\` and \`?\` are literal characters in ${c.operator}; use StringLike for wildcards`);
      }
    }
    const key = c.key.toLowerCase();
    if (
      key.endsWith(':aud') &&
      [...c.policyValues, ...actual].some((v) => v.startsWith('system:serviceaccount:'))
    ) {
      out.push(
        `\`${c.key}\` is the token's audience; a service-account name belongs in \`${c.key.slice(0, -4)}:sub\``,
      );
    }
    if (key.endsWith(':sub') && c.policyValues.some((v) => v === 'sts.amazonaws.com')) {
      out.push(`\`sts.amazonaws.com\` is an audience; it belongs in \`${c.key.slice(0, -4)}:aud\``);
    }
    if (c.requestValue === undefined) {
      if (key === 'aws:username' && req.principal.type === 'assumedRole') {
        out.push(
          'role sessions have no `aws:username`; use `aws:userid` (ROLEID:SESSION) or a principal tag',
        );
      }
      const suffix = key.slice(key.lastIndexOf(':'));
      if (key.includes('/') || key.startsWith('oidc')) {
        for (const k of req.context.keys()) {
          if (k !== key && k.endsWith(suffix) && k.slice(0, k.lastIndexOf(':')).includes('.')) {
            out.push(`the request has \`${k}\`: is the provider in \`${c.key}\` the token's issuer?`);
            break;
          }
        }
      }
    }
    if (c.reason === 'multivaluedWithoutQualifier') {
      out.push(
        `write ForAnyValue:${c.operator} (any value matches) or ForAllValues:${c.operator} (every value matches)`,
      );
    }
  }
  return out;
}
