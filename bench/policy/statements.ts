/**
 * The statement kinds the policy benchmark is built from. Each kind is written three times, side by side,
 * so the translations can be reviewed against each other: the IAM statement every IAM engine evaluates,
 * its Cedar translation, and a hand-written "floor" matcher (precompiled RegExps, the conditions written
 * inline, no operator dispatch, no parsing at request time), which is the physical limit for a compiled
 * TypeScript engine.
 *
 * INVARIANT: the three forms of a kind decide alike for every request the benchmark makes; `run.ts`
 * checks it per scenario before it times anything.
 */
import type { RequestContext } from '../../src/policy/types.js';

/** An IAM policy statement, as JSON. */
export interface IamStatement {
  readonly Sid: string;
  readonly Effect: 'Allow' | 'Deny';
  readonly Principal?: '*' | { readonly AWS: string };
  readonly Action: string | readonly string[];
  readonly Resource: string | readonly string[];
  readonly Condition?: Readonly<Record<string, Readonly<Record<string, string | readonly string[]>>>>;
}

/** What the floor matchers see of a request: the same strings and context map our engine gets. */
export interface FloorRequest {
  readonly action: string;
  readonly resource: string;
  /** `arn:aws:iam::A:role/NAME`, what a resource policy naming the role matches. */
  readonly roleArn: string;
  readonly context: RequestContext;
}

export interface FloorStatement {
  readonly deny: boolean;
  readonly matches: (request: FloorRequest) => boolean;
}

/** One statement in its three forms. */
export interface BenchStatement {
  readonly iam: IamStatement;
  /** One Cedar `permit` or `forbid`, terminated by `;`. */
  readonly cedar: string;
  readonly floor: FloorStatement;
}

/*
 * Cedar side. A Cedar policy sees the request through entities and context:
 * - principal `Session::"<session ARN>"` whose parent is `Role::"<role ARN>"`;
 * - resource `S3Object::"<bucket>/<key>"` (attributes `arn`, `topFolder`) whose parent is
 *   `S3Bucket::"<bucket>"`;
 * - context attributes named after the IAM keys (`aws:SourceIp` → `context.sourceIp`, an `ip` value;
 *   `aws:SecureTransport` → `context.secureTransport`, a Boolean; `aws:PrincipalTag/team` →
 *   `context.principalTagTeam`; `s3:prefix` → `context.s3Prefix`), plus `context.action`, the action
 *   name, because Cedar has no wildcards on action entities: `s3:Get*` becomes `context.action like
 *   "s3:Get*"`.
 * Every attribute that IAM may find absent is guarded with `has`: in Cedar a missing attribute is an
 * evaluation error that skips the policy, where IAM says "condition false" (or true, for a negated
 * operator).
 */
export const CEDAR_ATTRIBUTE: Readonly<Record<string, string>> = {
  'aws:PrincipalTag/team': 'principalTagTeam',
  'aws:SourceIp': 'sourceIp',
  'aws:SecureTransport': 'secureTransport',
  's3:prefix': 's3Prefix',
  'aws:PrincipalArn': 'principalArn',
  'aws:PrincipalAccount': 'principalAccount',
  'aws:PrincipalType': 'principalType',
  'aws:userid': 'userId',
  'aws:CurrentTime': 'currentTime',
  'aws:EpochTime': 'epochTime',
  'aws:RequestedRegion': 'requestedRegion',
  's3:authType': 's3AuthType',
  's3:signatureversion': 's3SignatureVersion',
};

/*
 * Floor side: building blocks precompiled once per statement.
 */

/**
 * An anchored RegExp for IAM wildcard patterns (`*` any run, `?` one character), alternatives OR-ed.
 * Actions compare case-insensitively, ARNs case-sensitively (IAM User Guide, "IAM JSON policy elements:
 * Action" / "Resource").
 */
