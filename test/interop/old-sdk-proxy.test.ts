/**
 * The transparent mode for SDKs too old to read AWS_ENDPOINT_URL (irsa-wire.md §6.2, §6.3, §8.3
 * option A): python3 boto3 and the AWS CLI v1 with NO endpoint URL, only HTTPS_PROXY and
 * AWS_CA_BUNDLE from `proxyEnvironment`, reach openirsa through the proxy for the real AWS host names
 * (sts.amazonaws.com, sts.us-east-1.amazonaws.com, iam.amazonaws.com). The proxy dials only loopback
 * here, and the test asserts it dialled nothing: every AWS host was answered in-process. Every AWS
 * client runs with AWS_EC2_METADATA_DISABLED=true; the server and the proxy bind 127.0.0.1.
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { Socket, connect as netConnect } from 'node:net';
import { after, before, describe, test } from 'node:test';
import { promisify } from 'node:util';
import { createHttpsProxy, isInterceptedHost, type HttpsProxy } from '../../src/server/https-proxy.js';
import { listen } from '../../src/server/listen.js';
import { LocalCa } from '../../src/server/local-ca.js';
import { proxyEnvironment } from '../../src/server/proxy-environment.js';
import { systemClock } from '../../src/shared/clock.js';
import { randomIds } from '../../src/shared/ids.js';
import { ACCOUNT, bootServer, type Booted } from './support.js';

const run = promisify(execFile);

/** Everything the child may see: no inherited AWS_* variables, no shared config. */
function clientEnv(
  server: Booted,
  proxyUrl: string,
  caFile: string,
  extra: Record<string, string> = {},
): Record<string, string> {
  return {
    PATH: process.env.PATH ?? '/usr/bin:/bin',
    HOME: server.dir,
    AWS_EC2_METADATA_DISABLED: 'true',
    AWS_CONFIG_FILE: '/dev/null',
    AWS_SHARED_CREDENTIALS_FILE: '/dev/null',
    AWS_DEFAULT_REGION: 'us-east-1',
    AWS_ACCESS_KEY_ID: server.root.accessKeyId,
    AWS_SECRET_ACCESS_KEY: server.root.secretAccessKey,
    ...proxyEnvironment({ proxyUrl, caFile }),
    ...extra,
  };
}

// No endpoint_url anywhere: the clients resolve the real AWS hosts, and the proxy answers for them.
const BOTO3_SCRIPT = `
import json, os, boto3, botocore
out = {'boto3': boto3.__version__}
sts = boto3.session.Session().client('sts')
out['stsEndpoint'] = sts.meta.endpoint_url
out['arn'] = sts.get_caller_identity()['Arn']
os.environ['AWS_STS_REGIONAL_ENDPOINTS'] = 'legacy'
legacy = boto3.session.Session().client('sts')
out['legacyEndpoint'] = legacy.meta.endpoint_url
out['legacyArn'] = legacy.get_caller_identity()['Arn']
iam = boto3.session.Session().client('iam')
out['iamEndpoint'] = iam.meta.endpoint_url
iam.create_role(RoleName=os.environ['ROLE'], AssumeRolePolicyDocument=json.dumps({'Version': '2012-10-17',
    'Statement': [{'Effect': 'Allow', 'Principal': {'Service': 'ec2.amazonaws.com'}, 'Action': 'sts:AssumeRole'}]}))
out['roles'] = [r['RoleName'] for r in iam.list_roles()['Roles']]
print(json.dumps(out))
`;

/** An IAM user allowed iam:ListRoles only over TLS: through the proxy yes, on the plain port no. */
const SECURE_TRANSPORT_SCRIPT = `
import json, os, boto3
root = boto3.session.Session().client('iam')
root.create_user(UserName='tls-only')
root.put_user_policy(UserName='tls-only', PolicyName='tls', PolicyDocument=json.dumps({'Version': '2012-10-17',
    'Statement': [{'Effect': 'Allow', 'Action': 'iam:ListRoles', 'Resource': '*',
                   'Condition': {'Bool': {'aws:SecureTransport': 'true'}}}]}))
key = root.create_access_key(UserName='tls-only')['AccessKey']
kw = dict(aws_access_key_id=key['AccessKeyId'], aws_secret_access_key=key['SecretAccessKey'])
out = {}
out['viaProxy'] = len(boto3.session.Session().client('iam', **kw).list_roles()['Roles'])
direct = boto3.session.Session().client('iam', endpoint_url=os.environ['ENDPOINT'], **kw)
try:
    direct.list_roles()
    out['direct'] = 'allowed'
except direct.exceptions.ClientError as e:
    out['direct'] = e.response['Error']['Code']
print(json.dumps(out))
`;

