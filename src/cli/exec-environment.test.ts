import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  endpointUrlRedirection,
  execEnvironment,
  REMOVED_VARIABLES,
  transparentProxyRedirection,
} from './exec-environment.js';

const pod = {
  roleArn: 'arn:aws:iam::000000000000:role/app',
  tokenFilePath: '/tmp/openirsa-exec-x/token',
  regionalSts: true,
  region: 'eu-west-1',
};
const inherited = {
  PATH: '/usr/bin',
  HOME: '/home/me',
  AWS_ACCESS_KEY_ID: 'AKIAEXAMPLE',
  AWS_SECRET_ACCESS_KEY: 'secret',
  AWS_SESSION_TOKEN: 'token',
  AWS_PROFILE: 'prod',
  AWS_REGION: 'us-west-2',
  AWS_ROLE_SESSION_NAME: 'mine',
  AWS_EC2_METADATA_DISABLED: 'true',
  AWS_CONTAINER_CREDENTIALS_FULL_URI: 'http://169.254.170.23/v1/credentials',
  UNSET: undefined,
};

test('with a role: the webhook variables, the endpoint variables, no inherited static credentials', async () => {
  const { env: redirection } = await endpointUrlRedirection.start('http://127.0.0.1:4566');
  const env = execEnvironment({ inherited, pod, redirection, absentFile: '/tmp/openirsa-exec-x/absent' });
  assert.deepEqual(env, {
    PATH: '/usr/bin',
    HOME: '/home/me',
    AWS_REGION: 'eu-west-1',
    AWS_ROLE_SESSION_NAME: 'mine',
    AWS_EC2_METADATA_DISABLED: 'true',
    AWS_CONFIG_FILE: '/tmp/openirsa-exec-x/absent',
    AWS_SHARED_CREDENTIALS_FILE: '/tmp/openirsa-exec-x/absent',
    AWS_STS_REGIONAL_ENDPOINTS: 'regional',
    AWS_DEFAULT_REGION: 'eu-west-1',
    AWS_ROLE_ARN: 'arn:aws:iam::000000000000:role/app',
    AWS_WEB_IDENTITY_TOKEN_FILE: '/tmp/openirsa-exec-x/token',
    AWS_ENDPOINT_URL: 'http://127.0.0.1:4566',
    AWS_ENDPOINT_URL_STS: 'http://127.0.0.1:4566',
    AWS_ENDPOINT_URL_IAM: 'http://127.0.0.1:4566',
    AWS_ENDPOINT_URL_S3: 'http://127.0.0.1:4566',
  });
});

test('without regional STS the variable is not set, even when inherited', () => {
  const env = execEnvironment({
    inherited: { AWS_STS_REGIONAL_ENDPOINTS: 'legacy' },
    pod: { ...pod, regionalSts: false },
    absentFile: '/x',
  });
  assert.equal(env.AWS_STS_REGIONAL_ENDPOINTS, undefined);
});

test('without a role: no AWS variables are added and inherited credentials are still removed', () => {
  const env = execEnvironment({ inherited, absentFile: '/x' });
  for (const name of REMOVED_VARIABLES) assert.equal(env[name], undefined, name);
  assert.equal(env.AWS_ROLE_ARN, undefined);
  assert.equal(env.AWS_ENDPOINT_URL, undefined);
  assert.equal(env.AWS_SHARED_CREDENTIALS_FILE, '/x');
  assert.equal(env.PATH, '/usr/bin');
});

test("--old-sdk: the proxy variables of the server's proxy AND the endpoint variables, so no client reaches AWS", async () => {
  const redirection = transparentProxyRedirection({
    url: 'http://127.0.0.1:4567',
    caFile: '/data/ca/ca.pem',
  });
  const started = await redirection.start('http://127.0.0.1:4566');
  const env = execEnvironment({
    inherited: { PATH: '/usr/bin', HTTPS_PROXY: 'http://corp-proxy:3128', AWS_CA_BUNDLE: '/etc/corp.pem' },
    pod,
    redirection: started.env,
    absentFile: '/tmp/openirsa-exec-x/absent',
  });
  assert.equal(env.HTTPS_PROXY, 'http://127.0.0.1:4567');
  assert.equal(env.https_proxy, 'http://127.0.0.1:4567');
  assert.equal(env.AWS_CA_BUNDLE, '/data/ca/ca.pem');
  assert.equal(env.NODE_EXTRA_CA_CERTS, '/data/ca/ca.pem');
  assert.equal(env.NO_PROXY, '127.0.0.1,localhost,::1');
  assert.equal(env.no_proxy, '127.0.0.1,localhost,::1');
  assert.equal(env.AWS_ENDPOINT_URL, 'http://127.0.0.1:4566');
  assert.equal(env.AWS_ENDPOINT_URL_S3, 'http://127.0.0.1:4566');
  assert.equal(env.HTTP_PROXY, undefined);
  await started.stop();
});