export function wildcardRegExp(patterns: readonly string[], ignoreCase: boolean): RegExp {
  const alternatives = patterns.map((pattern) =>
    pattern
      .split('')
      .map((char) =>
        char === '*' ? '.*' : char === '?' ? '.' : char.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&'),
      )
      .join(''),
  );
  return new RegExp(`^(?:${alternatives.join('|')})$`, ignoreCase ? 'i' : '');
}

/** Dotted-quad IPv4 to an unsigned number, or -1 when the text is not one. */
export function parseIpv4(text: string): number {
  let value = 0;
  let part = 0;
  let digits = 0;
  let dots = 0;
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code === 46) {
      if (digits === 0 || part > 255) return -1;
      value = value * 256 + part;
      part = 0;
      digits = 0;
      dots++;
    } else if (code >= 48 && code <= 57 && digits < 3) {
      part = part * 10 + (code - 48);
      digits++;
    } else {
      return -1;
    }
  }
  if (dots !== 3 || digits === 0 || part > 255) return -1;
  return value * 256 + part;
}

/** `[first, last]` addresses of an IPv4 CIDR block. */
function cidrRange(cidr: string): readonly [number, number] {
  const [address = '', bits = '32'] = cidr.split('/');
  const size = 2 ** (32 - Number(bits));
  const first = Math.floor(parseIpv4(address) / size) * size;
  return [first, first + size - 1];
}

/** A precompiled "source IP is in one of these blocks" test on `aws:SourceIp`; false when absent. */
function sourceIpIn(cidrs: readonly string[]): (context: RequestContext) => boolean {
  const ranges = cidrs.map(cidrRange);
  return (context) => {
    const text = context.get('aws:sourceip');
    if (typeof text !== 'string') return false;
    const ip = parseIpv4(text);
    for (const [first, last] of ranges) if (ip >= first && ip <= last) return true;
    return false;
  };
}

function cedarIpIn(cidrs: readonly string[]): string {
  const tests = cidrs.map((cidr) => `context.sourceIp.isInRange(ip("${cidr}"))`).join(' || ');
  return `(context has sourceIp && (${tests}))`;
}

function cedarActionIn(actions: readonly string[]): string {
  return `[${actions.map((action) => `Action::"${action}"`).join(', ')}]`;
}

function cedarActionLike(patterns: readonly string[]): string {
  return `(${patterns.map((pattern) => `context.action like "${pattern}"`).join(' || ')})`;
}

const TEAM = 'aws:principaltag/team';
const SECURE = 'aws:securetransport';
const S3_PREFIX = 's3:prefix';

/*
 * The kinds. The comment on each says whether it matches the benchmark's request (`s3:GetObject` on
 * `arn:aws:s3:::team-a-data/reports/2026/q1.csv` by a `team-a` session from 203.0.113.7 over TLS).
 */

/** Allow `s3:Get*` on every team-a bucket for the team, over TLS. Matches. */
export function readTeamBuckets(sid: string): BenchStatement {
  const action = wildcardRegExp(['s3:Get*'], true);
  const resource = wildcardRegExp(['arn:aws:s3:::team-a-*/*'], false);
  return {
    iam: {
      Sid: sid,
      Effect: 'Allow',
      Action: 's3:Get*',
      Resource: 'arn:aws:s3:::team-a-*/*',
      Condition: {
        StringEquals: { 'aws:PrincipalTag/team': 'team-a' },
        Bool: { 'aws:SecureTransport': 'true' },
      },
    },
    cedar:
      `permit(principal, action, resource) when { context.action like "s3:Get*" && ` +
      `resource.arn like "arn:aws:s3:::team-a-*/*" && ` +
      `context has principalTagTeam && context.principalTagTeam == "team-a" && ` +
      `context has secureTransport && context.secureTransport == true };`,
    floor: {
      deny: false,
      matches: (r) =>
        action.test(r.action) &&
        resource.test(r.resource) &&
        r.context.get(TEAM) === 'team-a' &&
        r.context.get(SECURE) === 'true',
    },
  };
}

