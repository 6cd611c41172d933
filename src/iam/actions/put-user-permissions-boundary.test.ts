import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ACCOUNT, invoke, READ_S3, rootContext } from '../testdata/context.js';
import { createPolicy } from './create-policy.js';
import { createUser } from './create-user.js';
import { getUser } from './get-user.js';
import { putUserPermissionsBoundary } from './put-user-permissions-boundary.js';

test('PutUserPermissionsBoundary sets the boundary GetUser then shows', async () => {
  const { ctx, store } = await rootContext();
  await invoke(createUser, ctx, { UserName: 'alice' });
  const p = await invoke(createPolicy, ctx, { PolicyName: 'boundary', PolicyDocument: READ_S3 });
  const arn = p.Policy.Arn ?? '';
  await invoke(putUserPermissionsBoundary, ctx, { UserName: 'alice', PermissionsBoundary: arn });
  const out = await invoke(getUser, ctx, { UserName: 'alice' });
  assert.equal(out.User.PermissionsBoundary?.PermissionsBoundaryArn, arn);
  assert.equal(out.User.PermissionsBoundary?.PermissionsBoundaryType, 'PermissionsBoundaryPolicy');
  await store.close();
});

test('PutUserPermissionsBoundary with a policy that does not exist is NoSuchEntity, the user unchanged', async () => {
  const { ctx, store } = await rootContext();
  await invoke(createUser, ctx, { UserName: 'alice' });
  const arn = `arn:aws:iam::${ACCOUNT}:policy/none`;
  await assert.rejects(
    invoke(putUserPermissionsBoundary, ctx, { UserName: 'alice', PermissionsBoundary: arn }),
    {
      code: 'NoSuchEntity',
      status: 404,
      message: `Policy ${arn} does not exist or is not attachable.`,
    },
  );
  assert.equal((await store.users.get(ACCOUNT, 'alice'))?.permissionsBoundaryArn, undefined);
  await assert.rejects(
    invoke(putUserPermissionsBoundary, ctx, { UserName: 'ghost', PermissionsBoundary: arn }),
    {
      message: 'The user with name ghost cannot be found.',
    },
  );
  await store.close();
});
