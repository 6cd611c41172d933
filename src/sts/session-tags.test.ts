import assert from 'node:assert/strict';
import { test } from 'node:test';
import { SESSION_TAGS_CLAIM } from '../identity/session-tags.js';
import {
  packedSize,
  resolveSessionTags,
  tagRecord,
  tagRequestContext,
  webIdentityTags,
} from './session-tags.js';

test('a web identity tags claim becomes session tags with its transitive keys', () => {
  const r = webIdentityTags({
    [SESSION_TAGS_CLAIM]: {
      principal_tags: { Project: ['Automation'], team: ['a'] },
      transitive_tag_keys: ['Project'],
    },
  });
  assert.ok(r?.ok);
  assert.deepEqual(r.set.tags, [
    ['Project', 'Automation'],
    ['team', 'a'],
  ]);
  assert.deepEqual(r.set.transitiveTagKeys, ['Project']);
  assert.equal(webIdentityTags({ sub: 'x' }), undefined);
});

test('a malformed tags claim is InvalidIdentityToken', () => {
  for (const claim of [
    'x',
    { principal_tags: [] },
    { principal_tags: { k: [1] } },
    { principal_tags: { 'bad*': ['v'] } },
    { principal_tags: { k: ['v'] }, transitive_tag_keys: 'k' },
    { principal_tags: Object.fromEntries(Array.from({ length: 51 }, (_, i) => [`k${i}`, ['v']])) },
  ]) {
    const r = webIdentityTags({ [SESSION_TAGS_CLAIM]: claim });
    assert.ok(r !== undefined && !r.ok, JSON.stringify(claim));
    assert.equal(r.error.code, 'InvalidIdentityToken');
    assert.equal(r.error.status, 400);
  }
});

test('inherited transitive tags come first and stay transitive; non-transitive ones stay behind', () => {
  const r = resolveSessionTags([['b', '2']], [], { tags: { a: '1', c: '3' }, transitiveTagKeys: ['a'] });
  assert.ok(r.ok);
  assert.deepEqual(r.set.tags, [
    ['a', '1'],
    ['b', '2'],
  ]);
  assert.deepEqual(r.set.transitiveTagKeys, ['a']);
});

test('a tag named __proto__ is an own property of the sealed record', () => {
  const r = resolveSessionTags([['__proto__', 'x']], []);
  assert.ok(r.ok);
  const record = tagRecord(r.set);
  assert.equal(Object.getPrototypeOf(record), Object.prototype);
  assert.deepEqual(Object.keys(record), ['__proto__']);
});

test('the request context carries aws:RequestTag, aws:TagKeys and sts:TransitiveTagKeys', () => {
  const r = resolveSessionTags([['Team', 'blue']], ['Team']);
  assert.ok(r.ok);
  assert.deepEqual(
    [...tagRequestContext(r.set)],
    [
      ['aws:requesttag/team', 'blue'],
      ['aws:tagkeys', ['Team']],
      ['sts:transitivetagkeys', ['Team']],
    ],
  );
});

test('packed size: a share of each budget, and PackedPolicyTooLarge with AWS wording beyond 100%', () => {
  assert.equal(packedSize(undefined, [], [['k', 'v']]).percent, 1);
  const big = Array.from({ length: 50 }, (_, i) => [`key-${i}`.padEnd(128, 'k'), 'v'.repeat(256)] as const);
  const r = packedSize(undefined, [], big);
  assert.equal(r.error?.code, 'PackedPolicyTooLarge');
  assert.equal(r.error?.status, 400);
  assert.equal(r.error?.message, `Packed size of session tags consumes ${r.percent}% of allotted space.`);
  const arns = Array.from(
    { length: 40 },
    (_, i) => `arn:aws:iam::111122223333:policy/a-rather-long-policy-name-${i}`,
  );
  const p = packedSize(undefined, arns, []);
  assert.equal(
    p.error?.message,
    `Packed policy consumes ${p.percent}% of allotted space, please use smaller policy.`,
  );
});
