import assert from 'node:assert/strict';
import { test } from 'node:test';
import { openSqliteStore } from '../store/sqlite/sqlite-store.js';
import type { Caller } from './caller.js';
import { principalContext } from './principal-context.js';

const A = '111122223333';
const NOW = Date.UTC(2026, 0, 1);

async function setup() {
  const store = openSqliteStore({ path: ':memory:' });
  await store.accounts.create({ id: A, createdAt: NOW });
  await store.users.create({
    accountId: A,
    name: 'alice',
    id: 'AIDAALICE000000000001',
    path: '/',
    arn: `arn:aws:iam::${A}:user/alice`,
    tags: [{ key: 'Dept', value: 'Eng' }],
    createdAt: NOW,
  });
  await store.roles.create({
    accountId: A,
    name: 'r',
    id: 'AROAROLE000000000001',
    path: '/',
    arn: `arn:aws:iam::${A}:role/r`,
    trustPolicy: '{}',
    tags: [
      { key: 'Department', value: 'Marketing' },
      { key: 'cost', value: 'c1' },
    ],
    createdAt: NOW,
  });
  return store;
}

const session = (tags?: Record<string, string>, sourceIdentity?: string): Caller => ({
  kind: 'assumedRole',
  accountId: A,
  partition: 'aws',
  arn: `arn:aws:sts::${A}:assumed-role/r/s`,
  roleArn: `arn:aws:iam::${A}:role/r`,
  roleId: 'AROAROLE000000000001',
  roleName: 'r',
  sessionName: 's',
  accessKeyId: 'ASIAX',
  issuedAt: NOW,
  expiresAt: NOW + 3600_000,
  ...(tags !== undefined ? { tags } : {}),
  ...(sourceIdentity !== undefined ? { sourceIdentity } : {}),
});

test('a role session sees its role tags, a session tag replacing a role tag of the same key in any case', async () => {
  const store = await setup();
  const ctx = await principalContext(store, session({ department: 'engineering' }, 'alice-laptop'));
  assert.equal(ctx.get('aws:principaltag/department'), 'engineering');
  assert.equal(ctx.get('aws:principaltag/cost'), 'c1');
  assert.equal(ctx.get('aws:sourceidentity'), 'alice-laptop');
  assert.equal(ctx.get('aws:tokenissuetime'), '2026-01-01T00:00:00Z');
  assert.equal(ctx.get('aws:multifactorauthpresent'), 'false');
  await store.close();
});

test('an IAM user sees its user tags; long-term credentials carry no token keys', async () => {
  const store = await setup();
  const user: Caller = {
    kind: 'user',
    accountId: A,
    partition: 'aws',
    arn: `arn:aws:iam::${A}:user/alice`,
    userId: 'AIDAALICE000000000001',
    userName: 'alice',
    accessKeyId: 'AKIAX',
  };
  const ctx = await principalContext(store, user);
  assert.deepEqual([...ctx], [['aws:principaltag/dept', 'Eng']]);
  const temporary = await principalContext(store, {
    ...user,
    temporary: { issuedAt: NOW, expiresAt: NOW + 1 },
  });
  assert.equal(temporary.get('aws:principaltag/dept'), 'Eng');
  assert.equal(temporary.get('aws:multifactorauthpresent'), 'false');
  await store.close();
});

test('a session of a deleted and recreated role does not see the new role tags', async () => {
  const store = await setup();
  const ctx = await principalContext(store, { ...session(), roleId: 'AROAOTHER00000000001' } as Caller);
  assert.equal(ctx.has('aws:principaltag/cost'), false);
  await store.close();
});
