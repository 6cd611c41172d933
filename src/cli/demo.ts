import { parseManifestFile, type ParsedFile } from '../config/manifests.js';
import type { AdminTarget } from './admin-client.js';
import { signRequest } from './token.js';

/** The file name the demo's manifests are recorded under (it is no path: nothing can prune it). */
export const DEMO_SOURCE = '<openirsa up --demo>';
export const DEMO_SERVICE_ACCOUNT = 'team-a/app';
export const DEMO_ROLE = 'team-a-app';
export const DEMO_ALLOWED_BUCKET = 'team-a-data';
export const DEMO_DENIED_BUCKET = 'team-b-data';

/** The objects `up --demo` puts, one per bucket, through the S3 PutObject path. */
export const DEMO_OBJECTS: readonly { bucket: string; key: string; body: string }[] = [
  { bucket: DEMO_ALLOWED_BUCKET, key: 'hello.txt', body: 'hello from team-a\n' },
  { bucket: DEMO_DENIED_BUCKET, key: 'payroll.csv', body: 'name,salary\nbob,1\n' },
];

/**
 * The demo's manifests: namespace team-a, service account team-a/app bound to role team-a-app, whose
 * trust policy accepts that service account's tokens of this server's issuer (`:sub` and `:aud`) and
 * whose inline policy may list buckets and read team-a-data; the buckets team-a-data and team-b-data.
 * `issuer` is the `iss` of the built-in issuer (the server's base URL unless `--issuer`): the OIDC
 * provider's ARN and the condition keys are named by it without its scheme.
 */
