import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { SealedSession } from '../sts/session-token.js';
import { callerOfSession } from './authenticate.js';

function session(sessionName: string): SealedSession {
  return {
    accessKeyId: 'ASIAEXAMPLE',
    secretAccessKey: 'secret',
    account: '111122223333',
    partition: 'aws',
    roleArn: 'arn:aws:iam::111122223333:role/r',
    roleId: 'AROAEXAMPLE',
    roleName: 'r',
    sessionName,
    issuedAt: 1000,
    expiresAt: 2000,
  };
}

test('an opened session has one caller, built once: the same object for each of its requests', () => {
  const context = session('s');
  const first = callerOfSession(context);
  assert.equal(callerOfSession(context), first);
  assert.deepEqual(first, {
    kind: 'assumedRole',
    accountId: '111122223333',
    partition: 'aws',
    arn: 'arn:aws:sts::111122223333:assumed-role/r/s',
    roleArn: 'arn:aws:iam::111122223333:role/r',
    roleId: 'AROAEXAMPLE',
    roleName: 'r',
    sessionName: 's',
    accessKeyId: 'ASIAEXAMPLE',
    issuedAt: 1000,
    expiresAt: 2000,
  });
});

test('another context, even with the same content, gets its own caller; a different one its own fields', () => {
  const a = callerOfSession(session('s'));
  const b = callerOfSession(session('s'));
  assert.notEqual(a, b);
  assert.deepEqual(a, b);
  const c = callerOfSession(session('other'));
  assert.equal(c.kind === 'assumedRole' ? c.sessionName : undefined, 'other');
});
