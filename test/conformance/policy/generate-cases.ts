/**
 * A seeded generator of IAM simulation requests for the differential test against iam-simulate
 * (`differential.test.ts`). Every case is a request in the shape of `openirsa policy simulate`; the
 * same seed always yields the same cases.
 *
 * The generator keeps each case inside the ground where iam-simulate is a trustworthy oracle: the
 * divergences of iam-simulate from the AWS documentation listed in docs/iam-policy.md §7.1 are left out
 * by construction (see `generateCase`), and only actions and resource types that exist in the Service
 * Authorization Reference are used, because iam-simulate validates both.
 */

export type ContextValue = string | string[];

/** A condition value as written in a policy: strings, or bare JSON booleans and numbers. */
export type ConditionValue = string | boolean | number;

export type ConditionBlock = Record<string, Record<string, ConditionValue | ConditionValue[]>>;

export type PrincipalBlock = '*' | { AWS: string | string[] };

export interface PolicyStatement {
  Sid?: string;
  Effect: 'Allow' | 'Deny';
  Principal?: PrincipalBlock;
  Action?: string | string[];
  NotAction?: string | string[];
  Resource?: string | string[];
  NotResource?: string | string[];
  Condition?: ConditionBlock;
}

export interface PolicyDocument {
  Version?: '2012-10-17' | '2008-10-17';
  Statement: PolicyStatement[];
}

export type RequestPrincipal = string | { arn: string; roleArn: string };

/** One simulation request, in the shape `openirsa policy simulate` reads. */
export interface SimulationRequest {
  principal: RequestPrincipal;
  action: string;
  resource: string;
  resourceAccount: string;
  context: Record<string, ContextValue>;
  identityPolicies: PolicyDocument[];
  resourcePolicy?: PolicyDocument;
  permissionsBoundary?: PolicyDocument;
  sessionPolicy?: PolicyDocument;
}

export type PrincipalKind = 'user' | 'roleSession' | 'root' | 'anonymous';

export interface GeneratedCase {
  /** Position in the generated sequence, to find the case again with the same seed. */
  readonly index: number;
  readonly principalKind: PrincipalKind;
  /** The request time, epoch milliseconds; `aws:CurrentTime` and `aws:EpochTime` agree with it. */
  readonly now: number;
  readonly request: SimulationRequest;
}

/** A small deterministic source of randomness. */
export interface Random {
  /** A float in [0, 1). */
  next(): number;
  /** An integer in [min, max]. */
  int(min: number, max: number): number;
  chance(probability: number): boolean;
  pick<T>(items: readonly T[]): T;
}

/**
 * mulberry32 (Tommy Ettinger's 32-bit generator): tiny, fast and good enough to spread test cases; not
 * for anything that needs unpredictability.
 */
export function createRandom(seed: number): Random {
  let state = seed >>> 0;
  const next = (): number => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const int = (min: number, max: number): number => min + Math.floor(next() * (max - min + 1));
  return {
    next,
    int,
    chance: (probability) => next() < probability,
    pick<T>(items: readonly T[]): T {
      const item = items[int(0, items.length - 1)];
      if (item === undefined) throw new TypeError('pick needs a non-empty list');
      return item;
    },
  };
}

/** Generates `count` cases from `seed`; case `i` depends only on the seed and on `i`. */
export function generateCases(seed: number, count: number): GeneratedCase[] {
  const cases: GeneratedCase[] = [];
  for (let index = 0; index < count; index++) {
    // One stream per case, so that a change in how one case is drawn does not reshuffle all others.
    cases.push(generateCase(createRandom((seed ^ Math.imul(index + 1, 0x9e3779b1)) >>> 0), index));
  }
  return cases;
}

export const ACCOUNT = '111111111111';
export const OTHER_ACCOUNT = '222222222222';
const THIRD_ACCOUNT = '333333333333';

interface User {
  readonly name: string;
  readonly path: string;
  readonly id: string;
}
interface Role {
  readonly name: string;
  readonly path: string;
  readonly id: string;
}

const USERS: readonly User[] = [
  { name: 'alice', path: '/', id: 'AIDAALICEEXAMPLE0001' },
  { name: 'bob', path: '/dev/', id: 'AIDABOBEXAMPLE000001' },
];
const ROLES: readonly Role[] = [
  { name: 'Reader', path: '/', id: 'AROAREADEREXAMPLE001' },
  { name: 'Writer', path: '/app/', id: 'AROAWRITEREXAMPLE001' },
];
const SESSION_NAMES = ['alice-session', 'ci'] as const;

