/**
 * Web-identity tokens of an EXTERNAL issuer, end to end: a local issuer serving its discovery document
 * and JWKS over https on 127.0.0.1 (certificate from a throwaway CA made with the openssl CLI), and
 * openirsa started by `openirsa up --oidc-ca-file CA`, in-process. The issuer is registered with IAM
 * CreateOpenIDConnectProvider (@aws-sdk/client-iam); then `@aws-sdk/credential-providers` fromTokenFile
 * and boto3's web-identity provider (AWS_ROLE_ARN + AWS_WEB_IDENTITY_TOKEN_FILE + AWS_ENDPOINT_URL_STS)
 * get credentials with the issuer's token. Every AWS client runs with AWS_EC2_METADATA_DISABLED=true.
 */
import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { CreateOpenIDConnectProviderCommand, CreateRoleCommand, IAMClient } from '@aws-sdk/client-iam';
import { AssumeRoleWithWebIdentityCommand, GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { fromTokenFile } from '@aws-sdk/credential-providers';
import type { CommandIo } from '../../src/cli/io.js';
import { up } from '../../src/cli/up.js';
import { systemClock } from '../../src/shared/clock.js';
import { oidcProviderKey } from '../../src/sts/oidc-provider-arn.js';
import {
  issuerToken,
  newIssuerKey,
  startFakeIssuer,
  type FakeIssuer,
} from '../../src/sts/testdata/fake-issuer.js';
import { makeTestCa, type TestCa } from '../../src/sts/testdata/test-ca.js';
import { serviceAccountClaims, webIdentityTrust } from '../shared/web-identity-trust.js';
import { iamClient } from './clients.js';
import { hasBoto3, isolatedEnv, runPython } from './boto3.js';

process.env.AWS_EC2_METADATA_DISABLED = 'true';

const ACCOUNT = '111122223333';
const REGION = 'us-east-1';
const NO_KEY =
  "Couldn't retrieve verification key from your identity provider,  please reference AssumeRoleWithWebIdentity documentation for requirements";

interface Env {
  readonly ca: TestCa;
  readonly issuer: FakeIssuer;
  readonly key: ReturnType<typeof newIssuerKey>;
  readonly endpoint: string;
  readonly root: { accessKeyId: string; secretAccessKey: string };
  readonly tmp: string;
  readonly roleArn: string;
  readonly providerArn: string;
  stop(): Promise<void>;
}

async function boot(ca: TestCa): Promise<Env> {
  const issuer = await startFakeIssuer({ key: ca.serverKey, cert: ca.serverCert });
  const key = newIssuerKey('ext-key-1');
  issuer.jwks = { keys: [key.jwk] };
  const tmp = await mkdtemp(join(tmpdir(), 'openirsa-external-issuer-'));
  const out: string[] = [];
  const err: string[] = [];
  const io: CommandIo = {
    stdin: () => Promise.resolve(''),
    stdout: (t) => out.push(t),
    stderr: (t) => err.push(t),
    readFile: (p) => readFile(p, 'utf8'),
    clock: systemClock,
  };
  const stopper = new AbortController();
  const data = join(tmp, 'data');
  const running = up(
    ['--port', '0', '--data', data, '--account', ACCOUNT, '--region', REGION, '--oidc-ca-file', ca.caFile],
    io,
    stopper.signal,
  );
  let endpoint: string | undefined;
  for (let i = 0; i < 500 && endpoint === undefined; i++) {
    await new Promise((r) => setTimeout(r, 10));
    endpoint = /endpoint\s+(http:\/\/127\.0\.0\.1:\d+)/.exec(out.join(''))?.[1];
  }
  assert.ok(endpoint !== undefined, err.join(''));
  const secret = /aws_secret_access_key = (\S+)/.exec(await readFile(join(data, 'credentials'), 'utf8'))?.[1];
  const accessKeyId = /aws_access_key_id = (\S+)/.exec(
    await readFile(join(data, 'credentials'), 'utf8'),
  )?.[1];
  assert.ok(secret !== undefined && accessKeyId !== undefined);
  const root = { accessKeyId, secretAccessKey: secret };
  const iam = new IAMClient({ region: REGION, endpoint, credentials: root, maxAttempts: 1 });
  const created = await iam.send(
    new CreateOpenIDConnectProviderCommand({ Url: issuer.url, ClientIDList: ['sts.amazonaws.com'] }),
  );
  const providerArn = created.OpenIDConnectProviderArn ?? '';
  const role = await iam.send(
    new CreateRoleCommand({
      RoleName: 'external-reader',
      AssumeRolePolicyDocument: webIdentityTrust(
        providerArn,
        serviceAccountClaims(oidcProviderKey(issuer.url), 'team', 'app'),
      ),
    }),
  );
  return {
    ca,
    issuer,
    key,
    endpoint,
    root,
    tmp,
    roleArn: role.Role?.Arn ?? '',
    providerArn,
    stop: async () => {
      stopper.abort();
      await running;
      await issuer.close();
      await rm(tmp, { recursive: true, force: true });
    },
  };
}

async function tokenFile(env: Env, name: string, token = issuerToken(env.issuer.url, env.key, Date.now())) {
  const file = join(env.tmp, name);
  await writeFile(file, token);
  return file;
}

describe('AssumeRoleWithWebIdentity with an external https issuer', async () => {
  const ca = await makeTestCa();
  let env: Env | undefined;
  before(async () => {
    if (ca !== undefined) env = await boot(ca);
  });
  after(async () => {
    await env?.stop();
    await ca?.remove();
  });
  const skip = ca === undefined ? 'openssl is not installed: cannot make the issuer a certificate' : false;

  test('the issuer is registered through IAM CreateOpenIDConnectProvider', { skip }, () => {
    assert.ok(env);
    assert.equal(env.providerArn, `arn:aws:iam::${ACCOUNT}:oidc-provider/${oidcProviderKey(env.issuer.url)}`);
    assert.match(env.roleArn, /:role\/external-reader$/);
  });

  test(
    '@aws-sdk/credential-providers fromTokenFile gets credentials that answer GetCallerIdentity',
    { skip },
    async () => {
      assert.ok(env);
      const provider = fromTokenFile({
        webIdentityTokenFile: await tokenFile(env, 'js-token'),
        roleArn: env.roleArn,
        roleSessionName: 'js-external',
        clientConfig: { region: REGION, endpoint: env.endpoint },
      });
      const creds = await provider();
      assert.match(creds.accessKeyId, /^ASIA/);
      const who = await new STSClient({ region: REGION, endpoint: env.endpoint, credentials: creds }).send(
        new GetCallerIdentityCommand({}),
      );
      assert.equal(who.Arn, `arn:aws:sts::${ACCOUNT}:assumed-role/external-reader/js-external`);
      // openirsa fetched the issuer's discovery document and JWKS over https, trusting the CA file.
      assert.ok(env.issuer.requests.includes('/id/test/.well-known/openid-configuration'));
      assert.ok(env.issuer.requests.includes('/id/test/openid/v1/jwks'));
    },
  );

  test("boto3's web-identity provider from the environment gets credentials", { skip }, async (t) => {
    assert.ok(env);
    if (!(await hasBoto3())) {
      t.skip('python3 boto3 is not installed');
      return;
    }
    const script = `
import json, boto3
s = boto3.Session()
c = s.get_credentials()
who = s.client('sts').get_caller_identity()
print(json.dumps({'method': c.method, 'arn': who['Arn']}))
`;
    const stdout = await runPython(
      script,
      isolatedEnv(env.tmp, {
        AWS_CONFIG_FILE: join(env.tmp, 'no-config'),
        AWS_SHARED_CREDENTIALS_FILE: join(env.tmp, 'no-credentials'),
        AWS_DEFAULT_REGION: REGION,
        AWS_ROLE_ARN: env.roleArn,
        AWS_ROLE_SESSION_NAME: 'boto3-external',
        AWS_WEB_IDENTITY_TOKEN_FILE: await tokenFile(env, 'boto3-token'),
        AWS_ENDPOINT_URL_STS: env.endpoint,
      }),
    );
    const out = JSON.parse(stdout) as { method: string; arn: string };
    assert.equal(out.method, 'assume-role-with-web-identity');
    assert.equal(out.arn, `arn:aws:sts::${ACCOUNT}:assumed-role/external-reader/boto3-external`);
  });

  test(
    'an issuer that cannot be reached is IDPCommunicationError; a kid it does not publish is InvalidIdentityToken',
    { skip },
    async () => {
      assert.ok(env);
      const iam = iamClient(env, env.root);
      // A second issuer on a port nothing listens on (the first issuer's, plus a path that is not served
      // would still answer; a closed port does not).
      const dead = await startFakeIssuer({ key: env.ca.serverKey, cert: env.ca.serverCert });
      await dead.close();
      await iam.send(
        new CreateOpenIDConnectProviderCommand({ Url: dead.url, ClientIDList: ['sts.amazonaws.com'] }),
      );
      const sts = new STSClient({
        region: REGION,
        endpoint: env.endpoint,
        maxAttempts: 1,
        credentials: env.root,
      });
      const assume = (token: string) =>
        sts.send(
          new AssumeRoleWithWebIdentityCommand({
            RoleArn: env?.roleArn,
            RoleSessionName: 'probe',
            WebIdentityToken: token,
          }),
        );
      await assert.rejects(assume(issuerToken(dead.url, env.key, Date.now())), (e: Error) => {
        assert.equal(e.name, 'IDPCommunicationErrorException');
        assert.equal(e.message, NO_KEY);
        assert.equal((e as Error & { $metadata: { httpStatusCode?: number } }).$metadata.httpStatusCode, 400);
        return true;
      });
      await assert.rejects(
        assume(issuerToken(env.issuer.url, newIssuerKey('not-published'), Date.now())),
        (e: Error) => {
          assert.equal(e.name, 'InvalidIdentityTokenException');
          assert.equal(e.message, NO_KEY);
          return true;
        },
      );
    },
  );
});
