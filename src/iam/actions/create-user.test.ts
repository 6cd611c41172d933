import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ACCOUNT, invoke, READ_S3, rootContext } from '../testdata/context.js';
import { createPolicy } from './create-policy.js';
import { createUser } from './create-user.js';

test('CreateUser returns the user with an AIDA id, its path in the ARN, and its tags', async () => {
  const { ctx, store } = await rootContext();
  const out = await invoke(createUser, ctx, {
    UserName: 'alice',
    Path: '/eng/',
    'Tags.member.1.Key': 'team',
    'Tags.member.1.Value': 'a',
  });
  assert.match(out.User.UserId, /^AIDA[A-Z0-9]{17}$/);
  assert.equal(out.User.Arn, `arn:aws:iam::${ACCOUNT}:user/eng/alice`);
  assert.equal(out.User.Path, '/eng/');
  assert.equal(out.User.CreateDate, Date.UTC(2026, 0, 1));
  assert.deepEqual(out.User.Tags, [{ Key: 'team', Value: 'a' }]);
  assert.equal(out.User.PermissionsBoundary, undefined);
  await store.close();
});

test('CreateUser with a PermissionsBoundary of an existing policy keeps it', async () => {
  const { ctx, store } = await rootContext();
  const policy = await invoke(createPolicy, ctx, { PolicyName: 'b', PolicyDocument: READ_S3 });
  const arn = policy.Policy.Arn ?? '';
  const out = await invoke(createUser, ctx, { UserName: 'bob', PermissionsBoundary: arn });
  assert.deepEqual(out.User.PermissionsBoundary, {
    PermissionsBoundaryType: 'PermissionsBoundaryPolicy',
    PermissionsBoundaryArn: arn,
  });
  await store.close();
});

test('CreateUser with a boundary policy that does not exist is NoSuchEntity 404', async () => {
  const { ctx, store } = await rootContext();
  const arn = `arn:aws:iam::${ACCOUNT}:policy/none`;
  await assert.rejects(invoke(createUser, ctx, { UserName: 'bob', PermissionsBoundary: arn }), {
    code: 'NoSuchEntity',
    status: 404,
    message: `Policy ${arn} does not exist or is not attachable.`,
  });
  assert.equal(await store.users.get(ACCOUNT, 'bob'), undefined);
  await store.close();
});

test('CreateUser with a taken name (any case) is EntityAlreadyExists 409 "User with name X already exists."', async () => {
  const { ctx, store } = await rootContext();
  await invoke(createUser, ctx, { UserName: 'alice' });
  await assert.rejects(invoke(createUser, ctx, { UserName: 'ALICE' }), {
    code: 'EntityAlreadyExists',
    status: 409,
    message: 'User with name ALICE already exists.',
  });
  await store.close();
});

test('CreateUser with duplicate tag keys (ignoring case) is InvalidInput 400', async () => {
  const { ctx, store } = await rootContext();
  await assert.rejects(
    invoke(createUser, ctx, {
      UserName: 'alice',
      'Tags.member.1.Key': 'Team',
      'Tags.member.1.Value': 'a',
      'Tags.member.2.Key': 'team',
      'Tags.member.2.Value': 'b',
    }),
    {
      code: 'InvalidInput',
      status: 400,
      message: 'Duplicate tag keys found. Please note that Tag keys are case insensitive.',
    },
  );
  await store.close();
});

test('CreateUser with a UserName over 64 characters is ValidationError naming userName', async () => {
  const { ctx, store } = await rootContext();
  const name = 'u'.repeat(65);
  await assert.rejects(invoke(createUser, ctx, { UserName: name }), {
    code: 'ValidationError',
    status: 400,
    message: `1 validation error detected: Value '${name}' at 'userName' failed to satisfy constraint: Member must have length less than or equal to 64`,
  });
  await store.close();
});

test('CreateUser authorizes iam:CreateUser on the ARN of the user it creates, path included', async () => {
  const { ctx, store } = await rootContext();
  const needs = await createUser.authorize({ UserName: 'alice', Path: '/eng/' }, ctx);
  assert.deepEqual(needs, [{ action: 'iam:CreateUser', resource: `arn:aws:iam::${ACCOUNT}:user/eng/alice` }]);
  await store.close();
});
