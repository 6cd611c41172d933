import assert from 'node:assert/strict';
import { test } from 'node:test';
import { invoke, IRSA_TRUST, rootContext } from '../testdata/context.js';
import { createRole } from './create-role.js';
import { getRole } from './get-role.js';
import { tagRole } from './tag-role.js';

const tags = (pairs: [string, string][]) =>
  Object.fromEntries(
    pairs.flatMap(([k, v], n) => [
      [`Tags.member.${n + 1}.Key`, k],
      [`Tags.member.${n + 1}.Value`, v],
    ]),
  );

test('TagRole adds tags and overwrites a key already there, ignoring its case', async () => {
  const { ctx, store } = await rootContext();
  await invoke(createRole, ctx, {
    RoleName: 'app',
    AssumeRolePolicyDocument: IRSA_TRUST,
    ...tags([['team', 'a']]),
  });
  await invoke(tagRole, ctx, {
    RoleName: 'app',
    ...tags([
      ['Team', 'b'],
      ['env', 'dev'],
    ]),
  });
  const role = (await invoke(getRole, ctx, { RoleName: 'app' })).Role;
  assert.deepEqual(role.Tags, [
    { Key: 'Team', Value: 'b' },
    { Key: 'env', Value: 'dev' },
  ]);
  await store.close();
});

test('TagRole with two keys differing only in case is InvalidInput, and writes nothing', async () => {
  const { ctx, store } = await rootContext();
  await invoke(createRole, ctx, { RoleName: 'app', AssumeRolePolicyDocument: IRSA_TRUST });
  await assert.rejects(
    invoke(tagRole, ctx, {
      RoleName: 'app',
      ...tags([
        ['k', '1'],
        ['K', '2'],
      ]),
    }),
    {
      code: 'InvalidInput',
      status: 400,
      message: 'Duplicate tag keys found. Please note that Tag keys are case insensitive.',
    },
  );
  assert.equal((await invoke(getRole, ctx, { RoleName: 'app' })).Role.Tags, undefined);
  await store.close();
});

test('TagRole past 50 tags on the role is LimitExceeded 409; 51 in one request is ValidationError', async () => {
  const { ctx, store } = await rootContext();
  const fifty = Array.from({ length: 50 }, (_, n): [string, string] => [`k${n}`, 'v']);
  await invoke(createRole, ctx, { RoleName: 'app', AssumeRolePolicyDocument: IRSA_TRUST, ...tags(fifty) });
  await invoke(tagRole, ctx, { RoleName: 'app', ...tags([['K0', 'replaced']]) });
  await assert.rejects(invoke(tagRole, ctx, { RoleName: 'app', ...tags([['k50', 'v']]) }), {
    code: 'LimitExceeded',
    status: 409,
  });
  await assert.rejects(invoke(tagRole, ctx, { RoleName: 'app', ...tags([...fifty, ['x', 'y']]) }), {
    code: 'ValidationError',
    status: 400,
  });
  const role = (await invoke(getRole, ctx, { RoleName: 'app' })).Role;
  assert.equal(role.Tags?.length, 50);
  assert.deepEqual(role.Tags?.[0], { Key: 'K0', Value: 'replaced' });
  await store.close();
});

test('TagRole checks key and value lengths and the reserved aws: prefix', async () => {
  const { ctx, store } = await rootContext();
  await invoke(createRole, ctx, { RoleName: 'app', AssumeRolePolicyDocument: IRSA_TRUST });
  await assert.rejects(invoke(tagRole, ctx, { RoleName: 'app', ...tags([['k'.repeat(129), 'v']]) }), {
    code: 'ValidationError',
  });
  await assert.rejects(invoke(tagRole, ctx, { RoleName: 'app', ...tags([['k', 'v'.repeat(257)]]) }), {
    code: 'ValidationError',
  });
  await assert.rejects(invoke(tagRole, ctx, { RoleName: 'app', ...tags([['k!', 'v']]) }), {
    code: 'ValidationError',
  });
  await assert.rejects(invoke(tagRole, ctx, { RoleName: 'app', ...tags([['AWS:x', 'v']]) }), {
    code: 'InvalidInput',
  });
  await invoke(tagRole, ctx, { RoleName: 'app', ...tags([['k'.repeat(128), '']]) });
  await store.close();
});

test('TagRole of a missing role is NoSuchEntity 404', async () => {
  const { ctx, store } = await rootContext();
  await assert.rejects(invoke(tagRole, ctx, { RoleName: 'gone', ...tags([['k', 'v']]) }), {
    code: 'NoSuchEntity',
    status: 404,
    message: 'The role with name gone cannot be found.',
  });
  await store.close();
});
