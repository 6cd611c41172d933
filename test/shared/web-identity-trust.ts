/**
 * The trust policy an IRSA role carries: AssumeRoleWithWebIdentity for the tokens of one OIDC provider,
 * optionally narrowed by StringEquals on the provider's claim keys (`<issuer>:sub`, `<issuer>:aud`), as
 * the EKS IRSA guide writes it. Shared by the interop and e2e tests and the STS bench.
 */

/** The trust policy document (compact JSON) admitting `providerArn`'s web identities. */
export function webIdentityTrust(
  providerArn: string,
  stringEquals?: Readonly<Record<string, string>>,
): string {
  return JSON.stringify({
    Version: '2012-10-17',
    Statement: [
      {
        Effect: 'Allow',
        Principal: { Federated: providerArn },
        Action: 'sts:AssumeRoleWithWebIdentity',
        ...(stringEquals !== undefined ? { Condition: { StringEquals: stringEquals } } : {}),
      },
    ],
  });
}

/** The conditions of a role for one service account of `issuer` (host and path, no scheme), for STS. */
export function serviceAccountClaims(
  issuer: string,
  namespace: string,
  name: string,
): Record<string, string> {
  return {
    [`${issuer}:sub`]: `system:serviceaccount:${namespace}:${name}`,
    [`${issuer}:aud`]: 'sts.amazonaws.com',
  };
}
