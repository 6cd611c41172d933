import assert from 'node:assert/strict';
import { test } from 'node:test';
import { invoke, READ_S3, rootContext } from '../testdata/context.js';
import { createUser } from './create-user.js';
import { getUserPolicy } from './get-user-policy.js';
import { putUserPolicy } from './put-user-policy.js';

test('GetUserPolicy returns the document percent-encoded, with the names as created', async () => {
  const { ctx, store } = await rootContext();
  await invoke(createUser, ctx, { UserName: 'Alice' });
  await invoke(putUserPolicy, ctx, { UserName: 'alice', PolicyName: 'Read', PolicyDocument: READ_S3 });
  const out = await invoke(getUserPolicy, ctx, { UserName: 'ALICE', PolicyName: 'read' });
  assert.equal(out.UserName, 'Alice');
  assert.equal(out.PolicyName, 'Read');
  assert.match(out.PolicyDocument, /^%7B%22Version%22/);
  assert.equal(decodeURIComponent(out.PolicyDocument), READ_S3);
  await store.close();
});

test('GetUserPolicy of a missing policy is NoSuchEntity "The user policy with name X cannot be found."', async () => {
  const { ctx, store } = await rootContext();
  await invoke(createUser, ctx, { UserName: 'alice' });
  await assert.rejects(invoke(getUserPolicy, ctx, { UserName: 'alice', PolicyName: 'nope' }), {
    code: 'NoSuchEntity',
    status: 404,
    message: 'The user policy with name nope cannot be found.',
  });
  await assert.rejects(invoke(getUserPolicy, ctx, { UserName: 'ghost', PolicyName: 'nope' }), {
    message: 'The user with name ghost cannot be found.',
  });
  await store.close();
});