export function demoManifestText(accountId: string, issuer: string): string {
  const host = issuer.replace(/^https?:\/\//, '').replace(/\/+$/, '');
  const q = (s: string) => JSON.stringify(s);
  return `# openirsa up --demo
apiVersion: v1
kind: Namespace
metadata: {name: team-a}
---
apiVersion: v1
kind: ServiceAccount
metadata:
  name: app
  namespace: team-a
  annotations:
    eks.amazonaws.com/role-arn: ${q(`arn:aws:iam::${accountId}:role/${DEMO_ROLE}`)}
---
apiVersion: iam.services.k8s.aws/v1alpha1
kind: Role
metadata: {name: ${DEMO_ROLE}}
spec:
  name: ${DEMO_ROLE}
  description: "openirsa demo: pods of team-a/app may list buckets and read team-a-data"
  assumeRolePolicyDocument:
    Version: "2012-10-17"
    Statement:
      - Sid: TeamAApp
        Effect: Allow
        Principal: {Federated: ${q(`arn:aws:iam::${accountId}:oidc-provider/${host}`)}}
        Action: sts:AssumeRoleWithWebIdentity
        Condition:
          StringEquals:
            ${q(`${host}:sub`)}: system:serviceaccount:team-a:app
            ${q(`${host}:aud`)}: sts.amazonaws.com
  inlinePolicies:
    read-team-a-data:
      Version: "2012-10-17"
      Statement:
        - Sid: ListBuckets
          Effect: Allow
          Action: s3:ListAllMyBuckets
          Resource: "*"
        - Sid: ReadTeamAData
          Effect: Allow
          Action: [s3:ListBucket, s3:GetBucketLocation, s3:GetObject]
          Resource: ["arn:aws:s3:::${DEMO_ALLOWED_BUCKET}", "arn:aws:s3:::${DEMO_ALLOWED_BUCKET}/*"]
---
apiVersion: s3.services.k8s.aws/v1alpha1
kind: Bucket
metadata: {name: ${DEMO_ALLOWED_BUCKET}}
spec: {name: ${DEMO_ALLOWED_BUCKET}}
---
apiVersion: s3.services.k8s.aws/v1alpha1
kind: Bucket
metadata: {name: ${DEMO_DENIED_BUCKET}}
spec: {name: ${DEMO_DENIED_BUCKET}}
`;
}

/** The demo's manifests, parsed as `up -f` parses a file. */
export function demoManifests(accountId: string, issuer: string): ParsedFile {
  return parseManifestFile(demoManifestText(accountId, issuer), DEMO_SOURCE);
}

/**
 * Puts `DEMO_OBJECTS` as the account root with SigV4-signed PutObject requests to the running server,
 * so they take the S3 path every client takes (authentication, authorization, storage, audit).
 * Putting the same bytes again leaves the same object: starting the demo twice changes nothing.
 * Returns the problems, one line each (empty when every object was stored).
 */
export async function putDemoObjects(
  target: AdminTarget,
  region: string,
  deps: { readonly fetch: typeof fetch; readonly now: () => number },
): Promise<string[]> {
  const problems: string[] = [];
  for (const object of DEMO_OBJECTS) {
    const url = new URL(`${target.endpoint}/${object.bucket}/${object.key}`);
    const headers = signRequest({
      method: 'PUT',
      host: url.host,
      path: url.pathname,
      body: object.body,
      contentType: 'text/plain',
      credentials: target.credentials,
      now: deps.now(),
      region,
      service: 's3',
    });
    // fetch sets Host from the URL: the value signed.
    const sent = Object.fromEntries(Object.entries(headers).filter(([name]) => name !== 'host'));
    try {
      const response = await deps.fetch(url, { method: 'PUT', headers: sent, body: object.body });
      const text = await response.text();
      if (response.status !== 200) {
        problems.push(
          `PutObject s3://${object.bucket}/${object.key}: HTTP ${response.status}: ${text.slice(0, 200)}`,
        );
      }
    } catch (e) {
      problems.push(
        `PutObject s3://${object.bucket}/${object.key}: ${e instanceof Error ? e.message : String(e)}`,
      );
    }
  }
  return problems;
}

/** Options the "try it" commands need beyond the defaults (`--endpoint`, `--data`). */
export interface TryItTarget {
  readonly endpoint: string;
  readonly dataDir: string;
  readonly defaultEndpoint: boolean;
  readonly defaultDataDir: boolean;
}

/** The "try it" block `up --demo` prints: exact commands, the allowed read, the denied one, its why. */
export function demoTryIt(t: TryItTarget): string[] {
  const flags = [
    ...(t.defaultEndpoint ? [] : [`--endpoint ${t.endpoint}`]),
    ...(t.defaultDataDir ? [] : [`--data ${t.dataDir}`]),
  ].join(' ');
  const exec = `npx openirsa exec ${flags === '' ? '' : `${flags} `}--service-account ${DEMO_SERVICE_ACCOUNT} --`;
  const explain = `npx openirsa explain --last-denied${t.defaultDataDir ? '' : ` --data ${t.dataDir}`}`;
  // Each command, then its comment in one column.
  const tried: [string, string][] = [
    [`${exec} aws sts get-caller-identity`, 'the assumed role'],
    [`${exec} aws s3 ls s3://${DEMO_ALLOWED_BUCKET}`, 'allowed: hello.txt'],
    [`${exec} aws s3 ls s3://${DEMO_DENIED_BUCKET}`, 'AccessDenied'],
    [explain, 'why it was denied'],
  ];
  const width = Math.max(...tried.map(([command]) => command.length)) + 3;
  return [
    `Demo: service account ${DEMO_SERVICE_ACCOUNT} -> role ${DEMO_ROLE} (may list buckets and read ${DEMO_ALLOWED_BUCKET})`,
    '',
    ...tried.map(([command, comment]) => `  ${command.padEnd(width)}# ${comment}`),
    '',
    '  SDKs too old for AWS_ENDPOINT_URL (boto3 < 1.31, AWS CLI < 2.13) go through the proxy:',
    `  ${exec.replace(' exec ', ' exec --old-sdk ')} /usr/bin/aws s3 ls s3://${DEMO_ALLOWED_BUCKET}`,
  ];
}
