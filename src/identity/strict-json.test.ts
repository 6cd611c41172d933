import assert from 'node:assert/strict';
import { test } from 'node:test';
import { MAX_JSON_DEPTH, parseStrictJson } from './strict-json.js';

test('valid JSON reads the same as JSON.parse', () => {
  for (const text of [
    '{"alg":"RS256","kid":"abc"}',
    ' {"a":[1,-2.5e3,true,false,null,{"b":"\\u00e9\\n\\"\\\\\\/"}]} ',
    '[]',
    '{}',
    '"x"',
    '0',
    '{"__proto__":{"x":1}}',
  ]) {
    const r = parseStrictJson(text);
    assert.ok(r.ok, text);
    assert.deepEqual(r.value, JSON.parse(text), text);
  }
});

test('a member named __proto__ stays an own property and never changes the prototype', () => {
  const r = parseStrictJson('{"__proto__":{"polluted":true}}');
  assert.ok(r.ok && r.value !== null && typeof r.value === 'object' && !Array.isArray(r.value));
  assert.equal(Object.getPrototypeOf(r.value), Object.prototype);
  assert.ok(Object.hasOwn(r.value, '__proto__'));
  assert.equal((r.value as { polluted?: unknown }).polluted, undefined);
});

test('duplicate member names are rejected at every depth (RFC 7515 §4, RFC 7519 §4)', () => {
  const top = parseStrictJson('{"alg":"RS256","alg":"none"}');
  assert.deepEqual(top, { ok: false, reason: 'duplicate', message: 'member `alg` appears more than once' });
  const nested = parseStrictJson('{"kubernetes.io":{"namespace":"a","namespace":"b"}}');
  assert.equal(nested.ok ? '' : nested.reason, 'duplicate');
  // Equal after unescaping is equal: "a" and "\u0061" are the same name.
  const escaped = parseStrictJson('{"a":1,"\\u0061":2}');
  assert.equal(escaped.ok ? '' : escaped.reason, 'duplicate');
  // The name is reported as read, not as its JSON pointer token (`/` and `~` are escaped there).
  assert.deepEqual(parseStrictJson('{"x":{"a/b~c":1,"a/b~c":2},"y":1,"y":2}'), {
    ok: false,
    reason: 'duplicate',
    message: 'member `a/b~c` appears more than once',
  });
  const long = 'n'.repeat(70);
  assert.deepEqual(parseStrictJson(`{"${long}":1,"${long}":2}`), {
    ok: false,
    reason: 'duplicate',
    message: `member \`${'n'.repeat(64)}…\` appears more than once`,
  });
});

test('syntax errors are failures, never exceptions', () => {
  for (const bad of [
    '',
    '{',
    '{"a":}',
    '{"a":1,}',
    '[1,]',
    '[1 2]',
    '"abc',
    '"a\tb"',
    '{"a":tru}',
    '"\\x"',
    '"\\u12"',
    '01',
    '1.',
    '+1',
    'NaN',
    '{} x',
    '\ufeff{}',
    "{'a':1}",
  ]) {
    const r = parseStrictJson(bad);
    assert.equal(r.ok ? '' : r.reason, 'syntax', JSON.stringify(bad));
  }
  assert.deepEqual(parseStrictJson('{"a":}'), {
    ok: false,
    reason: 'syntax',
    message: 'unexpected character `}` at line 1, column 6',
  });
});

test('nesting is bounded', () => {
  const ok = '['.repeat(MAX_JSON_DEPTH + 1) + ']'.repeat(MAX_JSON_DEPTH + 1);
  assert.equal(parseStrictJson(ok).ok, true);
  const deep = '['.repeat(MAX_JSON_DEPTH + 2) + ']'.repeat(MAX_JSON_DEPTH + 2);
  assert.deepEqual(parseStrictJson(deep), {
    ok: false,
    reason: 'syntax',
    message: `nesting deeper than 32 levels at \`${'/0'.repeat(32)}…\``,
  });
  const objects = '{"a":'.repeat(MAX_JSON_DEPTH + 1) + '1' + '}'.repeat(MAX_JSON_DEPTH + 1);
  assert.equal(parseStrictJson(objects).ok ? '' : 'refused', 'refused', 'objects count as levels too');
  // Far deeper texts are refused by the shared reader before any tree is built.
  const far = parseStrictJson('['.repeat(10_000) + ']'.repeat(10_000));
  assert.equal(far.ok ? '' : far.reason, 'syntax');
});
