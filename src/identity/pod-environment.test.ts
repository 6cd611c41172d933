import assert from 'node:assert/strict';
import { test } from 'node:test';
import { definedVariables, podEnvironment } from './pod-environment.js';

const plan = {
  roleArn: 'arn:aws:iam::111122223333:role/app',
  tokenFilePath: '/var/run/secrets/eks.amazonaws.com/serviceaccount/token',
  regionalSts: true,
  region: 'seattle',
};

test('the webhook appends STS, then the two region variables, then the web identity, in that order', () => {
  assert.deepEqual(
    podEnvironment(plan).map((e) => `${e.name}=${e.value}`),
    [
      'AWS_STS_REGIONAL_ENDPOINTS=regional',
      'AWS_DEFAULT_REGION=seattle',
      'AWS_REGION=seattle',
      'AWS_ROLE_ARN=arn:aws:iam::111122223333:role/app',
      'AWS_WEB_IDENTITY_TOKEN_FILE=/var/run/secrets/eks.amazonaws.com/serviceaccount/token',
    ],
  );
});

test('a group already defined is skipped; defining one web-identity variable suppresses both', () => {
  const defined = definedVariables(new Set(['AWS_WEB_IDENTITY_TOKEN_FILE', 'AWS_DEFAULT_REGION']));
  assert.deepEqual(defined, { webIdentity: true, region: true, sts: false });
  assert.deepEqual(
    podEnvironment(plan, defined).map((e) => e.name),
    ['AWS_STS_REGIONAL_ENDPOINTS'],
  );
  assert.deepEqual(
    podEnvironment({ ...plan, regionalSts: false, region: undefined }).map((e) => e.name),
    ['AWS_ROLE_ARN', 'AWS_WEB_IDENTITY_TOKEN_FILE'],
  );
});
