import { PolicyCache } from '../../policy/compile.js';
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Caller } from '../../iam/caller.js';
import type { ActionContext } from '../../iam/query-action.js';
import { fixedClock } from '../../shared/clock.js';
import { sequentialIds } from '../../shared/ids.js';
import type { StoreScope } from '../../store/types.js';
import { getCallerIdentity } from './get-caller-identity.js';

function ctx(caller: Caller): ActionContext {
  return {
    store: {} as StoreScope,
    clock: fixedClock(0),
    ids: sequentialIds(),
    caller,
    requestId: 'r',
    region: 'us-east-1',
    policies: new PolicyCache(),
  };
}

test('the account root: arn:aws:iam::ACCOUNT:root, UserId is the account id', async () => {
  const out = await getCallerIdentity.handle(
    {},
    ctx({ kind: 'root', accountId: '111122223333', partition: 'aws', arn: 'x', accessKeyId: 'AKIA' }),
  );
  assert.deepEqual(out, {
    Arn: 'arn:aws:iam::111122223333:root',
    UserId: '111122223333',
    Account: '111122223333',
  });
});

test('an assumed-role session: UserId is ROLEID:SESSION', async () => {
  const out = await getCallerIdentity.handle(
    {},
    ctx({
      kind: 'assumedRole',
      accountId: '111122223333',
      partition: 'aws',
      arn: 'arn:aws:sts::111122223333:assumed-role/r/s',
      roleArn: 'arn:aws:iam::111122223333:role/p/r',
      roleId: 'AROAEXAMPLE',
      roleName: 'r',
      sessionName: 's',
      accessKeyId: 'ASIA',
      issuedAt: 0,
      expiresAt: 1,
    }),
  );
  assert.deepEqual(out, {
    Arn: 'arn:aws:sts::111122223333:assumed-role/r/s',
    UserId: 'AROAEXAMPLE:s',
    Account: '111122223333',
  });
});

test('GetCallerIdentity needs no authorization, even an explicit deny cannot block it (STS API Reference)', () => {
  assert.deepEqual(getCallerIdentity.authorize({}, ctx({ kind: 'anonymous' })), []);
  assert.equal(getCallerIdentity.authentication, 'sigv4');
});
