import assert from 'node:assert/strict';
import { test } from 'node:test';
import { callerPrincipalOf, resourceOwnerOf, resourcePolicyKind } from './simulation-request.js';

test('CallerArn: an IAM user, or (openirsa) an OIDC provider or a service principal; nothing else', () => {
  assert.deepEqual(callerPrincipalOf('arn:aws:iam::111122223333:user/p/alice'), {
    type: 'user',
    account: '111122223333',
    partition: 'aws',
    name: 'alice',
    arn: 'arn:aws:iam::111122223333:user/p/alice',
  });
  assert.deepEqual(callerPrincipalOf('arn:aws:iam::111122223333:oidc-provider/oidc.example.com'), {
    type: 'federated',
    provider: 'arn:aws:iam::111122223333:oidc-provider/oidc.example.com',
  });
  assert.deepEqual(callerPrincipalOf('ec2.amazonaws.com'), { type: 'service', service: 'ec2.amazonaws.com' });
  for (const bad of [
    'arn:aws:iam::111122223333:root',
    'arn:aws:sts::111122223333:assumed-role/r/s',
    'alice',
  ]) {
    assert.throws(() => callerPrincipalOf(bad), { code: 'InvalidInput', status: 400 });
  }
});

test('ResourceOwner is an account id or an ARN naming one', () => {
  assert.equal(resourceOwnerOf('444455556666'), '444455556666');
  assert.equal(resourceOwnerOf('arn:aws:iam::444455556666:root'), '444455556666');
  assert.throws(() => resourceOwnerOf('someone'), { code: 'InvalidInput' });
});

test('a ResourcePolicy is read as a trust policy only when every request is an STS call on a role', () => {
  const role = ['arn:aws:iam::111122223333:role/app'];
  assert.equal(resourcePolicyKind(['sts:AssumeRole'], role), 'trust');
  assert.equal(resourcePolicyKind(['sts:AssumeRole', 's3:GetObject'], role), 'resource');
  assert.equal(resourcePolicyKind(['sts:AssumeRole'], undefined), 'resource');
});
