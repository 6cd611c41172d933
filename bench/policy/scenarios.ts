/**
 * The benchmark's request and scenarios. One request (a role session reading an object of its team's
 * bucket) against identity policies of 1, 10 and 100 statements, and a "typical role": the 10 statements
 * plus a bucket policy and a permissions boundary. Every scenario carries its IAM documents, its Cedar
 * policy set and its floor matcher, all built from the same statement kinds (`statements.ts`).
 */
import type { Decision } from '../../src/policy/types.js';
import {
  boundaryAllowDataServices,
  boundaryDenyAdministration,
  boundaryDenyUntaggedS3,
  bucketAllowTeamRole,
  bucketDenyInsecureTransport,
  bucketProtectPolicy,
  denyBucketDeletes,
  denyDeletes,
  denyInsecureTransport,
  denyOutsideNetwork,
  denySecretFolder,
  listBucketForTeam,
  listTeamBucket,
  readBucket,
  readTable,
  readTeamBuckets,
  readTeamObjectsFromOffice,
  uploadToTeamBucket,
  useBucketObjects,
  useHomeFolder,
  useKmsKeys,
  type BenchStatement,
  type FloorRequest,
  type FloorStatement,
  type IamStatement,
} from './statements.js';

export const ACCOUNT = '111122223333';
export const PRINCIPAL_ARN = 'arn:aws:sts::111122223333:assumed-role/team-a/s1';
export const ROLE_ARN = 'arn:aws:iam::111122223333:role/team-a';
export const ACTION = 's3:GetObject';
export const BUCKET = 'team-a-data';
export const KEY = 'reports/2026/q1.csv';
export const RESOURCE = `arn:aws:s3:::${BUCKET}/${KEY}`;

/**
 * The request context with IAM's key names, as a service would populate it for this session (IAM User
 * Guide, "AWS global condition context keys"; Service Authorization Reference, Amazon S3 condition keys).
 * iam-simulate gets it as is, our engine through `buildContext`, Cedar translated (`cedarContext`).
 */
export const CONTEXT: Readonly<Record<string, string>> = {
  'aws:PrincipalArn': ROLE_ARN,
  'aws:PrincipalAccount': ACCOUNT,
  'aws:PrincipalType': 'AssumedRole',
  'aws:userid': 'AROAEXAMPLEROLEID01:s1',
  'aws:PrincipalTag/team': 'team-a',
  'aws:SourceIp': '203.0.113.7',
  'aws:SecureTransport': 'true',
  'aws:CurrentTime': '2026-03-01T12:00:00Z',
  'aws:EpochTime': '1772366400',
  'aws:RequestedRegion': 'us-east-1',
  's3:authType': 'REST-HEADER',
  's3:signatureversion': 'AWS4-HMAC-SHA256',
};

export interface PolicyDocument {
  readonly Version: '2012-10-17';
  readonly Statement: readonly IamStatement[];
}

export interface Scenario {
  readonly name: string;
  /** What the scenario holds, for the table. */
  readonly description: string;
  readonly identityPolicies: readonly PolicyDocument[];
  readonly bucketPolicy?: PolicyDocument;
  readonly permissionsBoundary?: PolicyDocument;
  /** The whole scenario as one Cedar policy set (identity, bucket policy and boundary together). */
  readonly cedarPolicies: string;
  /** The hand-written floor: the scenario's decision from precompiled matchers. */
  readonly decideFloor: (request: FloorRequest) => Decision;
}

const NONE = 0;
const ALLOW = 1;
const DENY = 2;

/** Straight loop over one policy's floor matchers; after an Allow, only Denies can change the answer. */
function evaluateFloor(statements: readonly FloorStatement[], request: FloorRequest): number {
  let result = NONE;
  for (const statement of statements) {
    if (result === ALLOW && !statement.deny) continue;
    if (statement.matches(request)) {
      if (statement.deny) return DENY;
      result = ALLOW;
    }
  }
  return result;
}

function documentOf(statements: readonly BenchStatement[]): PolicyDocument {
  return { Version: '2012-10-17', Statement: statements.map((statement) => statement.iam) };
}

/**
 * The 10-statement identity policy: a realistic team role. Statement 7 (`ReadTeamObjectsFromOffice`)
 * grants the request; the Denies are there and do not match.
 */
function teamRoleStatements(): BenchStatement[] {
  return [
    listTeamBucket('ListTeamBucket'),
    readBucket('ReadBucket1', 1),
    useHomeFolder('HomeFolder'),
    denyDeletes('DenyDeletes'),
    denyInsecureTransport('DenyInsecureTransport'),
    uploadToTeamBucket('UploadToTeamBucket'),
    readTeamObjectsFromOffice('ReadTeamObjectsFromOffice'),
    useKmsKeys('UseKmsKeys'),
    denyOutsideNetwork('DenyOutsideNetwork'),
    denySecretFolder('DenySecretFolder'),
  ];
}

/**
 * 100 statements: the team role's nine non-matching statements, 90 per-bucket and per-table grants and
 * denies, and the granting statement near the end (index 96), so that an engine has to look at nearly all
 * of them.
 */
