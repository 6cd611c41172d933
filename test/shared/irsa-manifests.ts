/**
 * The IRSA pair of manifests the e2e tests and the STS bench apply with `openirsa up -f`: the ACK `Role`
 * team-a-app, assumable by the service account team-a/app of the built-in issuer at
 * `http://127.0.0.1:PORT` (audience sts.amazonaws.com).
 */
import { serviceAccountClaims, webIdentityTrust } from './web-identity-trust.js';

/**
 * The `Role` document; with `readStatement` (one statement in YAML flow style) it also has the inline
 * policy `read` of that one statement.
 */
export function teamAppRoleManifest(account: string, port: number, readStatement?: string): string {
  const issuer = `127.0.0.1:${port}`;
  const trust = webIdentityTrust(
    `arn:aws:iam::${account}:oidc-provider/${issuer}`,
    serviceAccountClaims(issuer, 'team-a', 'app'),
  );
  return `apiVersion: iam.services.k8s.aws/v1alpha1
kind: Role
metadata: {name: team-a-app}
spec:
  name: team-a-app
  assumeRolePolicyDocument: '${trust}'
${readStatement === undefined ? '' : readPolicy(readStatement)}`;
}

function readPolicy(statement: string): string {
  return `  inlinePolicies:
    read:
      Version: "2012-10-17"
      Statement: [${statement}]
`;
}