const userArn = (user: User, account = ACCOUNT): string =>
  `arn:aws:iam::${account}:user${user.path}${user.name}`;
const roleArn = (role: Role, account = ACCOUNT): string =>
  `arn:aws:iam::${account}:role${role.path}${role.name}`;
// INVARIANT: the session ARN carries no role path (IAM User Guide, reference_identifiers).
const sessionArn = (role: Role, session: string, account = ACCOUNT): string =>
  `arn:aws:sts::${account}:assumed-role/${role.name}/${session}`;
const rootArn = (account = ACCOUNT): string => `arn:aws:iam::${account}:root`;

/** What the generator knows about the caller. */
interface Caller {
  readonly kind: PrincipalKind;
  readonly principal: RequestPrincipal;
  readonly user?: User;
  readonly role?: Role;
  readonly sessionName?: string;
}

function drawCaller(random: Random): Caller {
  const roll = random.next();
  if (roll < 0.4) {
    const user = random.pick(USERS);
    return { kind: 'user', principal: userArn(user), user };
  }
  if (roll < 0.84) {
    const role = random.pick(ROLES);
    const sessionName = random.pick(SESSION_NAMES);
    return {
      kind: 'roleSession',
      principal: { arn: sessionArn(role, sessionName), roleArn: roleArn(role) },
      role,
      sessionName,
    };
  }
  if (roll < 0.94) return { kind: 'root', principal: rootArn() };
  return { kind: 'anonymous', principal: 'anonymous' };
}

// Request times; condition dates below sit on, before and after them.
const TIMES = ['2024-05-01T12:00:00Z', '2025-01-15T08:30:00Z', '2023-11-30T23:59:59Z'] as const;

const epochSeconds = (iso: string): string => String(Math.floor(Date.parse(iso) / 1000));

// W3C profile of ISO 8601 in its granularities (IAM User Guide, Conditions_Date), but never a bare year
// (`2025`): iam-simulate reads an integer as epoch seconds, the epoch-vs-ISO divergence of §7.1.
const ISO_DATES = [
  '2024-05-01T12:00:00Z',
  '2025-01-15T08:30:00Z',
  '2024-05-01',
  '2024-06',
  '2024-01-01T00:00:00Z',
  '2024-05-01T13:00+01:00',
  '2023-12-31T23:59:59.999Z',
  '2023-11-30T23:59:59Z',
  '2026-01-01T00:00:00Z',
] as const;
const EPOCH_DATES = [
  epochSeconds('2024-05-01T12:00:00Z'),
  epochSeconds('2025-01-15T08:30:00Z'),
  '1700000000',
  '1800000000',
] as const;

type OperatorFamily = 'string' | 'numeric' | 'date' | 'bool' | 'ip' | 'arn';

const OPERATORS: Record<OperatorFamily, readonly string[]> = {
  string: [
    'StringEquals',
    'StringNotEquals',
    'StringEqualsIgnoreCase',
    'StringNotEqualsIgnoreCase',
    'StringLike',
    'StringNotLike',
  ],
  numeric: [
    'NumericEquals',
    'NumericNotEquals',
    'NumericLessThan',
    'NumericLessThanEquals',
    'NumericGreaterThan',
    'NumericGreaterThanEquals',
  ],
  date: [
    'DateEquals',
    'DateNotEquals',
    'DateLessThan',
    'DateLessThanEquals',
    'DateGreaterThan',
    'DateGreaterThanEquals',
  ],
  bool: ['Bool'],
  ip: ['IpAddress', 'NotIpAddress'],
  arn: ['ArnEquals', 'ArnLike', 'ArnNotEquals', 'ArnNotLike'],
};

// StringNot*, NumericNotEquals, DateNotEquals, NotIpAddress, ArnNot*.
const isNegatedOperator = (operator: string): boolean => operator.includes('Not');

interface ConditionKey {
  readonly key: string;
  readonly families: readonly OperatorFamily[];
  readonly values: readonly string[];
  readonly multivalued?: boolean;
}