/** Allow reading objects of team-a buckets from the office networks. Matches. */
export function readTeamObjectsFromOffice(sid: string): BenchStatement {
  const actions = ['s3:GetObject', 's3:GetObjectVersion'];
  const cidrs = ['203.0.113.0/24', '198.51.100.0/24'];
  const action = wildcardRegExp(actions, true);
  const resource = wildcardRegExp(['arn:aws:s3:::team-a-*/*'], false);
  const fromOffice = sourceIpIn(cidrs);
  return {
    iam: {
      Sid: sid,
      Effect: 'Allow',
      Action: actions,
      Resource: 'arn:aws:s3:::team-a-*/*',
      Condition: {
        StringEquals: { 'aws:PrincipalTag/team': 'team-a' },
        IpAddress: { 'aws:SourceIp': cidrs },
      },
    },
    cedar:
      `permit(principal, action in ${cedarActionIn(actions)}, resource) when { ` +
      `resource.arn like "arn:aws:s3:::team-a-*/*" && ` +
      `context has principalTagTeam && context.principalTagTeam == "team-a" && ${cedarIpIn(cidrs)} };`,
    floor: {
      deny: false,
      matches: (r) =>
        action.test(r.action) &&
        resource.test(r.resource) &&
        r.context.get(TEAM) === 'team-a' &&
        fromOffice(r.context),
    },
  };
}

/** Allow listing the team bucket under some prefixes. Action does not match. */
export function listTeamBucket(sid: string): BenchStatement {
  const action = wildcardRegExp(['s3:ListBucket'], true);
  const resource = wildcardRegExp(['arn:aws:s3:::team-a-data'], false);
  const prefix = wildcardRegExp(['reports/*', 'shared/*'], false);
  return {
    iam: {
      Sid: sid,
      Effect: 'Allow',
      Action: 's3:ListBucket',
      Resource: 'arn:aws:s3:::team-a-data',
      Condition: { StringLike: { 's3:prefix': ['reports/*', 'shared/*'] } },
    },
    cedar:
      `permit(principal, action == Action::"s3:ListBucket", resource == S3Bucket::"team-a-data") when { ` +
      `context has s3Prefix && (context.s3Prefix like "reports/*" || context.s3Prefix like "shared/*") };`,
    floor: {
      deny: false,
      matches: (r) => {
        if (!action.test(r.action) || !resource.test(r.resource)) return false;
        const value = r.context.get(S3_PREFIX);
        return typeof value === 'string' && prefix.test(value);
      },
    },
  };
}

/** Allow reading and listing bucket-N over TLS. Resource does not match. */
export function readBucket(sid: string, n: number): BenchStatement {
  const bucket = `bucket-${n}`;
  const action = wildcardRegExp(['s3:Get*', 's3:List*'], true);
  const resource = wildcardRegExp([`arn:aws:s3:::${bucket}`, `arn:aws:s3:::${bucket}/*`], false);
  return {
    iam: {
      Sid: sid,
      Effect: 'Allow',
      Action: ['s3:Get*', 's3:List*'],
      Resource: [`arn:aws:s3:::${bucket}`, `arn:aws:s3:::${bucket}/*`],
      Condition: { Bool: { 'aws:SecureTransport': 'true' } },
    },
    cedar:
      `permit(principal, action, resource in S3Bucket::"${bucket}") when { ` +
      `${cedarActionLike(['s3:Get*', 's3:List*'])} && ` +
      `context has secureTransport && context.secureTransport == true };`,
    floor: {
      deny: false,
      matches: (r) => action.test(r.action) && resource.test(r.resource) && r.context.get(SECURE) === 'true',
    },
  };
}

