import assert from 'node:assert/strict';
import { test } from 'node:test';
import { AwsError, errorCatalogue, notImplemented } from '../shared/aws-error.js';
import {
  encodeQueryError,
  encodeQueryResponse,
  formatTimestamp,
  TimestampFormatter,
  headerSafe,
  IAM_NAMESPACE,
  INTERNAL_FAILURE_MESSAGE,
  STS_NAMESPACE,
} from './query-response.js';
import { seededRandom as random } from '../shared/seeded-random.js';
import { boolean, integer, list, map, string, structure, timestamp } from './shape.js';

// Output shapes in the element order of the examples (element order is free for both SDK parsers).
const assumedRoleUser = structure({ AssumedRoleId: string(), Arn: string() });
const credentials = structure({
  AccessKeyId: string(),
  SecretAccessKey: string({ sensitive: true }),
  SessionToken: string(),
  Expiration: timestamp(),
});
const assumeRoleWithWebIdentityOutput = structure({
  Audience: string(),
  AssumedRoleUser: assumedRoleUser,
  Provider: string(),
  Credentials: credentials,
  SubjectFromWebIdentityToken: string(),
  PackedPolicySize: integer(),
  SourceIdentity: string(),
});

/** irsa-wire.md §5.5, as the body bytes: two-space indentation, a final newline. */
const SUCCESS_5_5 = `<AssumeRoleWithWebIdentityResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/">
  <AssumeRoleWithWebIdentityResult>
    <Audience>sts.amazonaws.com</Audience>
    <AssumedRoleUser>
      <AssumedRoleId>AROA3XFRBF535PLBIFPI4:botocore-session-1767225600</AssumedRoleId>
      <Arn>arn:aws:sts::111122223333:assumed-role/s3-reader/botocore-session-1767225600</Arn>
    </AssumedRoleUser>
    <Provider>arn:aws:iam::111122223333:oidc-provider/oidc.eks.us-west-2.amazonaws.com/id/EXAMPLED539D4633E53DE1B71EXAMPLE</Provider>
    <Credentials>
      <AccessKeyId>ASIARZ4EXAMPLE7QZ5XQ</AccessKeyId>
      <SecretAccessKey>wJalrXUtnFEMI/K7MDENG/bPxRfiCYzEXAMPLEKEY</SecretAccessKey>
      <SessionToken>IQoJb3JpZ2luX2VjEXAMPLE...</SessionToken>
      <Expiration>2026-01-01T01:00:00Z</Expiration>
    </Credentials>
    <SubjectFromWebIdentityToken>system:serviceaccount:default:my-serviceaccount</SubjectFromWebIdentityToken>
  </AssumeRoleWithWebIdentityResult>
  <ResponseMetadata>
    <RequestId>6a5b1e2c-1f2d-4c3b-9a8e-1234567890ab</RequestId>
  </ResponseMetadata>
</AssumeRoleWithWebIdentityResponse>
`;

/** irsa-wire.md §5.6 (verbatim real STS response, mozilla-iam/mozilla-aws-cli#127). */
const ERROR_5_6 = `<ErrorResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/">
  <Error>
    <Type>Sender</Type>
    <Code>InvalidIdentityToken</Code>
    <Message>No OpenIDConnect provider found in your account for https://auth.mozilla.auth0.com/</Message>
  </Error>
  <RequestId>26603485-0bd5-11ea-a642-b7dfa91cf04b</RequestId>
</ErrorResponse>
`;

const stsError = errorCatalogue({
  InvalidIdentityToken: { status: 400 },
  AccessDenied: { status: 403 },
  IDPRejectedClaim: { status: 403 },
});