// None of these policy values is 0.0.0.0/0 or any other IPv4 /0: iam-simulate matches such a range
// only against 0.0.0.0 (docs/iam-policy.md §2.2, IP traps).
const CONDITION_KEYS: readonly ConditionKey[] = [
  {
    key: 'aws:username',
    families: ['string'],
    values: ['alice', 'bob', 'Alice', 'al*', '*', 'b?b', '${aws:username}', '${aws:PrincipalTag/team}'],
  },
  {
    key: 'aws:PrincipalTag/team',
    families: ['string'],
    values: ['blue', 'red', 'Blue', 'b*', 'r?d', "${aws:PrincipalTag/team, 'blue'}", '${aws:username}'],
  },
  { key: 'aws:PrincipalTag/env', families: ['string'], values: ['prod', 'dev', 'pr*', 'PROD'] },
  {
    key: 'aws:RequestedRegion',
    families: ['string'],
    values: ['us-east-1', 'eu-west-1', 'us-*', '*-west-?'],
  },
  {
    key: 'aws:userid',
    families: ['string'],
    values: ['AIDAALICEEXAMPLE0001', 'AROAWRITEREXAMPLE001:*', 'AROA*:ci', '${aws:userid}', ACCOUNT, '*'],
  },
  {
    key: 'aws:PrincipalAccount',
    families: ['string'],
    values: [ACCOUNT, OTHER_ACCOUNT, '1111*', 'anonymous'],
  },
  { key: 'aws:PrincipalType', families: ['string'], values: ['User', 'AssumedRole', 'Account', 'Anonymous'] },
  {
    key: 's3:prefix',
    families: ['string'],
    values: ['', 'home/', 'home/${aws:username}/', 'home/${aws:username}/*', 'team/*', '*', 'Home/'],
  },
  {
    key: 'aws:SourceIp',
    families: ['ip'],
    values: [
      '203.0.113.0/24',
      '203.0.113.7/24',
      '198.51.100.20',
      '198.51.100.16/30',
      '192.0.2.128/25',
      '10.0.0.0/8',
      '2001:db8::/32',
      '2001:db8:1::/48',
      '2001:db8::1',
      '2600:1f18::/16',
      '::/0',
    ],
  },
  {
    key: 'aws:SourceArn',
    families: ['arn', 'string'],
    values: [
      'arn:aws:sns:us-east-1:111111111111:alerts',
      'arn:aws:sns:*:111111111111:*',
      'arn:aws:lambda:*:*:function:*',
      'arn:aws:lambda:eu-west-1:222222222222:function:fn',
      'arn:aws:*:*:111111111111:*',
      'arn:aws:sns:us-east-?:*:al*',
    ],
  },
  {
    key: 'aws:PrincipalArn',
    families: ['arn', 'string'],
    values: [
      'arn:aws:iam::111111111111:user/alice',
      'arn:aws:iam::111111111111:user/*',
      'arn:aws:iam::111111111111:user/${aws:username}',
      'arn:aws:iam::111111111111:role/app/*',
      'arn:aws:iam::*:role/Reader',
      'arn:aws:iam::111111111111:root',
      'arn:aws:iam::111111111111:*',
      'arn:aws:iam::222222222222:*',
    ],
  },
  { key: 'aws:CurrentTime', families: ['date'], values: ISO_DATES },
  { key: 'aws:TokenIssueTime', families: ['date'], values: ISO_DATES },
  { key: 'aws:EpochTime', families: ['date', 'numeric'], values: EPOCH_DATES },
  { key: 'aws:MultiFactorAuthAge', families: ['numeric'], values: ['60', '3600', '86400', '30.5', '0'] },
  { key: 's3:max-keys', families: ['numeric'], values: ['100', '1000', '999', '1000.0'] },
  { key: 'aws:SecureTransport', families: ['bool'], values: ['true', 'false'] },
  { key: 'aws:MultiFactorAuthPresent', families: ['bool'], values: ['true', 'false'] },
  {
    key: 'aws:TagKeys',
    families: ['string'],
    values: ['team', 'env', 'Owner', 'owner', 'cost-*', '*', 'TEAM', 'e?v'],
    multivalued: true,
  },
];

const TAG_KEYS = ['team', 'env', 'Owner', 'cost-center'] as const;

type ResourceKind = 'object' | 'bucket' | 'none' | 'iamUser';

interface ActionSpec {
  readonly action: string;
  readonly kind: ResourceKind;
}

