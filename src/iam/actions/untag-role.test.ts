import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ACCOUNT, invoke, IRSA_TRUST, rootContext } from '../testdata/context.js';
import { createRole } from './create-role.js';
import { getRole } from './get-role.js';
import { untagRole } from './untag-role.js';

test('UntagRole removes keys ignoring case; a key the role lacks is no error', async () => {
  const { ctx, store } = await rootContext();
  await invoke(createRole, ctx, {
    RoleName: 'app',
    AssumeRolePolicyDocument: IRSA_TRUST,
    'Tags.member.1.Key': 'team',
    'Tags.member.1.Value': 'a',
    'Tags.member.2.Key': 'env',
    'Tags.member.2.Value': 'dev',
  });
  await invoke(untagRole, ctx, { RoleName: 'app', 'TagKeys.member.1': 'TEAM', 'TagKeys.member.2': 'absent' });
  assert.deepEqual((await invoke(getRole, ctx, { RoleName: 'app' })).Role.Tags, [
    { Key: 'env', Value: 'dev' },
  ]);
  await store.close();
});

test('UntagRole without TagKeys is ValidationError; of a missing role NoSuchEntity', async () => {
  const { ctx, store } = await rootContext();
  await assert.rejects(invoke(untagRole, ctx, { RoleName: 'app' }), { code: 'ValidationError' });
  await assert.rejects(invoke(untagRole, ctx, { RoleName: 'gone', 'TagKeys.member.1': 'k' }), {
    code: 'NoSuchEntity',
  });
  assert.deepEqual(await untagRole.authorize({ RoleName: 'gone', TagKeys: ['k'] }, ctx), [
    {
      action: 'iam:UntagRole',
      resource: `arn:aws:iam::${ACCOUNT}:role/gone`,
      context: new Map([['aws:tagkeys', ['k']]]),
    },
  ]);
  await store.close();
});