/** Allow every object operation in bucket-N for the team. Resource does not match. */
export function useBucketObjects(sid: string, n: number): BenchStatement {
  const bucket = `bucket-${n}`;
  const action = wildcardRegExp(['s3:*Object*'], true);
  const resource = wildcardRegExp([`arn:aws:s3:::${bucket}/*`], false);
  return {
    iam: {
      Sid: sid,
      Effect: 'Allow',
      Action: 's3:*Object*',
      Resource: `arn:aws:s3:::${bucket}/*`,
      Condition: { StringEquals: { 'aws:PrincipalTag/team': 'team-a' } },
    },
    cedar:
      `permit(principal, action, resource in S3Bucket::"${bucket}") when { ` +
      `context.action like "s3:*Object*" && resource is S3Object && ` +
      `context has principalTagTeam && context.principalTagTeam == "team-a" };`,
    floor: {
      deny: false,
      matches: (r) => action.test(r.action) && resource.test(r.resource) && r.context.get(TEAM) === 'team-a',
    },
  };
}

/** Allow listing bucket-N under the team's prefix. Action does not match. */
export function listBucketForTeam(sid: string, n: number): BenchStatement {
  const bucket = `bucket-${n}`;
  const action = wildcardRegExp(['s3:ListBucket', 's3:ListBucketVersions'], true);
  const resource = wildcardRegExp([`arn:aws:s3:::${bucket}`], false);
  const prefix = wildcardRegExp(['team-a/*'], false);
  return {
    iam: {
      Sid: sid,
      Effect: 'Allow',
      Action: ['s3:ListBucket', 's3:ListBucketVersions'],
      Resource: `arn:aws:s3:::${bucket}`,
      Condition: { StringLike: { 's3:prefix': 'team-a/*' } },
    },
    cedar:
      `permit(principal, action in ${cedarActionIn(['s3:ListBucket', 's3:ListBucketVersions'])}, ` +
      `resource == S3Bucket::"${bucket}") when { context has s3Prefix && context.s3Prefix like "team-a/*" };`,
    floor: {
      deny: false,
      matches: (r) => {
        if (!action.test(r.action) || !resource.test(r.resource)) return false;
        const value = r.context.get(S3_PREFIX);
        return typeof value === 'string' && prefix.test(value);
      },
    },
  };
}

/**
 * Allow object operations in the caller's home folder, `home/${aws:PrincipalTag/team}/`. Resource does not
 * match (the object is in team-a-data). Cedar has no string concatenation, so the translation compares the
 * object's `topFolder` attribute (hydrated by the application) with the tag.
 */
export function useHomeFolder(sid: string): BenchStatement {
  const action = wildcardRegExp(['s3:*Object*'], true);
  return {
    iam: {
      Sid: sid,
      Effect: 'Allow',
      Action: 's3:*Object*',
      Resource: 'arn:aws:s3:::home/${aws:PrincipalTag/team}/*',
    },
    cedar:
      `permit(principal, action, resource in S3Bucket::"home") when { context.action like "s3:*Object*" && ` +
      `resource has topFolder && context has principalTagTeam && resource.topFolder == context.principalTagTeam };`,
    floor: {
      deny: false,
      matches: (r) => {
        if (!action.test(r.action)) return false;
        const team = r.context.get(TEAM);
        return typeof team === 'string' && r.resource.startsWith(`arn:aws:s3:::home/${team}/`);
      },
    },
  };
}

/** Allow uploads to the team bucket. Action does not match. */
export function uploadToTeamBucket(sid: string): BenchStatement {
  const actions = ['s3:PutObject', 's3:AbortMultipartUpload'];
  const action = wildcardRegExp(actions, true);
  const resource = wildcardRegExp(['arn:aws:s3:::team-a-data/uploads/*'], false);
  return {
    iam: {
      Sid: sid,
      Effect: 'Allow',
      Action: actions,
      Resource: 'arn:aws:s3:::team-a-data/uploads/*',
      Condition: { StringEquals: { 'aws:PrincipalTag/team': 'team-a' } },
    },
    cedar:
      `permit(principal, action in ${cedarActionIn(actions)}, resource) when { ` +
      `resource.arn like "arn:aws:s3:::team-a-data/uploads/*" && ` +
      `context has principalTagTeam && context.principalTagTeam == "team-a" };`,
    floor: {
      deny: false,
      matches: (r) => action.test(r.action) && resource.test(r.resource) && r.context.get(TEAM) === 'team-a',
    },
  };
}

