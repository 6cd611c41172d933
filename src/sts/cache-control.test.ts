import assert from 'node:assert/strict';
import { test } from 'node:test';
import { cacheLifetimeMs, DEFAULT_CACHE_BOUNDS } from './cache-control.js';

const HOUR = 3_600_000;

test("kube-apiserver's `public, max-age=3600` keeps keys for an hour", () => {
  assert.equal(cacheLifetimeMs('public, max-age=3600'), HOUR);
});

test('no Cache-Control, or no readable max-age, means the default hour', () => {
  assert.equal(cacheLifetimeMs(undefined), DEFAULT_CACHE_BOUNDS.defaultMs);
  assert.equal(cacheLifetimeMs('public'), HOUR);
  assert.equal(cacheLifetimeMs('max-age=soon'), HOUR);
  assert.equal(cacheLifetimeMs('max-age=-5'), HOUR);
});

test('max-age is clamped to 5 minutes .. 24 hours', () => {
  assert.equal(cacheLifetimeMs('max-age=0'), 5 * 60_000);
  assert.equal(cacheLifetimeMs('max-age=10'), 5 * 60_000);
  assert.equal(cacheLifetimeMs('max-age=31536000'), 24 * HOUR);
  assert.equal(cacheLifetimeMs('max-age=999999999999'), 24 * HOUR);
});

test('no-store and no-cache get the minimum; directives are case-insensitive; the first max-age counts', () => {
  assert.equal(cacheLifetimeMs('no-store'), 5 * 60_000);
  assert.equal(cacheLifetimeMs('max-age=7200, No-Cache'), 5 * 60_000);
  assert.equal(cacheLifetimeMs('Max-Age="7200"'), 2 * HOUR);
  assert.equal(cacheLifetimeMs('max-age=7200, max-age=600'), 2 * HOUR);
});

test('bounds can be given', () => {
  assert.equal(cacheLifetimeMs('max-age=1', { minMs: 0, maxMs: 10_000, defaultMs: 5 }), 1000);
  assert.equal(cacheLifetimeMs(undefined, { minMs: 0, maxMs: 10_000, defaultMs: 5 }), 5);
});
