import assert from 'node:assert/strict';
import { test } from 'node:test';
import { hostBucket, resolveTarget } from './addressing.js';

test('virtual-hosted-style hosts name the bucket; IPs, localhost and s3.* are path-style', () => {
  assert.equal(hostBucket('demo.s3.amazonaws.com'), 'demo');
  assert.equal(hostBucket('my.dotted.bucket.s3.us-east-1.amazonaws.com'), 'my.dotted.bucket');
  assert.equal(hostBucket('demo-bucket.localhost:4599'), 'demo-bucket');
  assert.equal(hostBucket('127.0.0.1:4599'), undefined);
  assert.equal(hostBucket('localhost:4599'), undefined);
  assert.equal(hostBucket('s3.amazonaws.com'), undefined);
  assert.equal(hostBucket('[::1]:4599'), undefined);
  assert.equal(hostBucket(undefined), undefined);
});

test('path-style: /bucket, /bucket/ and /bucket/key, keys percent-decoded once', () => {
  assert.deepEqual(resolveTarget('127.0.0.1', '/'), { style: 'path' });
  assert.deepEqual(resolveTarget('127.0.0.1', '/b'), { bucket: 'b', style: 'path' });
  assert.deepEqual(resolveTarget('127.0.0.1', '/b/'), { bucket: 'b', style: 'path' });
  assert.deepEqual(resolveTarget('127.0.0.1', '/b/dir/hello%20world.txt'), {
    bucket: 'b',
    key: 'dir/hello world.txt',
    style: 'path',
  });
  assert.deepEqual(resolveTarget('127.0.0.1', '/b/a%252F'), { bucket: 'b', key: 'a%2F', style: 'path' });
});

test('virtual-hosted-style: the whole path is the key', () => {
  assert.deepEqual(resolveTarget('demo.localhost:1', '/'), { bucket: 'demo', style: 'virtual' });
  assert.deepEqual(resolveTarget('demo.localhost:1', '/a/b'), {
    bucket: 'demo',
    key: 'a/b',
    style: 'virtual',
  });
});

test('an undecodable path is InvalidURI; a key over 1024 bytes is KeyTooLongError', () => {
  assert.throws(() => resolveTarget('127.0.0.1', '/b/%E0%A4%A'), { code: 'InvalidURI', status: 400 });
  assert.throws(() => resolveTarget('127.0.0.1', `/b/${'é'.repeat(513)}`), {
    code: 'KeyTooLongError',
    message: 'Your key is too long',
  });
  assert.equal(resolveTarget('127.0.0.1', `/b/${'k'.repeat(1024)}`).key?.length, 1024);
});