/** Allow using the account's KMS keys. Action does not match. */
export function useKmsKeys(sid: string): BenchStatement {
  const actions = ['kms:Decrypt', 'kms:GenerateDataKey'];
  const action = wildcardRegExp(actions, true);
  const resource = wildcardRegExp(['arn:aws:kms:us-east-1:111122223333:key/*'], false);
  return {
    iam: { Sid: sid, Effect: 'Allow', Action: actions, Resource: 'arn:aws:kms:us-east-1:111122223333:key/*' },
    cedar:
      `permit(principal, action in ${cedarActionIn(actions)}, resource) when { ` +
      `resource.arn like "arn:aws:kms:us-east-1:111122223333:key/*" };`,
    floor: { deny: false, matches: (r) => action.test(r.action) && resource.test(r.resource) },
  };
}

/** Allow reading table-N. Action does not match. */
export function readTable(sid: string, n: number): BenchStatement {
  const actions = ['dynamodb:GetItem', 'dynamodb:Query', 'dynamodb:BatchGetItem'];
  const arn = `arn:aws:dynamodb:us-east-1:111122223333:table/table-${n}`;
  const action = wildcardRegExp(actions, true);
  const resource = wildcardRegExp([arn], false);
  return {
    iam: { Sid: sid, Effect: 'Allow', Action: actions, Resource: arn },
    cedar: `permit(principal, action in ${cedarActionIn(actions)}, resource) when { resource.arn == "${arn}" };`,
    floor: { deny: false, matches: (r) => action.test(r.action) && resource.test(r.resource) },
  };
}

/** Deny every delete, everywhere. Action does not match. */
export function denyDeletes(sid: string): BenchStatement {
  const action = wildcardRegExp(['s3:DeleteObject*', 's3:DeleteBucket'], true);
  return {
    iam: { Sid: sid, Effect: 'Deny', Action: ['s3:DeleteObject*', 's3:DeleteBucket'], Resource: '*' },
    cedar:
      `forbid(principal, action, resource) when { ` +
      `context.action like "s3:DeleteObject*" || context.action == "s3:DeleteBucket" };`,
    floor: { deny: true, matches: (r) => action.test(r.action) },
  };
}

/** Deny S3 on the team bucket without TLS. Condition does not match. */
export function denyInsecureTransport(sid: string): BenchStatement {
  const action = wildcardRegExp(['s3:*'], true);
  const resource = wildcardRegExp(['arn:aws:s3:::team-a-data', 'arn:aws:s3:::team-a-data/*'], false);
  return {
    iam: {
      Sid: sid,
      Effect: 'Deny',
      Action: 's3:*',
      Resource: ['arn:aws:s3:::team-a-data', 'arn:aws:s3:::team-a-data/*'],
      Condition: { Bool: { 'aws:SecureTransport': 'false' } },
    },
    cedar:
      `forbid(principal, action, resource in S3Bucket::"team-a-data") when { context.action like "s3:*" && ` +
      `context has secureTransport && context.secureTransport == false };`,
    floor: {
      deny: true,
      matches: (r) => action.test(r.action) && resource.test(r.resource) && r.context.get(SECURE) === 'false',
    },
  };
}

/**
 * Deny object access to team buckets from outside the company networks. Condition does not match (the
 * request comes from 203.0.113.7). A negated operator on an absent key matches (IAM User Guide,
 * "Condition operators": "...IfExists" / negated operators), so the Cedar and floor forms deny then.
 */