function largeRoleStatements(): BenchStatement[] {
  const base = teamRoleStatements();
  const grant = base.splice(6, 1)[0];
  if (grant === undefined) throw new Error('the team role lost its granting statement');
  const kinds = [
    (n: number) => readBucket(`ReadBucket${n}`, n),
    (n: number) => useBucketObjects(`UseBucketObjects${n}`, n),
    (n: number) => listBucketForTeam(`ListBucket${n}`, n),
    (n: number) => readBucket(`ReadBucket${n}`, n),
    (n: number) => denyBucketDeletes(`DenyBucketDeletes${n}`, n),
    (n: number) => useBucketObjects(`UseBucketObjects${n}`, n),
    (n: number) => readBucket(`ReadBucket${n}`, n),
    (n: number) => readTable(`ReadTable${n}`, n),
    (n: number) => listBucketForTeam(`ListBucket${n}`, n),
    (n: number) => denyBucketDeletes(`DenyBucketDeletes${n}`, n),
  ];
  const generated: BenchStatement[] = [];
  for (let i = 0; i < 90; i++) {
    const kind = kinds[i % kinds.length];
    if (kind !== undefined) generated.push(kind(i + 2));
  }
  const all = [...base, ...generated];
  all.splice(96, 0, grant);
  return all;
}

/** Cuts statements into policies of `size` statements. */
function chunk(statements: readonly BenchStatement[], size: number): BenchStatement[][] {
  const policies: BenchStatement[][] = [];
  for (let at = 0; at < statements.length; at += size) policies.push(statements.slice(at, at + size));
  return policies;
}

function identityScenario(name: string, description: string, policies: BenchStatement[][]): Scenario {
  const statements = policies.flat();
  const floor = statements.map((statement) => statement.floor);
  return {
    name,
    description,
    identityPolicies: policies.map(documentOf),
    cedarPolicies: statements.map((statement) => statement.cedar).join('\n'),
    decideFloor: (request) => {
      const identity = evaluateFloor(floor, request);
      return identity === DENY ? 'explicitDeny' : identity === ALLOW ? 'allowed' : 'implicitDeny';
    },
  };
}

/**
 * The typical role: the 10-statement identity policy, a 3-statement bucket policy on team-a-data (one
 * Allow naming the role, which AWS limits by the boundary; IAM User Guide, "Policy evaluation logic",
 * resource-based policies table) and a 3-statement permissions boundary. Same account, so an Allow from
 * either the identity policy or the bucket policy suffices, within the boundary.
 */
function typicalRoleScenario(): Scenario {
  const identity = teamRoleStatements();
  const bucket = [
    bucketDenyInsecureTransport('DenyInsecureTransport'),
    bucketAllowTeamRole('TeamRoleRead'),
    bucketProtectPolicy('ProtectBucketPolicy'),
  ];
  const boundary = [
    boundaryAllowDataServices('DataServices'),
    boundaryDenyUntaggedS3('DenyUntaggedS3'),
    boundaryDenyAdministration('DenyAdministration'),
  ];
  const identityFloor = identity.map((statement) => statement.floor);
  const bucketFloor = bucket.map((statement) => statement.floor);
  const boundaryFloor = boundary.map((statement) => statement.floor);
  return {
    name: 'typical role',
    description: '10 identity + 3 bucket policy + 3 boundary statements',
    identityPolicies: [documentOf(identity)],
    bucketPolicy: documentOf(bucket),
    permissionsBoundary: documentOf(boundary),
    cedarPolicies: [...identity, ...bucket, ...boundary].map((statement) => statement.cedar).join('\n'),
    decideFloor: (request) => {
      const fromIdentity = evaluateFloor(identityFloor, request);
      if (fromIdentity === DENY) return 'explicitDeny';
      const fromBucket = evaluateFloor(bucketFloor, request);
      if (fromBucket === DENY) return 'explicitDeny';
      const fromBoundary = evaluateFloor(boundaryFloor, request);
      if (fromBoundary === DENY) return 'explicitDeny';
      if (fromBoundary !== ALLOW) return 'implicitDeny';
      return fromIdentity === ALLOW || fromBucket === ALLOW ? 'allowed' : 'implicitDeny';
    },
  };
}

/** The four scenarios, in table order. */
export function buildScenarios(): Scenario[] {
  return [
    identityScenario('1 statement', '1 identity policy of 1 statement', [
      [readTeamBuckets('ReadTeamBuckets')],
    ]),
    identityScenario('10 statements', '1 identity policy of 10 statements', [teamRoleStatements()]),
    // A single 100-statement policy would exceed IAM's size quotas (6,144 characters for a managed policy,
    // 10,240 for a role's inline policies; IAM User Guide, "IAM and AWS STS quotas"), so the large role
    // has 10 attached policies of 10 statements, as a real one would.
    identityScenario(
      '100 statements',
      '10 identity policies of 10 statements',
      chunk(largeRoleStatements(), 10),
    ),
    typicalRoleScenario(),
  ];
}
