/**
 * The IRSA chain end to end against an in-process server: a token of the built-in issuer (minted by
 * the admin route, or by `openirsa token`), STS AssumeRoleWithWebIdentity with `@aws-sdk/client-sts`,
 * `@aws-sdk/credential-providers` `fromTokenFile` and python3 boto3, then GetCallerIdentity with the
 * temporary credentials. Every AWS client runs with AWS_EC2_METADATA_DISABLED=true against 127.0.0.1.
 */
import assert from 'node:assert/strict';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { AssumeRoleWithWebIdentityCommand, GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { fromTokenFile } from '@aws-sdk/credential-providers';
import { main } from '../../src/cli/main.js';
import { parseIssuer } from '../../src/identity/issuer.js';
import { mintToken } from '../../src/identity/mint-token.js';
import { fixedClock, systemClock } from '../../src/shared/clock.js';
import { randomIds } from '../../src/shared/ids.js';
import { serviceAccountClaims, webIdentityTrust } from '../shared/web-identity-trust.js';
import {
  ACCOUNT,
  REGION,
  bootServer,
  send,
  serviceAccountToken,
  signedQuery,
  xmlText,
  type Booted,
} from './support.js';
import { hasBoto3, isolatedEnv, runPython } from './boto3.js';

process.env.AWS_EC2_METADATA_DISABLED = 'true';

const NOT_AUTHORIZED = 'Not authorized to perform sts:AssumeRoleWithWebIdentity';

interface Env extends Booted {
  readonly providerArn: string;
  readonly roleArn: string;
}

async function boot(): Promise<Env> {
  const booted = await bootServer(systemClock, { issuerKeyRing: true });
  const hostPath = `127.0.0.1:${booted.port}`;
  const providerArn = `arn:aws:iam::${ACCOUNT}:oidc-provider/${hostPath}`;
  const roleArn = `arn:aws:iam::${ACCOUNT}:role/s3-reader`;
  // IAM CreateRole is another engineer's work in progress: the role goes straight into the store.
  await booted.store.roles.create({
    accountId: ACCOUNT,
    name: 's3-reader',
    id: 'AROAEXAMPLES3READER01',
    path: '/',
    arn: roleArn,
    trustPolicy: webIdentityTrust(providerArn, serviceAccountClaims(hostPath, 'default', 'my-app')),
    createdAt: Date.now(),
  });
  return { ...booted, providerArn, roleArn };
}

function assumeForm(roleArn: string, token: string, sessionName = 'sess1'): string {
  return new URLSearchParams({
    Action: 'AssumeRoleWithWebIdentity',
    Version: '2011-06-15',
    RoleArn: roleArn,
    RoleSessionName: sessionName,
    WebIdentityToken: token,
  }).toString();
}

function assumeRaw(env: Env, form: string, headers: Record<string, string> = {}) {
  return send(
    env.port,
    'POST',
    '/',
    { 'content-type': 'application/x-www-form-urlencoded', ...headers },
    form,
  );
}

function stsClient(
  env: Env,
  credentials?: { accessKeyId: string; secretAccessKey: string; sessionToken?: string },
) {
  return new STSClient({
    region: REGION,
    endpoint: env.endpoint,
    ...(credentials !== undefined
      ? { credentials }
      : { credentials: { accessKeyId: 'unused', secretAccessKey: 'unused' } }),
  });
}

describe('STS AssumeRoleWithWebIdentity with the built-in issuer', () => {
  let env: Env;
  before(async () => {
    env = await boot();
  });
  after(async () => {
    await env.stop();
  });

  test('the issuer serves discovery and JWKS as kube-apiserver does', async () => {
    const discovery = await send(env.port, 'GET', '/.well-known/openid-configuration', {});
    assert.equal(discovery.status, 200);
    assert.equal(discovery.headers['content-type'], 'application/json');
    assert.equal(discovery.headers['cache-control'], 'public, max-age=3600');
    assert.deepEqual(Object.keys(JSON.parse(discovery.body) as object), [
      'issuer',
      'jwks_uri',
      'response_types_supported',
      'subject_types_supported',
      'id_token_signing_alg_values_supported',
    ]);
    assert.equal((JSON.parse(discovery.body) as { issuer: string }).issuer, env.endpoint);
    const jwks = await send(env.port, 'GET', '/openid/v1/jwks', {});
    assert.equal(jwks.status, 200);
    assert.equal(jwks.headers['content-type'], 'application/jwk-set+json');
    const keys = (JSON.parse(jwks.body) as { keys: { kid: string; alg: string }[] }).keys;
    assert.equal(keys.length, 1);
    assert.equal(keys[0]?.kid, env.data.keyRing.activeKey().kid);
    assert.equal(keys[0]?.alg, 'RS256');
  });

  test('the built-in issuer is registered as an OIDC provider with client id sts.amazonaws.com', async () => {
    const provider = await env.data.store.oidcProviders.get(ACCOUNT, env.providerArn);
    assert.equal(provider?.url, env.endpoint);
    assert.deepEqual(provider?.clientIds, ['sts.amazonaws.com']);
  });

  test('the admin token route refuses an unsigned request', async () => {
    const res = await send(
      env.port,
      'POST',
      '/_openirsa/token',
      { 'content-type': 'application/json' },
      '{}',
    );
    assert.equal(res.status, 403);
    assert.equal((JSON.parse(res.body) as { error: string }).error, 'MissingAuthenticationToken');
  });

  test('@aws-sdk/client-sts assumes the role and its credentials answer GetCallerIdentity', async () => {
    const token = await serviceAccountToken(env, 'my-app');
    const out = await stsClient(env).send(
      new AssumeRoleWithWebIdentityCommand({
        RoleArn: env.roleArn,
        RoleSessionName: 'js-session',
        WebIdentityToken: token,
      }),
    );
    assert.equal(out.SubjectFromWebIdentityToken, 'system:serviceaccount:default:my-app');
    assert.equal(out.Audience, 'sts.amazonaws.com');
    assert.equal(out.Provider, env.providerArn);
    assert.equal(out.AssumedRoleUser?.Arn, `arn:aws:sts::${ACCOUNT}:assumed-role/s3-reader/js-session`);
    assert.equal(out.AssumedRoleUser?.AssumedRoleId, 'AROAEXAMPLES3READER01:js-session');
    const creds = out.Credentials;
    assert.ok(creds !== undefined);
    assert.ok(creds.AccessKeyId?.startsWith('ASIA'));
    assert.ok(creds.Expiration instanceof Date);
    const who = await stsClient(env, {
      accessKeyId: creds.AccessKeyId ?? '',
      secretAccessKey: creds.SecretAccessKey ?? '',
      sessionToken: creds.SessionToken ?? '',
    }).send(new GetCallerIdentityCommand({}));
    assert.equal(who.Arn, `arn:aws:sts::${ACCOUNT}:assumed-role/s3-reader/js-session`);
    assert.equal(who.Account, ACCOUNT);
    const event = env.audit
      .recent()
      .find((e) => e.eventName === 'AssumeRoleWithWebIdentity' && e.errorCode === undefined);
    assert.equal(event?.openirsa.decision, 'allowed');
  });

  test('a session token works only with its own key id, also after the server has opened it once', async () => {
    const assume = async (name: string) =>
      (
        await stsClient(env).send(
          new AssumeRoleWithWebIdentityCommand({
            RoleArn: env.roleArn,
            RoleSessionName: name,
            WebIdentityToken: await serviceAccountToken(env, 'my-app'),
          }),
        )
      ).Credentials;
    const a = await assume('cache-a');
    const b = await assume('cache-b');
    const gci = 'Action=GetCallerIdentity&Version=2011-06-15';
    const own = {
      accessKeyId: a?.AccessKeyId ?? '',
      secretAccessKey: a?.SecretAccessKey ?? '',
      sessionToken: a?.SessionToken ?? '',
    };
    // Twice: the second request is answered from the opened-token cache.
    for (let i = 0; i < 2; i++) assert.equal((await signedQuery(env.port, gci, own)).status, 200);
    const swapped = { ...own, accessKeyId: b?.AccessKeyId ?? '', secretAccessKey: b?.SecretAccessKey ?? '' };
    const refused = await signedQuery(env.port, gci, swapped);
    assert.equal(refused.status, 403);
    assert.equal(xmlText(refused.body, 'Code'), 'InvalidClientTokenId');
  });

  test('the success response is the XML of irsa-wire.md §5.5, unsigned and with stray auth headers ignored', async () => {
    const token = await serviceAccountToken(env, 'my-app');
    const res = await assumeRaw(env, assumeForm(env.roleArn, token), {
      authorization:
        'AWS4-HMAC-SHA256 Credential=AKIAIGNORED/20260101/us-east-1/sts/aws4_request, SignedHeaders=host, Signature=00',
      'x-amz-security-token': 'stray',
    });
    assert.equal(res.status, 200, res.body);
    assert.equal(res.headers['content-type'], 'text/xml');
    // The layout of irsa-wire.md §5.5; element order as there.
    const xml = res.body.replace(/>\s+</g, '><');
    assert.match(
      xml,
      /^<AssumeRoleWithWebIdentityResponse xmlns="https:\/\/sts\.amazonaws\.com\/doc\/2011-06-15\/"><AssumeRoleWithWebIdentityResult>/,
    );
    assert.match(
      xml,
      /<Credentials><AccessKeyId>ASIA[A-Z2-7]{16}<\/AccessKeyId><SecretAccessKey>[^<]{40}<\/SecretAccessKey><SessionToken>[^<]+<\/SessionToken><Expiration>\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ<\/Expiration><\/Credentials>/,
    );
    assert.equal(xmlText(xml, 'SubjectFromWebIdentityToken'), 'system:serviceaccount:default:my-app');
    assert.match(xml, /<ResponseMetadata><RequestId>[^<]+<\/RequestId><\/ResponseMetadata>/);
    assert.match(
      xml,
      /<AssumeRoleWithWebIdentityResult><Audience>sts\.amazonaws\.com<\/Audience><AssumedRoleUser><AssumedRoleId>AROAEXAMPLES3READER01:sess1<\/AssumedRoleId><Arn>arn:aws:sts::111122223333:assumed-role\/s3-reader\/sess1<\/Arn><\/AssumedRoleUser><Provider>arn:aws:iam::111122223333:oidc-provider\/127\.0\.0\.1:\d+<\/Provider><Credentials>/,
    );
    assert.equal(res.body.includes('<SourceIdentity>'), false);
  });

  test('@aws-sdk/credential-providers fromTokenFile reads the token file and assumes the role', async () => {
    const file = join(env.tmp, 'token');
    await writeFile(file, await serviceAccountToken(env, 'my-app'));
    const provider = fromTokenFile({
      roleArn: env.roleArn,
      webIdentityTokenFile: file,
      roleSessionName: 'token-file-session',
      clientConfig: { region: REGION, endpoint: env.endpoint },
    });
    const creds = await provider();
    assert.ok(creds.accessKeyId.startsWith('ASIA'));
    const who = await stsClient(env, {
      accessKeyId: creds.accessKeyId,
      secretAccessKey: creds.secretAccessKey,
      sessionToken: creds.sessionToken ?? '',
    }).send(new GetCallerIdentityCommand({}));
    assert.equal(who.Arn, `arn:aws:sts::${ACCOUNT}:assumed-role/s3-reader/token-file-session`);
  });

  test('boto3 assume_role_with_web_identity then get_caller_identity', async (t) => {
    if (!(await hasBoto3())) {
      t.skip('python3 boto3 is not installed');
      return;
    }
    const token = await serviceAccountToken(env, 'my-app');
    const script = `
import json, os, boto3
c = boto3.client('sts', endpoint_url=os.environ['ENDPOINT'], region_name='us-east-1')
r = c.assume_role_with_web_identity(RoleArn=os.environ['ROLE'], RoleSessionName='boto3-session',
    WebIdentityToken=os.environ['TOKEN'])
k = r['Credentials']
s = boto3.client('sts', endpoint_url=os.environ['ENDPOINT'], region_name='us-east-1',
    aws_access_key_id=k['AccessKeyId'], aws_secret_access_key=k['SecretAccessKey'],
    aws_session_token=k['SessionToken'])
print(json.dumps({'Assumed': r['AssumedRoleUser']['Arn'], 'Arn': s.get_caller_identity()['Arn']}))
`;
    const stdout = await runPython(
      script,
      isolatedEnv(env.tmp, {
        ENDPOINT: env.endpoint,
        ROLE: env.roleArn,
        TOKEN: token,
      }),
    );
    const out = JSON.parse(stdout) as { Assumed: string; Arn: string };
    assert.equal(out.Assumed, `arn:aws:sts::${ACCOUNT}:assumed-role/s3-reader/boto3-session`);
    assert.equal(out.Arn, out.Assumed);
  });

  test('`openirsa token` prints a token that STS accepts', async () => {
    let stdout = '';
    const code = await main(
      ['token', '--service-account', 'default/my-app', '--endpoint', env.endpoint, '--data', env.data.dir],
      {
        stdin: () => Promise.resolve(''),
        stdout: (t) => {
          stdout += t;
        },
        stderr: () => undefined,
        readFile: (p) => readFile(p, 'utf8'),
        clock: systemClock,
      },
    );
    assert.equal(code, 0);
    const res = await assumeRaw(env, assumeForm(env.roleArn, stdout.trim(), 'cli-session'));
    assert.equal(res.status, 200, res.body);
  });

  test('a token of another service account is AccessDenied 403, and the audit event explains the :sub condition', async () => {
    const token = await serviceAccountToken(env, 'intruder');
    const res = await assumeRaw(env, assumeForm(env.roleArn, token));
    assert.equal(res.status, 403);
    assert.equal(xmlText(res.body, 'Code'), 'AccessDenied');
    assert.equal(xmlText(res.body, 'Message'), NOT_AUTHORIZED);
    const requestId = xmlText(res.body, 'RequestId');
    const event = env.audit.recent().find((e) => e.requestID === requestId);
    assert.equal(event?.errorCode, 'AccessDenied');
    assert.equal(event.openirsa.decision, 'implicitDeny');
    assert.match(event.openirsa.explanation ?? '', new RegExp(`127\\.0\\.0\\.1:${env.port}:sub`));
    assert.equal(JSON.stringify(event).includes(token), false);
  });

  test('the JS SDK sees AccessDenied with AWS message', async () => {
    const token = await serviceAccountToken(env, 'intruder');
    await assert.rejects(
      stsClient(env).send(
        new AssumeRoleWithWebIdentityCommand({
          RoleArn: env.roleArn,
          RoleSessionName: 's1',
          WebIdentityToken: token,
        }),
      ),
      (e: Error & { $metadata?: { httpStatusCode?: number } }) => {
        assert.equal(e.name, 'AccessDenied');
        assert.equal(e.message, NOT_AUTHORIZED);
        assert.equal(e.$metadata?.httpStatusCode, 403);
        return true;
      },
    );
  });

  test('a token for another audience is InvalidIdentityToken "Incorrect token audience"', async () => {
    const token = await serviceAccountToken(env, 'my-app', 'other-audience');
    await assert.rejects(
      stsClient(env).send(
        new AssumeRoleWithWebIdentityCommand({
          RoleArn: env.roleArn,
          RoleSessionName: 's1',
          WebIdentityToken: token,
        }),
      ),
      (e: Error) => {
        assert.equal(e.name, 'InvalidIdentityTokenException');
        assert.equal(e.message, 'Incorrect token audience');
        return true;
      },
    );
  });

  test('an expired token is ExpiredTokenException with AWS wording', async () => {
    const issuer = parseIssuer(env.endpoint);
    assert.ok(issuer.ok);
    const past = fixedClock(Date.now() - 3 * 3600 * 1000);
    const minted = mintToken(
      {
        serviceAccount: { namespace: 'default', name: 'my-app' },
        audiences: ['sts.amazonaws.com'],
        expirationSeconds: 600,
      },
      { issuer: issuer.issuer, signer: env.data.keyRing, clock: past, ids: randomIds },
    );
    assert.ok(minted.ok);
    const res = await assumeRaw(env, assumeForm(env.roleArn, minted.token));
    assert.equal(res.status, 400);
    assert.equal(xmlText(res.body, 'Code'), 'ExpiredTokenException');
    assert.match(
      xmlText(res.body, 'Message') ?? '',
      new RegExp(
        `^Token expired: current date/time \\d+ must be before the expiration date/time${minted.claims.exp}$`,
      ),
    );
  });

  test('a token with a tampered signature is InvalidIdentityToken', async () => {
    const token = await serviceAccountToken(env, 'my-app');
    const [h, p, s] = token.split('.') as [string, string, string];
    const flipped = `${s.slice(0, 10)}${s[10] === 'A' ? 'B' : 'A'}${s.slice(11)}`;
    const res = await assumeRaw(env, assumeForm(env.roleArn, `${h}.${p}.${flipped}`));
    assert.equal(res.status, 400);
    assert.equal(xmlText(res.body, 'Code'), 'InvalidIdentityToken');
  });

  test('a token of an unregistered issuer is InvalidIdentityToken naming the issuer', async () => {
    const token = await serviceAccountToken(env, 'my-app');
    const [h, , s] = token.split('.') as [string, string, string];
    const payload = Buffer.from(
      JSON.stringify({ iss: 'https://unknown.example', sub: 'x', aud: 'sts.amazonaws.com', exp: 9999999999 }),
    ).toString('base64url');
    const res = await assumeRaw(env, assumeForm(env.roleArn, `${h}.${payload}.${s}`));
    assert.equal(res.status, 400);
    assert.equal(xmlText(res.body, 'Code'), 'InvalidIdentityToken');
    assert.equal(
      xmlText(res.body, 'Message'),
      'No OpenIDConnect provider found in your account for https://unknown.example',
    );
  });

  test('an invalid RoleSessionName is ValidationError with AWS message', async () => {
    const token = await serviceAccountToken(env, 'my-app');
    const res = await assumeRaw(env, assumeForm(env.roleArn, token, 'a:b'));
    assert.equal(res.status, 400);
    assert.equal(xmlText(res.body, 'Code'), 'ValidationError');
    assert.equal(
      xmlText(res.body, 'Message'),
      "1 validation error detected: Value 'a:b' at 'roleSessionName' failed to satisfy constraint: Member must satisfy regular expression pattern: [\\w+=,.@-]*",
    );
  });

  test('DurationSeconds above the role MaxSessionDuration is ValidationError with AWS message', async () => {
    const token = await serviceAccountToken(env, 'my-app');
    const res = await assumeRaw(env, `${assumeForm(env.roleArn, token)}&DurationSeconds=7200`);
    assert.equal(res.status, 400);
    assert.equal(xmlText(res.body, 'Code'), 'ValidationError');
    assert.equal(
      xmlText(res.body, 'Message'),
      'The requested DurationSeconds exceeds the MaxSessionDuration set for this role.',
    );
  });

  test('a role that does not exist is AccessDenied', async () => {
    const token = await serviceAccountToken(env, 'my-app');
    const res = await assumeRaw(env, assumeForm(`arn:aws:iam::${ACCOUNT}:role/missing`, token));
    assert.equal(res.status, 403);
    assert.equal(xmlText(res.body, 'Message'), NOT_AUTHORIZED);
  });
});