// Every action exists in the Service Authorization Reference with this resource type.
const OBJECT_ACTIONS = [
  's3:GetObject',
  's3:PutObject',
  's3:DeleteObject',
  's3:GetObjectTagging',
  's3:PutObjectTagging',
  's3:GetObjectVersion',
] as const;
const BUCKET_ACTIONS = [
  's3:ListBucket',
  's3:ListBucketVersions',
  's3:GetBucketTagging',
  's3:GetBucketLocation',
] as const;

function drawAction(random: Random): ActionSpec {
  const roll = random.next();
  if (roll < 0.55) return { action: random.pick(OBJECT_ACTIONS), kind: 'object' };
  if (roll < 0.85) return { action: random.pick(BUCKET_ACTIONS), kind: 'bucket' };
  if (roll < 0.9) return { action: 's3:ListAllMyBuckets', kind: 'none' };
  if (roll < 0.97) return { action: 'iam:GetUser', kind: 'iamUser' };
  return { action: 'iam:ListUsers', kind: 'none' };
}

const BUCKETS = ['bucket-a', 'bucket-a', 'bucket-a', 'bucket-b', 'logs-2024'] as const;
const KEYS = [
  'k1',
  'K1',
  'home/alice/notes.txt',
  'home/bob/notes.txt',
  'team/blue/data.csv',
  'team/red/data.csv',
  'a/b/c.txt',
  'photos/2024/x.jpg',
] as const;

function drawResource(random: Random, kind: ResourceKind): string {
  switch (kind) {
    case 'object':
      return `arn:aws:s3:::${random.pick(BUCKETS)}/${random.pick(KEYS)}`;
    case 'bucket':
      return `arn:aws:s3:::${random.pick(BUCKETS)}`;
    case 'iamUser':
      return userArn(random.pick(USERS));
    case 'none':
      return '*';
  }
}

function buildContext(
  random: Random,
  caller: Caller,
  action: ActionSpec,
  time: string,
): Record<string, ContextValue> {
  const context: Record<string, ContextValue> = {};
  // iam-simulate derives nothing from the principal, so the keys AWS always sets are given here, the
  // same for both engines (docs/iam-policy.md §5.1).
  switch (caller.kind) {
    case 'user': {
      const user = caller.user as User;
      context['aws:PrincipalArn'] = userArn(user);
      context['aws:PrincipalAccount'] = ACCOUNT;
      context['aws:PrincipalType'] = 'User';
      context['aws:username'] = user.name;
      context['aws:userid'] = user.id;
      break;
    }
    case 'roleSession': {
      const role = caller.role as Role;
      context['aws:PrincipalArn'] = roleArn(role);
      context['aws:PrincipalAccount'] = ACCOUNT;
      context['aws:PrincipalType'] = 'AssumedRole';
      context['aws:userid'] = `${role.id}:${caller.sessionName ?? ''}`;
      context['aws:TokenIssueTime'] = new Date(Date.parse(time) - 3_600_000).toISOString();
      context['aws:MultiFactorAuthPresent'] = random.pick(['true', 'false']);
      break;
    }
    case 'root':
      context['aws:PrincipalArn'] = rootArn();
      context['aws:PrincipalAccount'] = ACCOUNT;
      context['aws:PrincipalType'] = 'Account';
      context['aws:userid'] = ACCOUNT;
      break;
    case 'anonymous':
      context['aws:PrincipalAccount'] = 'anonymous';
      context['aws:PrincipalType'] = 'Anonymous';
      context['aws:userid'] = 'anonymous';
      break;
  }
  context['aws:CurrentTime'] = time;
  context['aws:EpochTime'] = epochSeconds(time);
  if (random.chance(0.85)) {
    context['aws:SourceIp'] = random.chance(0.65)
      ? random.pick(['203.0.113.9', '198.51.100.18', '192.0.2.200', '10.1.2.3'])
      : random.pick(['2001:db8::1', '2001:db8:1::ab', '2600:1f18::5']);
  }
  context['aws:SecureTransport'] = random.pick(['true', 'true', 'false']);
  if (random.chance(0.8)) context['aws:RequestedRegion'] = random.pick(['us-east-1', 'eu-west-1']);
  if (caller.kind === 'user' || caller.kind === 'roleSession') {
    if (random.chance(0.6)) context['aws:PrincipalTag/team'] = random.pick(['blue', 'red', 'Blue']);
    if (random.chance(0.4)) context['aws:PrincipalTag/env'] = random.pick(['prod', 'dev']);
    if (caller.kind === 'user' && random.chance(0.4)) {
      context['aws:MultiFactorAuthPresent'] = 'true';
      context['aws:MultiFactorAuthAge'] = random.pick(['30', '3600', '86400']);
    }
  }
  if (random.chance(0.5)) {
    const keys = TAG_KEYS.filter(() => random.chance(0.45));
    context['aws:TagKeys'] = keys;
  }
  if (random.chance(0.3)) {
    context['aws:SourceArn'] = random.pick([
      'arn:aws:sns:us-east-1:111111111111:alerts',
      'arn:aws:lambda:eu-west-1:222222222222:function:fn',
    ]);
  }
  // s3:prefix and s3:max-keys exist only for the listing actions; iam-simulate drops them elsewhere.
  if (action.action === 's3:ListBucket' || action.action === 's3:ListBucketVersions') {
    if (random.chance(0.7)) context['s3:prefix'] = random.pick(['home/alice/', '', 'team/', 'home/bob/x']);
    if (random.chance(0.4)) context['s3:max-keys'] = random.pick(['100', '1000']);
  }
  return context;
}