test('the AssumeRoleWithWebIdentity success body is §5.5 byte for byte, with its headers', () => {
  const r = encodeQueryResponse(
    {
      action: 'AssumeRoleWithWebIdentity',
      namespace: STS_NAMESPACE,
      requestId: '6a5b1e2c-1f2d-4c3b-9a8e-1234567890ab',
    },
    assumeRoleWithWebIdentityOutput,
    {
      Audience: 'sts.amazonaws.com',
      AssumedRoleUser: {
        AssumedRoleId: 'AROA3XFRBF535PLBIFPI4:botocore-session-1767225600',
        Arn: 'arn:aws:sts::111122223333:assumed-role/s3-reader/botocore-session-1767225600',
      },
      Provider:
        'arn:aws:iam::111122223333:oidc-provider/oidc.eks.us-west-2.amazonaws.com/id/EXAMPLED539D4633E53DE1B71EXAMPLE',
      Credentials: {
        AccessKeyId: 'ASIARZ4EXAMPLE7QZ5XQ',
        SecretAccessKey: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYzEXAMPLEKEY',
        SessionToken: 'IQoJb3JpZ2luX2VjEXAMPLE...',
        // 500 ms past the hour: cut, never rounded up.
        Expiration: Date.UTC(2026, 0, 1, 1, 0, 0, 500),
      },
      SubjectFromWebIdentityToken: 'system:serviceaccount:default:my-serviceaccount',
    },
  );
  assert.equal(r.status, 200);
  assert.deepEqual(r.headers, {
    'Content-Type': 'text/xml',
    'x-amzn-RequestId': '6a5b1e2c-1f2d-4c3b-9a8e-1234567890ab',
  });
  assert.equal(r.body, SUCCESS_5_5);
});

test('the InvalidIdentityToken error body is §5.6 byte for byte: RequestId beside Error, not in it', () => {
  const r = encodeQueryError(
    stsError(
      'InvalidIdentityToken',
      'No OpenIDConnect provider found in your account for https://auth.mozilla.auth0.com/',
    ),
    { namespace: STS_NAMESPACE, requestId: '26603485-0bd5-11ea-a642-b7dfa91cf04b' },
  );
  assert.equal(r.status, 400);
  assert.deepEqual(r.headers, {
    'Content-Type': 'text/xml',
    'x-amzn-RequestId': '26603485-0bd5-11ea-a642-b7dfa91cf04b',
  });
  assert.equal(r.body, ERROR_5_6);
});

test('a real STS error comes out at the 390 bytes AWS sent, its apostrophe raw (aws-sdk-rust#827)', () => {
  const r = encodeQueryError(
    stsError(
      'InvalidIdentityToken',
      "Couldn't retrieve verification key from your identity provider,  please reference AssumeRoleWithWebIdentity documentation for requirements",
    ),
    { namespace: STS_NAMESPACE, requestId: '00000000-0000-0000-0000-000000000000' },
  );
  assert.equal(Buffer.byteLength(r.body), 390);
  assert.ok(r.body.includes("<Message>Couldn't retrieve"));
});

test('IAM answers in its own namespace; timestamps are whole seconds with Z (raw-requests.md §4)', () => {
  const createRoleOutput = structure({
    Role: structure({
      Path: string(),
      RoleName: string(),
      RoleId: string(),
      Arn: string(),
      CreateDate: timestamp(),
      AssumeRolePolicyDocument: string(),
      MaxSessionDuration: integer(),
    }),
  });
  const r = encodeQueryResponse(
    { action: 'CreateRole', namespace: IAM_NAMESPACE, requestId: 'r-1' },
    createRoleOutput,
    {
      Role: {
        Path: '/',
        RoleName: 'demo-role',
        RoleId: 'AROAEXAMPLE',
        Arn: 'arn:aws:iam::123456789012:role/demo-role',
        CreateDate: Date.UTC(2024, 0, 1),
        AssumeRolePolicyDocument: '%7B%7D',
        MaxSessionDuration: 3600,
      },
    },
  );
  assert.equal(
    r.body,
    `<CreateRoleResponse xmlns="https://iam.amazonaws.com/doc/2010-05-08/">
  <CreateRoleResult>
    <Role>
      <Path>/</Path>
      <RoleName>demo-role</RoleName>
      <RoleId>AROAEXAMPLE</RoleId>
      <Arn>arn:aws:iam::123456789012:role/demo-role</Arn>
      <CreateDate>2024-01-01T00:00:00Z</CreateDate>
      <AssumeRolePolicyDocument>%7B%7D</AssumeRolePolicyDocument>
      <MaxSessionDuration>3600</MaxSessionDuration>
    </Role>
  </CreateRoleResult>
  <ResponseMetadata>
    <RequestId>r-1</RequestId>
  </ResponseMetadata>
</CreateRoleResponse>
`,
  );
});

