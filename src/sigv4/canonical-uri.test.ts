import assert from 'node:assert/strict';
import { test } from 'node:test';
import { canonicalUri, pathRulesFor } from './canonical-uri.js';

const s3 = pathRulesFor('s3');
const sts = pathRulesFor('sts');

test('S3 signs the path as sent: not normalized, not encoded again', () => {
  // S3 User Guide: "you do not normalize URI paths for requests to Amazon S3" (my-object//example//photo.user).
  assert.equal(canonicalUri('/my-object//example//photo.user', s3), '/my-object//example//photo.user');
  assert.equal(canonicalUri('/demo-bucket/dir/hello%20world.txt', s3), '/demo-bucket/dir/hello%20world.txt');
  assert.equal(canonicalUri('/bucket/./a/../b', s3), '/bucket/./a/../b');
  assert.equal(canonicalUri('/demo-bucket/', s3), '/demo-bucket/');
});

test('other services encode the received path once more', () => {
  assert.equal(canonicalUri('/example%20space/', sts), '/example%2520space/');
  assert.equal(canonicalUri('/example space/', sts), '/example%20space/'); // suite case get-space
  assert.equal(canonicalUri('/ሴ', sts), '/%E1%88%B4'); // suite case get-utf8
});

test('other services remove dot segments and empty segments (suite normalize-path cases)', () => {
  assert.equal(canonicalUri('/example/..', sts), '/'); // get-relative
  assert.equal(canonicalUri('/example1/example2/../..', sts), '/'); // get-relative-relative
  assert.equal(canonicalUri('//', sts), '/'); // get-slash
  assert.equal(canonicalUri('/./', sts), '/'); // get-slash-dot-slash
  assert.equal(canonicalUri('/./example', sts), '/example'); // get-slash-pointless-dot
  assert.equal(canonicalUri('//example//', sts), '/example/'); // get-slashes
});

test('a trailing slash survives normalization only when a segment is left', () => {
  assert.equal(canonicalUri('/a/b/', sts), '/a/b/');
  assert.equal(canonicalUri('/a/b/..', sts), '/a');
  assert.equal(canonicalUri('/a/../', sts), '/');
});

test('normalization can be turned off while still encoding (suite *-unnormalized cases)', () => {
  assert.equal(canonicalUri('//example//', { normalize: false, encode: true }), '//example//');
  assert.equal(canonicalUri('/example/..', { normalize: false, encode: true }), '/example/..');
});

test('an empty path canonicalizes as /', () => {
  assert.equal(canonicalUri('', s3), '/');
  assert.equal(canonicalUri('', sts), '/');
});