export function denyOutsideNetwork(sid: string): BenchStatement {
  const cidrs = ['203.0.113.0/24', '10.0.0.0/8'];
  const action = wildcardRegExp(['s3:*Object*'], true);
  const resource = wildcardRegExp(['arn:aws:s3:::team-a-*/*'], false);
  const inside = sourceIpIn(cidrs);
  return {
    iam: {
      Sid: sid,
      Effect: 'Deny',
      Action: 's3:*Object*',
      Resource: 'arn:aws:s3:::team-a-*/*',
      Condition: { NotIpAddress: { 'aws:SourceIp': cidrs } },
    },
    cedar:
      `forbid(principal, action, resource) when { context.action like "s3:*Object*" && ` +
      `resource.arn like "arn:aws:s3:::team-a-*/*" && !${cedarIpIn(cidrs)} };`,
    floor: {
      deny: true,
      matches: (r) => action.test(r.action) && resource.test(r.resource) && !inside(r.context),
    },
  };
}

/** Deny reading the secret folder of the team bucket. Resource does not match. */
export function denySecretFolder(sid: string): BenchStatement {
  const action = wildcardRegExp(['s3:GetObject'], true);
  const resource = wildcardRegExp(['arn:aws:s3:::team-a-data/secret/*'], false);
  return {
    iam: { Sid: sid, Effect: 'Deny', Action: 's3:GetObject', Resource: 'arn:aws:s3:::team-a-data/secret/*' },
    cedar:
      `forbid(principal, action == Action::"s3:GetObject", resource in S3Bucket::"team-a-data") when { ` +
      `resource.arn like "arn:aws:s3:::team-a-data/secret/*" };`,
    floor: { deny: true, matches: (r) => action.test(r.action) && resource.test(r.resource) },
  };
}

/** Deny deleting objects of bucket-N. Action does not match. */
export function denyBucketDeletes(sid: string, n: number): BenchStatement {
  const bucket = `bucket-${n}`;
  const action = wildcardRegExp(['s3:Delete*'], true);
  const resource = wildcardRegExp([`arn:aws:s3:::${bucket}/*`], false);
  return {
    iam: { Sid: sid, Effect: 'Deny', Action: 's3:Delete*', Resource: `arn:aws:s3:::${bucket}/*` },
    cedar:
      `forbid(principal, action, resource in S3Bucket::"${bucket}") when { ` +
      `context.action like "s3:Delete*" && resource is S3Object };`,
    floor: { deny: true, matches: (r) => action.test(r.action) && resource.test(r.resource) },
  };
}

/*
 * Bucket-policy statements (resource policy on team-a-data): they name a principal.
 */

/** Deny everyone S3 on the bucket without TLS. Condition does not match. */
export function bucketDenyInsecureTransport(sid: string): BenchStatement {
  const base = denyInsecureTransport(sid);
  return { ...base, iam: { ...base.iam, Principal: '*' } };
}

/** Allow the team-a role to read the bucket from the office. Matches (role of the calling session). */
export function bucketAllowTeamRole(sid: string): BenchStatement {
  const role = 'arn:aws:iam::111122223333:role/team-a';
  const actions = ['s3:GetObject', 's3:ListBucket'];
  const action = wildcardRegExp(actions, true);
  const resource = wildcardRegExp(['arn:aws:s3:::team-a-data', 'arn:aws:s3:::team-a-data/*'], false);
  const fromOffice = sourceIpIn(['203.0.113.0/24']);
  return {
    iam: {
      Sid: sid,
      Effect: 'Allow',
      Principal: { AWS: role },
      Action: actions,
      Resource: ['arn:aws:s3:::team-a-data', 'arn:aws:s3:::team-a-data/*'],
      Condition: { IpAddress: { 'aws:SourceIp': '203.0.113.0/24' } },
    },
    cedar:
      `permit(principal in Role::"${role}", action in ${cedarActionIn(actions)}, ` +
      `resource in S3Bucket::"team-a-data") when { ${cedarIpIn(['203.0.113.0/24'])} };`,
    floor: {
      deny: false,
      matches: (r) =>
        r.roleArn === role && action.test(r.action) && resource.test(r.resource) && fromOffice(r.context),
    },
  };
}