test('an operation without output has no Result element (IAM DeleteRole)', () => {
  const r = encodeQueryResponse({ action: 'DeleteRole', namespace: IAM_NAMESPACE, requestId: 'r-2' });
  assert.equal(
    r.body,
    `<DeleteRoleResponse xmlns="https://iam.amazonaws.com/doc/2010-05-08/">
  <ResponseMetadata>
    <RequestId>r-2</RequestId>
  </ResponseMetadata>
</DeleteRoleResponse>
`,
  );
});

test('lists are <member> elements, an empty list an empty element; maps are entry/key/value', () => {
  const shape = structure({
    Roles: list(structure({ RoleName: string() })),
    Names: list(string()),
    Items: list(string(), { flattened: true, memberName: 'item' }),
    Attributes: map(string(), string()),
    IsTruncated: boolean(),
    Missing: string(),
  });
  const r = encodeQueryResponse({ action: 'ListRoles', namespace: IAM_NAMESPACE, requestId: 'r' }, shape, {
    Roles: [{ RoleName: 'a' }, { RoleName: 'b&c' }],
    Names: [],
    Items: ['x', 'y'],
    Attributes: new Map([['k', 'v']]),
    IsTruncated: false,
  });
  assert.equal(
    r.body,
    `<ListRolesResponse xmlns="https://iam.amazonaws.com/doc/2010-05-08/">
  <ListRolesResult>
    <Roles>
      <member>
        <RoleName>a</RoleName>
      </member>
      <member>
        <RoleName>b&amp;c</RoleName>
      </member>
    </Roles>
    <Names></Names>
    <Items>x</Items>
    <Items>y</Items>
    <Attributes>
      <entry>
        <key>k</key>
        <value>v</value>
      </entry>
    </Attributes>
    <IsTruncated>false</IsTruncated>
  </ListRolesResult>
  <ResponseMetadata>
    <RequestId>r</RequestId>
  </ResponseMetadata>
</ListRolesResponse>
`,
  );
});

test('hostile strings in a result cannot break out of their element', () => {
  const shape = structure({ Arn: string() });
  const r = encodeQueryResponse({ action: 'GetUser', namespace: IAM_NAMESPACE, requestId: 'r' }, shape, {
    Arn: ']]></Arn></GetUserResult><Injected>\u0000',
  });
  assert.ok(r.body.includes('<Arn>]]&gt;&lt;/Arn&gt;&lt;/GetUserResult&gt;&lt;Injected&gt;\ufffd</Arn>'));
  assert.equal(r.body.match(/<Arn>/g)?.length, 1);
});

test('a value that does not fit its output shape is our bug: TypeError', () => {
  const shape = structure({ N: integer(), T: timestamp() });
  const envelope = { action: 'X', namespace: IAM_NAMESPACE, requestId: 'r' };
  assert.throws(() => encodeQueryResponse(envelope, shape, { N: 1.5 }), TypeError);
  assert.throws(() => encodeQueryResponse(envelope, shape, { T: Number.NaN }), TypeError);
});

test('403 AccessDenied and a validation message are Sender faults, escaped but not rewritten', () => {
  const denied = encodeQueryError(
    stsError('AccessDenied', 'Not authorized to perform sts:AssumeRoleWithWebIdentity'),
    {
      namespace: STS_NAMESPACE,
      requestId: 'r',
    },
  );
  assert.equal(denied.status, 403);
  assert.ok(denied.body.includes('<Type>Sender</Type>\n    <Code>AccessDenied</Code>'));
  const v = encodeQueryError(
    new AwsError(
      'ValidationError',
      400,
      String.raw`1 validation error detected: Value 'a<b' at 'roleSessionName' failed to satisfy constraint: Member must satisfy regular expression pattern: [\w+=,.@-]*`,
    ),
    { namespace: STS_NAMESPACE, requestId: 'r' },
  );
  assert.ok(
    v.body.includes(
      String.raw`<Message>1 validation error detected: Value 'a&lt;b' at 'roleSessionName' failed to satisfy constraint: Member must satisfy regular expression pattern: [\w+=,.@-]*</Message>`,
    ),
  );
});

