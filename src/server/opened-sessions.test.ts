import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { SealedSession } from '../sts/session-token.js';
import { OpenedSessions } from './opened-sessions.js';

function session(accessKeyId: string): SealedSession {
  return {
    accessKeyId,
    secretAccessKey: 'secret',
    account: '111122223333',
    partition: 'aws',
    roleArn: 'arn:aws:iam::111122223333:role/r',
    roleId: 'AROAEXAMPLE',
    roleName: 'r',
    sessionName: 's',
    issuedAt: 0,
    expiresAt: 1,
  };
}

test('an opened token is found again by its text, and only by it', () => {
  const cache = new OpenedSessions();
  cache.set('token-a', session('ASIAA'));
  assert.equal(cache.get('token-a')?.accessKeyId, 'ASIAA');
  assert.equal(cache.get('token-b'), undefined);
});

test('past its bound the oldest entry goes, and re-setting a kept token evicts nothing', () => {
  const cache = new OpenedSessions(2);
  cache.set('a', session('ASIAA'));
  cache.set('b', session('ASIAB'));
  cache.set('b', session('ASIAB'));
  assert.equal(cache.size, 2);
  assert.notEqual(cache.get('a'), undefined);
  cache.set('c', session('ASIAC'));
  assert.equal(cache.size, 2);
  assert.equal(cache.get('a'), undefined);
  assert.notEqual(cache.get('b'), undefined);
  assert.notEqual(cache.get('c'), undefined);
});

test('a token that shares the kept token’s ending but differs elsewhere is not found, and replaces it when set', () => {
  const cache = new OpenedSessions();
  const tail = 'x'.repeat(40);
  const a = `AAAA${tail}`;
  const b = `BBBB${tail}`;
  cache.set(a, session('ASIAA'));
  assert.equal(cache.get(a)?.accessKeyId, 'ASIAA');
  assert.equal(cache.get(b), undefined);
  assert.equal(cache.get(`${tail}`), undefined);
  assert.equal(cache.get(`AAAA${tail}x`), undefined);
  cache.set(b, session('ASIAB'));
  assert.equal(cache.get(b)?.accessKeyId, 'ASIAB');
  assert.equal(cache.get(a), undefined);
  assert.equal(cache.size, 1);
});

test('long tokens are found by their whole text, whichever string object brings it', () => {
  const cache = new OpenedSessions();
  const token = `IQoJb3JpZ2luX2Vj${'Zm9v'.repeat(250)}==`;
  cache.set(token, session('ASIAA'));
  // A fresh string with the same text, as the next request's header brings it.
  const again = `x-amz-security-token:${token}`.slice('x-amz-security-token:'.length);
  assert.equal(cache.get(again)?.accessKeyId, 'ASIAA');
  assert.equal(cache.get(`${token.slice(0, -3)}A==`), undefined);
});