/** Whether every `${...}` in `value` resolves in `context` (a default value always resolves). */
function variablesResolve(value: string, context: Record<string, ContextValue>): boolean {
  for (const match of value.matchAll(/\$\{([^}]*)\}/g)) {
    const body = match[1] ?? '';
    if (body === '*' || body === '?' || body === '$' || body.includes(',')) continue;
    const present = Object.keys(context).some((key) => key.toLowerCase() === body.toLowerCase());
    if (!present) return false;
  }
  return true;
}

/** Flips the case of some letters of a condition key name; key names are case-insensitive. */
function varyKeyCase(random: Random, key: string): string {
  return key.replace(/[a-z]/gi, (letter) => (random.chance(0.3) ? swapCase(letter) : letter));
}
const swapCase = (letter: string): string =>
  letter === letter.toLowerCase() ? letter.toUpperCase() : letter.toLowerCase();

function drawCondition(random: Random, context: Record<string, ContextValue>): ConditionBlock {
  const block: ConditionBlock = {};
  const operatorCount = random.pick([1, 1, 1, 2, 2, 3]);
  for (let i = 0; i < operatorCount; i++) {
    const spec = random.pick(CONDITION_KEYS);
    const keyValue = context[spec.key];
    const isNull = random.chance(0.1);
    let operator: string;
    let values: ConditionValue[];
    // Null on the empty set is documented nowhere (§2.3); left out.
    if (isNull && !(Array.isArray(keyValue) && keyValue.length === 0)) {
      operator = 'Null';
      values = [random.pick(['true', 'false'])];
    } else {
      const family = random.pick(spec.families);
      operator = random.pick(OPERATORS[family]);
      const valueCount = family === 'bool' ? 1 : random.pick([1, 1, 2, 3]);
      values = [];
      for (let v = 0; v < valueCount; v++) values.push(random.pick(spec.values));
      if (family === 'bool' && random.chance(0.3)) values = values.map((value) => value === 'true');
      if (family === 'numeric' && random.chance(0.2)) values = values.map((value) => Number(value));
      // Excluded by construction (docs/iam-policy.md §2.1 rule 5, §7.1 VAR-5): a negated string or ARN
      // operator with a variable the request cannot resolve; iam-simulate answers "no match" there.
      if (isNegatedOperator(operator)) {
        values = values.map((value) =>
          typeof value === 'string' && !variablesResolve(value, context)
            ? value.replace(/\$\{[^}]*\}/g, 'x')
            : value,
        );
      }
      if (random.chance(0.2)) operator += 'IfExists';
      // Excluded by construction (§2.1 rule 6): a non-qualified operator on a multivalued key with two or
      // more values, or with none (the empty set is documented for the set operators only, §2.3).
      // Qualifiers are otherwise drawn freely, on single-valued keys too.
      const mustQualify = spec.multivalued === true && Array.isArray(keyValue) && keyValue.length !== 1;
      if (mustQualify || (spec.multivalued === true && random.chance(0.7)) || random.chance(0.04)) {
        operator = `${random.pick(['ForAllValues', 'ForAnyValue'])}:${operator}`;
      }
    }
    const key = random.chance(0.08) ? varyKeyCase(random, spec.key) : spec.key;
    const entries = (block[operator] ??= {});
    // Two spellings of one key in one operator are a policy error (Access Analyzer "Duplicate keys with
    // different case"); keep the first.
    if (Object.keys(entries).some((existing) => existing.toLowerCase() === key.toLowerCase())) continue;
    entries[key] = values.length === 1 && random.chance(0.6) ? (values[0] as ConditionValue) : values;
  }
  return block;
}