/**
 * S3 reads aws:SecureTransport from the socket as IAM and STS do: a bucket policy denying plain HTTP
 * lets the request through the TLS proxy and denies it on the plain port.
 */
const S3_SECURE_TRANSPORT_SCRIPT = `
import json, os, boto3
from botocore.config import Config
path = Config(s3={'addressing_style': 'path'})
direct = boto3.session.Session().client('s3', endpoint_url=os.environ['ENDPOINT'], config=path)
direct.create_bucket(Bucket='tls-only-bucket')
direct.put_bucket_policy(Bucket='tls-only-bucket', Policy=json.dumps({'Version': '2012-10-17',
    'Statement': [{'Effect': 'Deny', 'Principal': '*', 'Action': 's3:*',
                   'Resource': ['arn:aws:s3:::tls-only-bucket', 'arn:aws:s3:::tls-only-bucket/*'],
                   'Condition': {'Bool': {'aws:SecureTransport': 'false'}}}]}))
out = {}
proxied = boto3.session.Session().client('s3', config=path)
out['endpoint'] = proxied.meta.endpoint_url
proxied.put_object(Bucket='tls-only-bucket', Key='k', Body=b'over tls')
out['viaProxy'] = proxied.get_object(Bucket='tls-only-bucket', Key='k')['Body'].read().decode()
try:
    direct.get_object(Bucket='tls-only-bucket', Key='k')
    out['direct'] = 'allowed'
except direct.exceptions.ClientError as e:
    out['direct'] = e.response['Error']['Code']
print(json.dumps(out))
`;

function canRun(cmd: string, args: string[]): Promise<boolean> {
  return run(cmd, args).then(
    () => true,
    () => false,
  );
}