/** Deny everyone but the admin role changes to the bucket policy. Action does not match. */
export function bucketProtectPolicy(sid: string): BenchStatement {
  const actions = ['s3:PutBucketPolicy', 's3:DeleteBucketPolicy'];
  const admin = 'arn:aws:iam::111122223333:role/admin';
  const action = wildcardRegExp(actions, true);
  const resource = wildcardRegExp(['arn:aws:s3:::team-a-data'], false);
  return {
    iam: {
      Sid: sid,
      Effect: 'Deny',
      Principal: '*',
      Action: actions,
      Resource: 'arn:aws:s3:::team-a-data',
      Condition: { StringNotEquals: { 'aws:PrincipalArn': admin } },
    },
    cedar:
      `forbid(principal, action in ${cedarActionIn(actions)}, resource == S3Bucket::"team-a-data") when { ` +
      `!(context has principalArn) || context.principalArn != "${admin}" };`,
    floor: {
      deny: true,
      matches: (r) => {
        if (!action.test(r.action) || !resource.test(r.resource)) return false;
        return r.context.get('aws:principalarn') !== admin;
      },
    },
  };
}

/*
 * Permissions-boundary statements. A boundary only limits: its Allows are an upper bound, so in Cedar the
 * boundary's (single) Allow becomes `forbid ... unless { it }`, and its Denies stay forbids. One call then
 * answers "no forbid anywhere, and some permit".
 */

/** The boundary's upper bound: S3, the KMS data-key actions, DynamoDB. Matches. */
export function boundaryAllowDataServices(sid: string): BenchStatement {
  const actions = ['s3:*', 'kms:Decrypt', 'kms:GenerateDataKey', 'dynamodb:*'];
  const action = wildcardRegExp(actions, true);
  return {
    iam: { Sid: sid, Effect: 'Allow', Action: actions, Resource: '*' },
    cedar:
      `forbid(principal, action, resource) unless { context.action like "s3:*" || ` +
      `context.action == "kms:Decrypt" || context.action == "kms:GenerateDataKey" || ` +
      `context.action like "dynamodb:*" };`,
    floor: { deny: false, matches: (r) => action.test(r.action) },
  };
}

/** Deny S3 to sessions not tagged with a known team. Condition does not match. */
export function boundaryDenyUntaggedS3(sid: string): BenchStatement {
  const action = wildcardRegExp(['s3:*'], true);
  return {
    iam: {
      Sid: sid,
      Effect: 'Deny',
      Action: 's3:*',
      Resource: '*',
      Condition: { StringNotEquals: { 'aws:PrincipalTag/team': ['team-a', 'team-b'] } },
    },
    cedar:
      `forbid(principal, action, resource) when { context.action like "s3:*" && ` +
      `(!(context has principalTagTeam) || ` +
      `(context.principalTagTeam != "team-a" && context.principalTagTeam != "team-b")) };`,
    floor: {
      deny: true,
      matches: (r) => {
        if (!action.test(r.action)) return false;
        const team = r.context.get(TEAM);
        return team !== 'team-a' && team !== 'team-b';
      },
    },
  };
}

/** Deny IAM and Organizations altogether. Action does not match. */
export function boundaryDenyAdministration(sid: string): BenchStatement {
  const action = wildcardRegExp(['iam:*', 'organizations:*'], true);
  return {
    iam: { Sid: sid, Effect: 'Deny', Action: ['iam:*', 'organizations:*'], Resource: '*' },
    cedar:
      `forbid(principal, action, resource) when { ` +
      `context.action like "iam:*" || context.action like "organizations:*" };`,
    floor: { deny: true, matches: (r) => action.test(r.action) },
  };
}