/** Action patterns that match `action`, in the forms IAM allows (IAM User Guide, elements_action). */
function matchingActionPatterns(action: string): string[] {
  const [service = '', name = ''] = action.split(':');
  return [
    action,
    action.toLowerCase(),
    `${service.toUpperCase()}:${name}`,
    `${service}:*`,
    '*',
    `${service}:${name.slice(0, 3)}*`,
    `${service}:*${name.slice(-6)}`,
    `${service}:${name.slice(0, 2)}*${name.slice(-3)}`,
  ];
}

const OTHER_ACTION_PATTERNS = [
  'iam:*',
  'sts:AssumeRole',
  's3:ListBucket',
  's3:Put*',
  'ec2:DescribeInstances',
  's3:*Tagging',
  'iam:Get*',
  's3:GetObject',
  's3:List*',
  's3:*Object',
  's3:Get*',
  's3:DeleteObject',
] as const;

function drawActionList(random: Random, action: string, relevance: number): string | string[] {
  const count = random.pick([1, 1, 1, 2, 3]);
  const list: string[] = [];
  for (let i = 0; i < count; i++) {
    list.push(
      random.chance(relevance)
        ? random.pick(matchingActionPatterns(action))
        : random.pick(OTHER_ACTION_PATTERNS),
    );
  }
  return list.length === 1 && random.chance(0.6) ? (list[0] as string) : list;
}

/**
 * Replaces parts of the resource part (after the fifth colon) of `arn` with wildcards. The resource type
 * of an IAM ARN (`user/`) stays literal: "arn:aws:iam::123456789012:u*" is incorrect wildcard usage (IAM
 * User Guide, reference_policies_elements_resource), and iam-simulate matches that prefix literally.
 */
