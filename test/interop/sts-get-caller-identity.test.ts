/**
 * STS GetCallerIdentity against a booted server, with what real clients send: requests signed by
 * `@smithy/signature-v4` (the signer of `@aws-sdk/client-sts`, which is not installed here) and
 * python3 boto3. Every AWS client runs with AWS_EC2_METADATA_DISABLED=true; the server binds 127.0.0.1.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { SIGNATURE_DOES_NOT_MATCH_MESSAGE } from '../../src/sigv4/failures.js';
import { sealSession, temporaryAccessKeyId, secretAccessKey } from '../../src/sts/session-token.js';
import { ACCOUNT, bootServer, send, signedQuery, xmlText, type Booted, type Credentials } from './support.js';
import { hasBoto3, isolatedEnv, runPython } from './boto3.js';

const GCI = 'Action=GetCallerIdentity&Version=2011-06-15';

const BOTO3_SCRIPT = `
import json, os, boto3
c = boto3.client('sts', endpoint_url=os.environ['ENDPOINT'], region_name='us-east-1',
    aws_access_key_id=os.environ['AKID'], aws_secret_access_key=os.environ['SECRET'],
    aws_session_token=os.environ.get('TOKEN') or None)
try:
    r = c.get_caller_identity()
    print(json.dumps({'Arn': r['Arn'], 'UserId': r['UserId'], 'Account': r['Account'],
        'RequestId': r['ResponseMetadata']['RequestId']}))
except c.exceptions.ClientError as e:
    print(json.dumps({'Code': e.response['Error']['Code'], 'Message': e.response['Error']['Message'],
        'Status': e.response['ResponseMetadata']['HTTPStatusCode']}))
`;

async function boto3Call(server: Booted, creds: Credentials): Promise<Record<string, unknown>> {
  const stdout = await runPython(
    BOTO3_SCRIPT,
    isolatedEnv(server.dir, {
      ENDPOINT: server.endpoint,
      AKID: creds.accessKeyId,
      SECRET: creds.secretAccessKey,
      TOKEN: creds.sessionToken ?? '',
    }),
  );
  return JSON.parse(stdout) as Record<string, unknown>;
}

describe('STS GetCallerIdentity over the wire', () => {
  let server: Booted;
  let user: Credentials;
  let session: Credentials;
  let expired: Credentials;

  before(async () => {
    server = await bootServer();
    const now = Date.now();
    await server.store.users.create({
      accountId: ACCOUNT,
      name: 'alice',
      id: 'AIDAEXAMPLEALICE00001',
      path: '/team/',
      arn: `arn:aws:iam::${ACCOUNT}:user/team/alice`,
      createdAt: now,
    });
    user = { accessKeyId: 'AKIAEXAMPLEALICE0001', secretAccessKey: secretAccessKey(Buffer.alloc(30, 7)) };
    await server.store.accessKeys.create({ ...user, accountId: ACCOUNT, userName: 'alice', createdAt: now });
    const [sealing] = await server.store.sealingKeys.list();
    assert.ok(sealing);
    const seal = (expiresAt: number, seed: number): Credentials => {
      const accessKeyId = temporaryAccessKeyId(Buffer.alloc(16, seed));
      const secret = secretAccessKey(Buffer.alloc(30, seed));
      const sessionToken = sealSession(
        {
          accessKeyId,
          secretAccessKey: secret,
          account: ACCOUNT,
          partition: 'aws',
          roleArn: `arn:aws:iam::${ACCOUNT}:role/apps/s3-reader`,
          roleId: 'AROA3XFRBF535PLBIFPI4',
          roleName: 's3-reader',
          sessionName: 'botocore-session-1767225600',
          issuedAt: now - 60_000,
          expiresAt,
        },
        sealing,
      );
      return { accessKeyId, secretAccessKey: secret, sessionToken };
    };
    session = seal(now + 3_600_000, 3);
    expired = seal(now - 1_000, 4);
  });
  after(async () => {
    await server.stop();
  });

  test('the account root gets arn:aws:iam::ACCOUNT:root and its account id as UserId, in the §5.8 XML', async () => {
    const r = await signedQuery(server.port, GCI, server.root);
    assert.equal(r.status, 200);
    assert.equal(r.headers['content-type'], 'text/xml');
    const requestId = r.headers['x-amzn-requestid'];
    assert.equal(typeof requestId, 'string');
    assert.equal(
      r.body.replace(/>\s+</g, '><').trim(),
      '<GetCallerIdentityResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/">' +
        '<GetCallerIdentityResult>' +
        `<Arn>arn:aws:iam::${ACCOUNT}:root</Arn><UserId>${ACCOUNT}</UserId><Account>${ACCOUNT}</Account>` +
        '</GetCallerIdentityResult>' +
        `<ResponseMetadata><RequestId>${String(requestId)}</RequestId></ResponseMetadata>` +
        '</GetCallerIdentityResponse>',
    );
    const event = server.audit.get(String(requestId));
    assert.equal(event?.eventName, 'GetCallerIdentity');
    assert.equal(event?.userIdentity.type, 'Root');
    assert.equal(event?.openirsa.decision, 'allowed');
  });

  test('an IAM user gets its user ARN (with path) and AIDA id', async () => {
    const r = await signedQuery(server.port, GCI, user);
    assert.equal(r.status, 200);
    assert.equal(xmlText(r.body, 'Arn'), `arn:aws:iam::${ACCOUNT}:user/team/alice`);
    assert.equal(xmlText(r.body, 'UserId'), 'AIDAEXAMPLEALICE00001');
    assert.equal(xmlText(r.body, 'Account'), ACCOUNT);
  });

  test('a role session gets the assumed-role ARN (no role path) and ROLEID:SESSION', async () => {
    const r = await signedQuery(server.port, GCI, session);
    assert.equal(r.status, 200, r.body);
    assert.equal(
      xmlText(r.body, 'Arn'),
      `arn:aws:sts::${ACCOUNT}:assumed-role/s3-reader/botocore-session-1767225600`,
    );
    assert.equal(xmlText(r.body, 'UserId'), 'AROA3XFRBF535PLBIFPI4:botocore-session-1767225600');
    assert.equal(xmlText(r.body, 'Account'), ACCOUNT);
  });

  test('boto3 reads Arn, UserId and Account for the root, a user and a session', async (t) => {
    if (!(await hasBoto3())) {
      t.skip('python3 boto3 is not installed: `python3 -c "import boto3"` fails');
      return;
    }
    assert.deepEqual(await boto3Call(server, server.root).then(({ RequestId: _, ...rest }) => rest), {
      Arn: `arn:aws:iam::${ACCOUNT}:root`,
      UserId: ACCOUNT,
      Account: ACCOUNT,
    });
    const u = await boto3Call(server, user);
    assert.equal(u.Arn, `arn:aws:iam::${ACCOUNT}:user/team/alice`);
    assert.equal(u.UserId, 'AIDAEXAMPLEALICE00001');
    const s = await boto3Call(server, session);
    assert.equal(s.Arn, `arn:aws:sts::${ACCOUNT}:assumed-role/s3-reader/botocore-session-1767225600`);
    assert.equal(s.UserId, 'AROA3XFRBF535PLBIFPI4:botocore-session-1767225600');
    assert.equal(s.Account, ACCOUNT);
    assert.deepEqual(await boto3Call(server, { ...server.root, secretAccessKey: 'x'.repeat(40) }), {
      Code: 'SignatureDoesNotMatch',
      Message: SIGNATURE_DOES_NOT_MATCH_MESSAGE,
      Status: 403,
    });
  });

  test('a wrong secret is SignatureDoesNotMatch 403 with AWS message', async () => {
    const r = await signedQuery(server.port, GCI, { ...server.root, secretAccessKey: 'x'.repeat(40) });
    assert.equal(r.status, 403);
    assert.equal(xmlText(r.body, 'Type'), 'Sender');
    assert.equal(xmlText(r.body, 'Code'), 'SignatureDoesNotMatch');
    assert.equal(xmlText(r.body, 'Message'), SIGNATURE_DOES_NOT_MATCH_MESSAGE);
    assert.equal(xmlText(r.body, 'RequestId'), r.headers['x-amzn-requestid']);
  });

  test('an unknown access key is InvalidClientTokenId 403', async () => {
    const r = await signedQuery(server.port, GCI, {
      accessKeyId: 'AKIAUNKNOWNUNKNOWN00',
      secretAccessKey: 'x'.repeat(40),
    });
    assert.equal(r.status, 403);
    assert.equal(xmlText(r.body, 'Code'), 'InvalidClientTokenId');
    assert.equal(xmlText(r.body, 'Message'), 'The security token included in the request is invalid.');
  });

  test('session credentials whose token is missing or tampered are InvalidClientTokenId', async () => {
    const noToken = { accessKeyId: session.accessKeyId, secretAccessKey: session.secretAccessKey };
    const r = await signedQuery(server.port, GCI, noToken);
    assert.equal(xmlText(r.body, 'Code'), 'InvalidClientTokenId');
    const token = session.sessionToken ?? '';
    const tampered = `${token.slice(0, -8)}${token.slice(-8) === 'AAAAAAAA' ? 'BBBBBBBB' : 'AAAAAAAA'}`;
    const t = await signedQuery(server.port, GCI, { ...session, sessionToken: tampered });
    assert.equal(t.status, 403);
    assert.equal(xmlText(t.body, 'Code'), 'InvalidClientTokenId');
  });

  test('an expired session is ExpiredToken 400', async () => {
    const r = await signedQuery(server.port, GCI, expired);
    assert.equal(r.status, 400);
    assert.equal(xmlText(r.body, 'Code'), 'ExpiredToken');
    assert.equal(xmlText(r.body, 'Message'), 'The security token included in the request is expired');
  });

  test('an unsigned GetCallerIdentity is MissingAuthenticationToken 403', async () => {
    const r = await send(
      server.port,
      'POST',
      '/',
      { 'content-type': 'application/x-www-form-urlencoded' },
      GCI,
    );
    assert.equal(r.status, 403);
    assert.equal(xmlText(r.body, 'Code'), 'MissingAuthenticationToken');
    assert.equal(xmlText(r.body, 'Message'), 'Request is missing Authentication Token');
  });

  test('a request signed 20 minutes ago is SignatureDoesNotMatch with "Signature expired"', async () => {
    const r = await signedQuery(server.port, GCI, server.root, {
      signingDate: new Date(Date.now() - 20 * 60_000),
    });
    assert.equal(r.status, 403);
    assert.equal(xmlText(r.body, 'Code'), 'SignatureDoesNotMatch');
    assert.match(xmlText(r.body, 'Message') ?? '', /^Signature expired: \d{8}T\d{6}Z is now earlier than /);
  });

  test('an unknown STS action is 501 InternalFailure "STS.Foo is not implemented"', async () => {
    const r = await signedQuery(server.port, 'Action=Foo&Version=2011-06-15', server.root);
    assert.equal(r.status, 501);
    assert.equal(xmlText(r.body, 'Type'), 'Receiver');
    assert.equal(xmlText(r.body, 'Code'), 'InternalFailure');
    assert.equal(xmlText(r.body, 'Message'), 'STS.Foo is not implemented');
    assert.match(r.body, /^<ErrorResponse xmlns="https:\/\/sts\.amazonaws\.com\/doc\/2011-06-15\/">/);
  });

  test('an IAM action is authenticated, then answers "IAM.ListGroups is not implemented"', async () => {
    const r = await signedQuery(server.port, 'Action=ListGroups&Version=2010-05-08', server.root, {
      service: 'iam',
    });
    assert.equal(r.status, 501);
    assert.equal(xmlText(r.body, 'Message'), 'IAM.ListGroups is not implemented');
    assert.match(r.body, /xmlns="https:\/\/iam\.amazonaws\.com\/doc\/2010-05-08\/"/);
  });
});
