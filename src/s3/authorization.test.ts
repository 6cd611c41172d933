import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Caller } from '../iam/caller.js';
import { A, s3Harness, type Harness } from './testdata/harness.js';

describe('S3 authorization sees who the caller is: aws:PrincipalTag', () => {
  let h: Harness;
  const userCaller = (name: string, id: string): Caller => ({
    kind: 'user',
    accountId: A,
    partition: 'aws',
    arn: `arn:aws:iam::${A}:user/${name}`,
    userId: id,
    userName: name,
    accessKeyId: `AKIA${id.slice(4)}`,
  });
  before(async () => {
    h = await s3Harness();
    await h.call({ method: 'PUT', bucket: 'abac' });
    await h.call({ method: 'PUT', bucket: 'abac', key: 'doc', body: 'x' });
    const policy = JSON.stringify({
      Version: '2012-10-17',
      Statement: [
        {
          Effect: 'Allow',
          Action: 's3:GetObject',
          Resource: 'arn:aws:s3:::abac/*',
          Condition: { StringEquals: { 'aws:PrincipalTag/team': 'blue' } },
        },
        {
          Effect: 'Deny',
          Action: 's3:GetObject',
          Resource: 'arn:aws:s3:::abac/*',
          Condition: { StringEquals: { 'aws:PrincipalTag/status': 'suspended' } },
        },
      ],
    });
    for (const [name, id, tags] of [
      ['blue', 'AIDAEXAMPLEBLUE000001', [{ key: 'team', value: 'blue' }]],
      ['red', 'AIDAEXAMPLERED0000001', [{ key: 'team', value: 'red' }]],
      [
        'gone',
        'AIDAEXAMPLEGONE000001',
        [
          { key: 'team', value: 'blue' },
          { key: 'status', value: 'suspended' },
        ],
      ],
    ] as const) {
      await h.store.users.create({
        accountId: A,
        name,
        id,
        path: '/',
        arn: `arn:aws:iam::${A}:user/${name}`,
        createdAt: 0,
        tags,
      });
      await h.store.users.putPolicy(A, name, { name: 'abac', document: policy });
    }
  });
  after(() => h.close());

  const get = (caller: Caller) => h.call({ method: 'GET', bucket: 'abac', key: 'doc', caller });

  test('a principal-tag condition allows the user whose tag matches, and only that user', async () => {
    assert.equal((await get(userCaller('blue', 'AIDAEXAMPLEBLUE000001'))).status, 200);
    assert.equal((await get(userCaller('red', 'AIDAEXAMPLERED0000001'))).status, 403);
  });

  test('an explicit deny on a principal tag applies', async () => {
    assert.equal((await get(userCaller('gone', 'AIDAEXAMPLEGONE000001'))).status, 403);
  });
});