describe('old SDKs through the transparent HTTPS proxy', () => {
  let server: Booted;
  let ca: LocalCa;
  let proxy: HttpsProxy;
  let proxyUrl: string;
  const connects: string[] = [];
  const dialed: string[] = [];

  before(async () => {
    server = await bootServer();
    ca = await LocalCa.open({ dataDir: server.dir, clock: systemClock, ids: randomIds });
    proxy = createHttpsProxy({
      ca,
      target: server.server,
      intercepts: (host) => {
        connects.push(host);
        return isInterceptedHost(host);
      },
      // Nothing but loopback may be dialled; a non-loopback host fails like an unreachable one.
      dial: (host, port) => {
        dialed.push(`${host}:${port}`);
        if (host === '127.0.0.1') return netConnect({ host, port });
        const s = new Socket();
        process.nextTick(() => s.destroy(new Error('non-loopback dial refused by the test')));
        return s;
      },
    });
    proxyUrl = `http://127.0.0.1:${(await listen(proxy.server, 0)).port}`;
  });

  after(async () => {
    await proxy.close();
    await server.stop();
  });

  test('boto3 without an endpoint URL: STS (regional and legacy global) and IAM answered by openirsa', async (t) => {
    if (!(await canRun('python3', ['-c', 'import boto3']))) {
      t.skip('python3 boto3 is not installed');
      return;
    }
    connects.length = 0;
    const { stdout } = await run('python3', ['-c', BOTO3_SCRIPT], {
      env: clientEnv(server, proxyUrl, ca.certificatePath, { ROLE: 'through-proxy' }),
    });
    const out = JSON.parse(stdout) as Record<string, unknown>;
    assert.equal(out.stsEndpoint, 'https://sts.us-east-1.amazonaws.com');
    assert.equal(out.legacyEndpoint, 'https://sts.amazonaws.com');
    assert.equal(out.iamEndpoint, 'https://iam.amazonaws.com');
    assert.equal(out.arn, `arn:aws:iam::${ACCOUNT}:root`);
    assert.equal(out.legacyArn, `arn:aws:iam::${ACCOUNT}:root`);
    assert.deepEqual(out.roles, ['through-proxy']);
    // The role is in openirsa's store: the request was served here, not by AWS.
    assert.ok(await server.store.roles.get(ACCOUNT, 'through-proxy'));
    assert.deepEqual([...new Set(connects)].sort(), [
      'iam.amazonaws.com',
      'sts.amazonaws.com',
      'sts.us-east-1.amazonaws.com',
    ]);
    assert.deepEqual(dialed, []);
  });

  test('requests that came through the proxy are secure transport; the plain port is not', async (t) => {
    if (!(await canRun('python3', ['-c', 'import boto3']))) {
      t.skip('python3 boto3 is not installed');
      return;
    }
    const { stdout } = await run('python3', ['-c', SECURE_TRANSPORT_SCRIPT], {
      env: clientEnv(server, proxyUrl, ca.certificatePath, { ENDPOINT: server.endpoint }),
    });
    const out = JSON.parse(stdout) as Record<string, unknown>;
    assert.equal(typeof out.viaProxy, 'number');
    assert.equal(out.direct, 'AccessDenied');
    assert.deepEqual(dialed, []);
  });

  test('S3: a bucket policy denying aws:SecureTransport false allows the proxy and denies plain http', async (t) => {
    if (!(await canRun('python3', ['-c', 'import boto3']))) {
      t.skip('python3 boto3 is not installed');
      return;
    }
    const { stdout } = await run('python3', ['-c', S3_SECURE_TRANSPORT_SCRIPT], {
      env: clientEnv(server, proxyUrl, ca.certificatePath, { ENDPOINT: server.endpoint }),
    });
    const out = JSON.parse(stdout) as Record<string, unknown>;
    assert.equal(out.endpoint, 'https://s3.amazonaws.com');
    assert.equal(out.viaProxy, 'over tls');
    assert.equal(out.direct, 'AccessDenied');
    assert.deepEqual(dialed, []);
  });

  test('Debian python3-boto3 (1.26) without an endpoint URL', async (t) => {
    if (
      !(await canRun('dpkg', ['-s', 'python3-boto3'])) ||
      !(await canRun('/usr/bin/python3', ['-c', 'import boto3']))
    ) {
      t.skip('Debian python3-boto3 is not installed (dpkg -s python3-boto3); .ci/run may install it');
      return;
    }
    const { stdout } = await run('/usr/bin/python3', ['-c', BOTO3_SCRIPT], {
      env: clientEnv(server, proxyUrl, ca.certificatePath, { ROLE: 'through-proxy-debian' }),
    });
    const out = JSON.parse(stdout) as Record<string, unknown>;
    t.diagnostic(`boto3 ${String(out.boto3)}`);
    assert.equal(out.arn, `arn:aws:iam::${ACCOUNT}:root`);
    assert.equal(out.legacyArn, `arn:aws:iam::${ACCOUNT}:root`);
    assert.ok((out.roles as string[]).includes('through-proxy-debian'));
    assert.deepEqual(dialed, []);
  });

  test('aws sts get-caller-identity (AWS CLI v1) through the proxy', async (t) => {
    if (!(await canRun('python3', ['-m', 'awscli', '--version']))) {
      t.skip('the AWS CLI v1 (python3 -m awscli) is not installed');
      return;
    }
    connects.length = 0;
    const { stdout } = await run(
      'python3',
      ['-m', 'awscli', 'sts', 'get-caller-identity', '--output', 'json'],
      {
        env: clientEnv(server, proxyUrl, ca.certificatePath),
      },
    );
    const out = JSON.parse(stdout) as Record<string, unknown>;
    assert.equal(out.Arn, `arn:aws:iam::${ACCOUNT}:root`);
    assert.equal(out.Account, ACCOUNT);
    assert.deepEqual(connects, ['sts.us-east-1.amazonaws.com']);
    assert.deepEqual(dialed, []);
  });

  test("a client given no CA bundle refuses the proxy's certificates", async (t) => {
    if (!(await canRun('python3', ['-c', 'import boto3']))) {
      t.skip('python3 boto3 is not installed');
      return;
    }
    const withoutBundle = clientEnv(server, proxyUrl, ca.certificatePath);
    delete withoutBundle.AWS_CA_BUNDLE;
    const script = `
import boto3, botocore.exceptions
try:
    boto3.session.Session().client('sts').get_caller_identity()
    print('accepted')
except botocore.exceptions.SSLError:
    print('SSLError')
`;
    // One attempt: botocore would otherwise retry the failed handshake with backoff.
    const { stdout } = await run('python3', ['-c', script], {
      env: { ...withoutBundle, AWS_MAX_ATTEMPTS: '1' },
    });
    assert.equal(stdout.trim(), 'SSLError');
    assert.deepEqual(dialed, []);
  });
});
