import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ACCOUNT, invoke, READ_S3, rootContext } from '../testdata/context.js';
import { createUser } from './create-user.js';
import { getUserPolicy } from './get-user-policy.js';
import { putUserPolicy } from './put-user-policy.js';

test('PutUserPolicy stores an inline policy and replaces it under the same name', async () => {
  const { ctx, store } = await rootContext();
  await invoke(createUser, ctx, { UserName: 'alice' });
  await invoke(putUserPolicy, ctx, { UserName: 'alice', PolicyName: 'p', PolicyDocument: READ_S3 });
  const other = READ_S3.replace('s3:GetObject', 's3:PutObject');
  await invoke(putUserPolicy, ctx, { UserName: 'alice', PolicyName: 'P', PolicyDocument: other });
  const out = await invoke(getUserPolicy, ctx, { UserName: 'alice', PolicyName: 'p' });
  assert.equal(decodeURIComponent(out.PolicyDocument), other);
  await store.close();
});

test('PutUserPolicy with a document that is not JSON is MalformedPolicyDocument 400 "Syntax errors in policy."', async () => {
  const { ctx, store } = await rootContext();
  await invoke(createUser, ctx, { UserName: 'alice' });
  await assert.rejects(
    invoke(putUserPolicy, ctx, { UserName: 'alice', PolicyName: 'p', PolicyDocument: '{' }),
    {
      code: 'MalformedPolicyDocument',
      status: 400,
      message: 'Syntax errors in policy.',
    },
  );
  await store.close();
});

test('PutUserPolicy with a Principal (a resource policy) is MalformedPolicyDocument', async () => {
  const { ctx, store } = await rootContext();
  await invoke(createUser, ctx, { UserName: 'alice' });
  const doc = JSON.stringify({
    Version: '2012-10-17',
    Statement: [{ Effect: 'Allow', Principal: '*', Action: 's3:GetObject', Resource: '*' }],
  });
  await assert.rejects(
    invoke(putUserPolicy, ctx, { UserName: 'alice', PolicyName: 'p', PolicyDocument: doc }),
    {
      code: 'MalformedPolicyDocument',
      status: 400,
    },
  );
  await store.close();
});

test('PutUserPolicy beyond 2048 non-blank characters in all is LimitExceeded 409', async () => {
  const { ctx, store } = await rootContext();
  await invoke(createUser, ctx, { UserName: 'alice' });
  const big = (n: number) =>
    JSON.stringify({
      Version: '2012-10-17',
      Statement: [{ Effect: 'Allow', Action: 's3:GetObject', Resource: `arn:aws:s3:::${'b'.repeat(n)}/*` }],
    });
  await invoke(putUserPolicy, ctx, { UserName: 'alice', PolicyName: 'one', PolicyDocument: big(900) });
  // Replacing a policy counts its new size, not both.
  await invoke(putUserPolicy, ctx, { UserName: 'alice', PolicyName: 'one', PolicyDocument: big(950) });
  await assert.rejects(
    invoke(putUserPolicy, ctx, { UserName: 'alice', PolicyName: 'two', PolicyDocument: big(1000) }),
    {
      code: 'LimitExceeded',
      status: 409,
      message: 'Maximum policy size of 2048 bytes exceeded for user alice',
    },
  );
  await store.close();
});

test('PutUserPolicy for a missing user is NoSuchEntity 404', async () => {
  const { ctx, store } = await rootContext();
  await assert.rejects(
    invoke(putUserPolicy, ctx, { UserName: 'ghost', PolicyName: 'p', PolicyDocument: READ_S3 }),
    { code: 'NoSuchEntity', status: 404, message: 'The user with name ghost cannot be found.' },
  );
  await store.close();
});

test('PutUserPolicy authorizes iam:PutUserPolicy on the user ARN', async () => {
  const { ctx, store } = await rootContext();
  await invoke(createUser, ctx, { UserName: 'alice', Path: '/eng/' });
  assert.deepEqual(
    await putUserPolicy.authorize({ UserName: 'alice', PolicyName: 'p', PolicyDocument: '{}' }, ctx),
    [{ action: 'iam:PutUserPolicy', resource: `arn:aws:iam::${ACCOUNT}:user/eng/alice` }],
  );
  await store.close();
});
