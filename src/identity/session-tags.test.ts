import assert from 'node:assert/strict';
import { test } from 'node:test';
import { sessionTagsClaim, type SessionTag } from './session-tags.js';

const message = (tags: readonly SessionTag[], transitiveTagKeys?: readonly string[]) => {
  const r = sessionTagsClaim({ tags, ...(transitiveTagKeys ? { transitiveTagKeys } : {}) });
  return r.ok ? 'ok' : r.message;
};

test('each tag value is an array of one string, and transitive keys are listed only when given', () => {
  assert.deepEqual(sessionTagsClaim({ tags: [{ key: 'Project', value: 'Automation' }] }), {
    ok: true,
    claim: { principal_tags: { Project: ['Automation'] } },
  });
});

test('STS limits apply: at most 50 tags, keys 1..128 and values 0..256 of the allowed characters', () => {
  const many = Array.from({ length: 51 }, (_, i) => ({ key: `k${i}`, value: 'v' }));
  assert.equal(message(many), 'at most 50 session tags are allowed, found 51');
  assert.equal(message(many.slice(0, 50)), 'ok');
  assert.equal(message([{ key: 'ü_.:/=+-@ 1', value: '' }]), 'ok');
  assert.equal(message([{ key: 'k'.repeat(128), value: 'v'.repeat(256) }]), 'ok');
  assert.equal(
    message([{ key: '', value: 'v' }]),
    'session tag key `` must be 1 to 128 letters, digits, spaces or `_.:/=+-@`',
  );
  assert.match(message([{ key: 'k'.repeat(129), value: 'v' }]), /^session tag key/);
  assert.equal(
    message([{ key: 'k', value: 'v'.repeat(257) }]),
    'the value of session tag `k` must be at most 256 letters, digits, spaces or `_.:/=+-@`',
  );
  assert.match(message([{ key: 'k', value: 'a;b' }]), /^the value of session tag/);
});

test('a tag given twice, or a transitive key without its tag, is refused', () => {
  assert.equal(
    message([
      { key: 'k', value: 'a' },
      { key: 'k', value: 'b' },
    ]),
    'session tag `k` is given more than once',
  );
  assert.equal(
    message([{ key: 'k', value: 'a' }], ['j']),
    'transitive tag key `j` is not one of the session tags',
  );
});

test('a tag named __proto__ is an ordinary tag', () => {
  const r = sessionTagsClaim({ tags: [{ key: '__proto__', value: 'x' }] });
  assert.ok(r.ok);
  assert.ok(Object.hasOwn(r.claim.principal_tags, '__proto__'));
  assert.deepEqual(Object.keys(r.claim.principal_tags), ['__proto__']);
});