function mutateResourcePart(random: Random, arn: string): string {
  const fields = arn.split(':');
  const resourcePart = fields.slice(5).join(':');
  const typeLength = fields[2] === 's3' ? 0 : resourcePart.indexOf('/') + 1;
  const head = `${fields.slice(0, 5).join(':')}:${resourcePart.slice(0, typeLength)}`;
  const tail = resourcePart.slice(typeLength);
  const at = random.int(0, Math.max(0, tail.length - 1));
  let mutated: string;
  switch (random.int(0, 5)) {
    case 0:
      mutated = `${tail.slice(0, at)}?${tail.slice(at + 1)}`;
      break;
    case 1:
      mutated = `${tail.slice(0, at)}*`;
      break;
    case 2:
      mutated = `*${tail.slice(at)}`;
      break;
    case 3:
      mutated = `${tail.slice(0, at)}*${tail.slice(Math.min(tail.length, at + random.int(0, 4)))}`;
      break;
    case 4:
      mutated = tail.includes('/') ? `${tail.split('/')[0] ?? ''}/*` : `${tail}*`;
      break;
    default:
      mutated = tail.replace(/\//g, () => (random.chance(0.5) ? '*' : '/'));
  }
  // A wildcard in the account field of an IAM ARN is allowed (the S3 account field is empty).
  const finalHead = head.startsWith('arn:aws:iam') && random.chance(0.2) ? head.replace(ACCOUNT, '*') : head;
  return `${finalHead}${mutated}`;
}

const OTHER_RESOURCE_PATTERNS: Record<ResourceKind, readonly string[]> = {
  object: [
    'arn:aws:s3:::*',
    '*',
    'arn:aws:s3:::bucket-a/home/${aws:username}/*',
    'arn:aws:s3:::bucket-a/team/${aws:PrincipalTag/team}/*',
    "arn:aws:s3:::*/home/${aws:username, 'nobody'}/*",
    'arn:aws:s3:::bucket-b/*',
    'arn:aws:s3:::bucket-a',
    'arn:aws:s3:::logs-*',
    // `${*}` and `${?}` stand for the literal characters, not for wildcards (IAM User Guide,
    // policy-vars-specialchars); no generated key contains them, so these never match. (A key with a
    // literal `*` is not generated: iam-simulate reads any `*` in the request resource as a wildcard.)
    'arn:aws:s3:::bucket-a/${*}',
    'arn:aws:s3:::bucket-?/k${?}',
    'arn:aws:s3:::bucket-?/*/*',
    'arn:aws:s3:::*/k?',
    'arn:aws:iam::111111111111:user/*',
  ],
  bucket: [
    'arn:aws:s3:::*',
    '*',
    'arn:aws:s3:::bucket-a/*',
    'arn:aws:s3:::bucket-?',
    'arn:aws:s3:::logs-*',
    'arn:aws:s3:::bucket-b',
    'arn:aws:s3:::*-a',
    'arn:aws:s3:::bucket-a/home/${aws:username}/*',
  ],
  none: ['*', '*', 'arn:aws:s3:::*', 'arn:aws:iam::111111111111:user/*', 'arn:aws:s3:::bucket-a'],
  iamUser: [
    'arn:aws:iam::111111111111:user/*',
    'arn:aws:iam::*:user/${aws:username}',
    'arn:aws:iam::111111111111:user/${aws:username}',
    'arn:aws:iam::111111111111:user/dev/*',
    'arn:aws:iam::222222222222:user/*',
    '*',
    'arn:aws:s3:::*',
  ],
};

function drawResourceList(
  random: Random,
  resource: string,
  kind: ResourceKind,
  relevance: number,
): string | string[] {
  const count = random.pick([1, 1, 1, 2, 3]);
  const list: string[] = [];
  for (let i = 0; i < count; i++) {
    if (resource !== '*' && random.chance(relevance)) {
      list.push(random.chance(0.25) ? resource : mutateResourcePart(random, resource));
    } else {
      list.push(random.pick(OTHER_RESOURCE_PATTERNS[kind]));
    }
  }
  return list.length === 1 && random.chance(0.6) ? (list[0] as string) : list;
}

interface StatementOptions {
  readonly allowProbability: number;
  readonly relevance: number;
  readonly conditionProbability: number;
  readonly principals?: readonly string[];
}

function drawStatement(
  random: Random,
  index: number,
  action: ActionSpec,
  resource: string,
  context: Record<string, ContextValue>,
  options: StatementOptions,
): PolicyStatement {
  const statement: PolicyStatement = { Effect: random.chance(options.allowProbability) ? 'Allow' : 'Deny' };
  if (random.chance(0.3)) statement.Sid = `S${index}`;
  if (options.principals !== undefined) {
    const count = random.pick([1, 1, 1, 2]);
    const principals = Array.from({ length: count }, () => random.pick(options.principals ?? []));
    // `"*"` and `{"AWS": "*"}` are the same principal (IAM User Guide, principal-anonymous).
    statement.Principal =
      principals.length === 1 && principals[0] === '*' && random.chance(0.5)
        ? '*'
        : { AWS: principals.length === 1 ? (principals[0] as string) : principals };
  }
  // NotAction/NotResource with an Allow are legal but rare in practice; a Deny uses them more often.
  if (random.chance(0.18)) statement.NotAction = drawActionList(random, action.action, 1 - options.relevance);
  else statement.Action = drawActionList(random, action.action, options.relevance);
  if (random.chance(0.15)) statement.NotResource = drawResourceList(random, resource, action.kind, 0.4);
  else statement.Resource = drawResourceList(random, resource, action.kind, options.relevance);
  if (random.chance(options.conditionProbability)) statement.Condition = drawCondition(random, context);
  return statement;
}

function drawPolicy(
  random: Random,
  statementCount: number,
  action: ActionSpec,
  resource: string,
  context: Record<string, ContextValue>,
  options: StatementOptions,
): PolicyDocument {
  const Statement = Array.from({ length: statementCount }, (_, i) =>
    drawStatement(random, i, action, resource, context, options),
  );
  const policy: PolicyDocument = { Version: '2012-10-17', Statement };
  // Excluded by construction (§1.2, §7.1 VER-1/2): an older or missing Version only where the policy has
  // no variable, since iam-simulate substitutes variables regardless of the version.
  if (!JSON.stringify(policy).includes('${') && random.chance(0.06)) {
    if (random.chance(0.5)) policy.Version = '2008-10-17';
    else delete policy.Version;
  }
  return policy;
}

/** Principals a bucket policy may name, relevant to the caller or not (IAM User Guide, elements_principal). */
function resourcePolicyPrincipals(random: Random, caller: Caller, allowSessionArn: boolean): string[] {
  const relevant: string[] = ['*', ACCOUNT, rootArn()];
  if (caller.user !== undefined) relevant.push(userArn(caller.user));
  if (caller.role !== undefined) {
    relevant.push(roleArn(caller.role));
    if (allowSessionArn) relevant.push(sessionArn(caller.role, caller.sessionName ?? ''));
  }
  const other: string[] = [
    OTHER_ACCOUNT,
    rootArn(THIRD_ACCOUNT),
    userArn(random.pick(USERS), OTHER_ACCOUNT),
    roleArn(random.pick(ROLES), OTHER_ACCOUNT),
    ...USERS.filter((user) => user !== caller.user).map((user) => userArn(user)),
    ...ROLES.filter((role) => role !== caller.role).map((role) => roleArn(role)),
  ];
  if (allowSessionArn) {
    other.push(sessionArn(random.pick(ROLES), 'someone-else'));
    if (caller.role !== undefined) other.push(sessionArn(caller.role, 'someone-else'));
  }
  // Weight the caller's own forms up so that bucket policies often apply.
  return [...relevant, ...relevant, ...other];
}

/**
 * Draws one case. The §7.1 divergences of iam-simulate are excluded by construction:
 * - Version 2008-10-17 (or none) only without variables (`drawPolicy`);
 * - no 0.0.0.0/0 (no IPv4 /0 at all) in IP conditions (`CONDITION_KEYS`);
 * - dates compared in one unit: `aws:CurrentTime`/`aws:TokenIssueTime` are ISO in the request and in
 *   every policy, `aws:EpochTime` is epoch seconds in both;
 * - no negated string or ARN operator with a variable the request cannot resolve (`drawCondition`);
 * - no bucket policy naming a session ARN together with a session policy;
 * - no Federated principals at all, no short ARNs, ARN fields 1-5 always in canonical case;
 * - no non-qualified operator on a multivalued key with two or more values (`drawCondition`).
 */
export function generateCase(random: Random, index: number): GeneratedCase {
  const caller = drawCaller(random);
  const action = drawAction(random);
  const resource = drawResource(random, action.kind);
  const isS3Resource = resource.startsWith('arn:aws:s3:::');
  const crossAccount = isS3Resource && random.chance(0.3);
  const resourceAccount = crossAccount ? OTHER_ACCOUNT : ACCOUNT;
  const time = random.pick(TIMES);
  const context = buildContext(random, caller, action, time);
  const hasIdentity = caller.kind === 'user' || caller.kind === 'roleSession';

  const identityPolicies: PolicyDocument[] = [];
  if (hasIdentity) {
    const total = random.int(1, 10);
    const policyCount = Math.min(total, random.pick([1, 1, 2, 3]));
    let left = total;
    for (let p = 0; p < policyCount; p++) {
      const count = p === policyCount - 1 ? left : random.int(1, left - (policyCount - 1 - p));
      left -= count;
      identityPolicies.push(
        drawPolicy(random, count, action, resource, context, {
          allowProbability: 0.78,
          relevance: 0.65,
          conditionProbability: 0.4,
        }),
      );
    }
  }

  const request: SimulationRequest = {
    principal: caller.principal,
    action: action.action,
    resource,
    resourceAccount,
    context,
    identityPolicies,
  };

  const wantsSessionPolicy = caller.kind === 'roleSession' && random.chance(0.3);
  // Bucket policies only where there is a bucket. Anonymous and cross-account callers need one to get
  // anywhere, so they get one more often.
  const rbpProbability = caller.kind === 'anonymous' || crossAccount ? 0.85 : 0.45;
  if (isS3Resource && random.chance(rbpProbability)) {
    request.resourcePolicy = drawPolicy(random, random.int(1, 4), action, resource, context, {
      allowProbability: 0.72,
      relevance: 0.7,
      conditionProbability: 0.35,
      principals: resourcePolicyPrincipals(random, caller, !wantsSessionPolicy),
    });
  }
  if (hasIdentity && random.chance(0.25)) {
    request.permissionsBoundary = drawPolicy(random, random.int(1, 3), action, resource, context, {
      allowProbability: 0.85,
      relevance: 0.8,
      conditionProbability: 0.25,
    });
  }
  if (wantsSessionPolicy) {
    request.sessionPolicy = drawPolicy(random, random.int(1, 3), action, resource, context, {
      allowProbability: 0.85,
      relevance: 0.8,
      conditionProbability: 0.25,
    });
  }
  return { index, principalKind: caller.kind, now: Date.parse(time), request };
}