test('a 5xx AwsError is a Receiver fault; 501 for an unimplemented action keeps its status', () => {
  const r = encodeQueryError(notImplemented('STS', 'AssumeRoleWithSAML'), {
    namespace: STS_NAMESPACE,
    requestId: 'r',
  });
  assert.equal(r.status, 501);
  assert.ok(r.body.includes('<Type>Receiver</Type>'));
  assert.ok(r.body.includes('<Code>InternalFailure</Code>'));
  assert.ok(r.body.includes('<Message>STS.AssumeRoleWithSAML is not implemented</Message>'));
});

test('extra error fields follow Message inside Error', () => {
  const r = encodeQueryError(
    new AwsError('NoSuchEntity', 404, 'The role with name x cannot be found.', { fields: { RoleName: 'x' } }),
    { namespace: IAM_NAMESPACE, requestId: 'r' },
  );
  assert.ok(
    r.body.includes(
      '<Message>The role with name x cannot be found.</Message>\n    <RoleName>x</RoleName>\n  </Error>',
    ),
  );
});

test('anything but an AwsError is InternalFailure 500 with a generic message: no stack, no secret', () => {
  const secret = 'eyJhbGciOiJSUzI1NiJ9.secret.token';
  for (const thrown of [
    new Error(`failed to verify ${secret}`),
    new TypeError('x is undefined'),
    secret,
    undefined,
    null,
    { message: secret, code: 'AccessDenied', status: 403 },
  ]) {
    const r = encodeQueryError(thrown, { namespace: STS_NAMESPACE, requestId: 'req-1' });
    assert.equal(r.status, 500);
    assert.equal(
      r.body,
      `<ErrorResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/">
  <Error>
    <Type>Receiver</Type>
    <Code>InternalFailure</Code>
    <Message>${INTERNAL_FAILURE_MESSAGE}</Message>
  </Error>
  <RequestId>req-1</RequestId>
</ErrorResponse>
`,
    );
    assert.ok(!r.body.includes('secret') && !r.body.includes(' at '));
  }
});

test('encoding an error never throws: a malformed AwsError or envelope is InternalFailure', () => {
  for (const weird of [
    new AwsError('Bad Code<>', 400, 'm'),
    new AwsError('Fine', 200, 'm'),
    Object.assign(new AwsError('X', 400, 'm'), { fields: null }),
  ]) {
    const r = encodeQueryError(weird, { namespace: IAM_NAMESPACE, requestId: 'r' });
    assert.equal(r.status, 500);
    assert.ok(r.body.includes('<Code>InternalFailure</Code>') && !r.body.includes('<Message>m</Message>'));
  }
  const lying = { namespace: 42, requestId: undefined } as unknown as {
    namespace: string;
    requestId: string;
  };
  assert.equal(encodeQueryError(new Error('x'), lying).status, 500);
  assert.equal(encodeQueryError(stsError('AccessDenied', 'x'), lying).status, 403);
  const split = encodeQueryError(stsError('IDPRejectedClaim', 'x'), {
    namespace: STS_NAMESPACE,
    requestId: 'a\r\nb',
  });
  assert.equal(split.headers['x-amzn-RequestId'], 'ab');
});

test('an error field that is no XML name, or that would replace Type, Code or Message, is dropped', () => {
  const r = encodeQueryError(
    new AwsError('NoSuchEntity', 404, 'm', { fields: { 'not a name': 'x', Type: 'Receiver', Ok: 'y' } }),
    { namespace: IAM_NAMESPACE, requestId: 'r' },
  );
  assert.equal(r.status, 404);
  assert.ok(r.body.includes('<Type>Sender</Type>') && r.body.includes('<Ok>y</Ok>'));
  assert.ok(!r.body.includes('not a name') && !r.body.includes('<Type>Receiver</Type>'));
});

