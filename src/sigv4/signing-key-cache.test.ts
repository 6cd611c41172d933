import assert from 'node:assert/strict';
import { test } from 'node:test';
import { deriveSigningKey } from './signing-key.js';
import { SigningKeyCache } from './signing-key-cache.js';

test('the cache returns the derived key, and the same key on a hit', () => {
  const cache = new SigningKeyCache();
  const key = cache.get('secret', '20261204', 'us-east-1', 's3');
  assert.deepEqual(key, deriveSigningKey('secret', '20261204', 'us-east-1', 's3'));
  assert.equal(cache.get('secret', '20261204', 'us-east-1', 's3'), key);
  assert.equal(cache.size, 1);
});

test('scopes whose parts concatenate alike are different entries', () => {
  const cache = new SigningKeyCache();
  const a = cache.get('secret', '20261204', 'us-east-1', 's3');
  const b = cache.get('secret', '20261204', 'us-east-1s', '3');
  assert.notDeepEqual(a, b);
  assert.deepEqual(b, deriveSigningKey('secret', '20261204', 'us-east-1s', '3'));
});

test('the cache is bounded and drops the least recently used key', () => {
  const cache = new SigningKeyCache(2);
  const first = cache.get('s1', '20261204', 'r', 'sts');
  cache.get('s2', '20261204', 'r', 'sts');
  assert.equal(cache.get('s1', '20261204', 'r', 'sts'), first); // s1 is now the most recent
  cache.get('s3', '20261204', 'r', 'sts'); // evicts s2
  assert.equal(cache.size, 2);
  assert.equal(cache.get('s1', '20261204', 'r', 'sts'), first);
  cache.clear();
  assert.equal(cache.size, 0);
});

test('a cache size that is not a positive integer is a programming error', () => {
  assert.throws(() => new SigningKeyCache(0), TypeError);
  assert.throws(() => new SigningKeyCache(1.5), TypeError);
});

test('the key handed out last answers a repeat of the same scope, and any other part misses it', () => {
  const cache = new SigningKeyCache(8);
  const key = cache.get('secret', '20261204', 'us-east-1', 'sts');
  assert.equal(cache.get('secret', '20261204', 'us-east-1', 'sts'), key);
  assert.deepEqual(
    cache.get('other', '20261204', 'us-east-1', 'sts'),
    deriveSigningKey('other', '20261204', 'us-east-1', 'sts'),
  );
  assert.deepEqual(
    cache.get('secret', '20261205', 'us-east-1', 'sts'),
    deriveSigningKey('secret', '20261205', 'us-east-1', 'sts'),
  );
  assert.deepEqual(
    cache.get('secret', '20261204', 'eu-west-1', 'sts'),
    deriveSigningKey('secret', '20261204', 'eu-west-1', 'sts'),
  );
  assert.deepEqual(
    cache.get('secret', '20261204', 'us-east-1', 'iam'),
    deriveSigningKey('secret', '20261204', 'us-east-1', 'iam'),
  );
  assert.equal(cache.get('secret', '20261204', 'us-east-1', 'sts'), key);
  assert.equal(cache.size, 5);
  cache.clear();
  const again = cache.get('secret', '20261204', 'us-east-1', 'sts');
  assert.notEqual(again, key);
  assert.deepEqual(again, key);
  assert.equal(cache.size, 1);
});