test('timestamps are formatted as IAM and STS send them', () => {
  assert.equal(formatTimestamp(Date.UTC(2026, 0, 1, 12, 0, 0)), '2026-01-01T12:00:00Z');
  assert.equal(formatTimestamp(Date.UTC(2026, 0, 1, 12, 0, 0, 999)), '2026-01-01T12:00:00Z');
  assert.equal(formatTimestamp(0), '1970-01-01T00:00:00Z');
  assert.throws(() => formatTimestamp(Number.NaN), TypeError);
});

test('timestamps of any year, before and after 1970, in and beyond 0000-9999, cut their fraction as the pattern did', () => {
  const next = random(83);
  const reference = (ms: number) =>
    new Date(Math.floor(ms / 1000) * 1000).toISOString().replace(/\.\d{3}Z$/, 'Z');
  const edges = [
    0, -1, 999, -1000, -62167219200000, -62167219200001, 253402300799999, 253402300800000, 8.64e15, -8.64e15,
  ];
  const values = [
    ...edges,
    ...Array.from({ length: 3000 }, () => Math.floor((next() * 2 - 1) * 8.64e15) + next()),
  ];
  for (const ms of values) assert.equal(formatTimestamp(ms), reference(ms), String(ms));
  assert.equal(formatTimestamp(253402300800000), '+010000-01-01T00:00:00Z');
  assert.equal(formatTimestamp(-1), '1969-12-31T23:59:59Z');
});

test('timestamps in runs of one second, and back and forth between seconds, answer as formatted afresh', () => {
  const next = random(89);
  const timestamps = new TimestampFormatter();
  const formatTimestamp = (ms: number) => timestamps.format(ms);
  const reference = (ms: number) =>
    new Date(Math.floor(ms / 1000) * 1000).toISOString().replace(/\.\d{3}Z$/, 'Z');
  let ms = Date.UTC(2026, 0, 1);
  const seconds = [ms, ms + 1000, -1000, 253402300800000, 0];
  for (let i = 0; i < 20_000; i++) {
    const roll = next();
    // Mostly the same second again (another millisecond of it), sometimes the next, or one far away.
    if (roll < 0.6) ms = Math.floor(ms / 1000) * 1000 + Math.floor(next() * 1000);
    else if (roll < 0.8) ms += 1000;
    else if (roll < 0.9) ms = seconds[Math.floor(next() * seconds.length)] ?? 0;
    else ms = Math.floor((next() * 2 - 1) * 8.64e15);
    assert.equal(formatTimestamp(ms), reference(ms), String(ms));
  }
  assert.equal(formatTimestamp(-0), '1970-01-01T00:00:00Z');
  assert.equal(formatTimestamp(999), '1970-01-01T00:00:00Z');
  assert.equal(formatTimestamp(-1), '1969-12-31T23:59:59Z');
  assert.equal(formatTimestamp(-1), '1969-12-31T23:59:59Z');
  assert.throws(() => formatTimestamp(Number.POSITIVE_INFINITY), TypeError);
});

test('a header value is sanitized exactly as the two replaces did, whatever its characters', () => {
  const reference = (value: string) =>
    // eslint-disable-next-line no-control-regex -- the reference strips control characters
    value.replace(/[\u0000-\u001f\u007f]/g, '').replace(/[^\u0020-\u00ff]/g, '?');
  // Controls, DEL, printable ASCII, Latin-1, a BMP character, lone and paired surrogates.
  const alphabet = [
    '\u0000',
    '\t',
    '\r',
    '\n',
    '\u001f',
    ' ',
    'a',
    '-',
    '~',
    '\u007f',
    '\u0080',
    'é',
    '\u00ff',
    '\u0100',
    '€',
    '\ud83d',
    '\ude00',
    '😀',
  ];
  const next = random(20261204);
  for (let i = 0; i < 5000; i++) {
    let value = '';
    const length = Math.floor(next() * 12);
    for (let j = 0; j < length; j++) value += alphabet[Math.floor(next() * alphabet.length)] ?? '';
    assert.equal(headerSafe(value), reference(value), JSON.stringify(value));
  }
  const id = '8f14e45f-ceea-467f-a9f0-3b1e5c1d2a4b';
  assert.equal(headerSafe(id), id);
  assert.equal(headerSafe('a\r\nb'), 'ab');
  assert.equal(headerSafe('a€b'), 'a?b');
});
