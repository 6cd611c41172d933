import assert from 'node:assert/strict';
import { test } from 'node:test';
import { goJson } from './go-json.js';

test('token JSON sorts members at every depth, as go-jose normalizes claims into maps', () => {
  const claims = {
    sub: 's',
    iss: 'i',
    'kubernetes.io': {
      serviceaccount: { uid: 'u', name: 'n' },
      namespace: 'ns',
      pod: { name: 'p', uid: 'q' },
    },
    aud: ['a'],
  };
  assert.equal(
    goJson(claims, { sortKeys: true }),
    '{"aud":["a"],"iss":"i","kubernetes.io":{"namespace":"ns","pod":{"name":"p","uid":"q"},' +
      '"serviceaccount":{"name":"n","uid":"u"}},"sub":"s"}',
  );
});

test('struct JSON keeps declaration order', () => {
  assert.equal(
    goJson({ use: 'sig', kty: 'RSA', kid: 'k' }, { sortKeys: false }),
    '{"use":"sig","kty":"RSA","kid":"k"}',
  );
});

test('strings are escaped the way Go escapes them', () => {
  assert.equal(
    goJson('<a&b>\u2028\u2029\b\f\n\r\t"\\\u0001é😀', { sortKeys: true }),
    '"\\u003ca\\u0026b\\u003e\\u2028\\u2029\\u0008\\u000c\\n\\r\\t\\"\\\\\\u0001é😀"',
  );
  assert.equal(goJson('\ud800', { sortKeys: true }), '"\\ufffd"');
});

test('keys sort by UTF-8 bytes, as Go compares strings', () => {
  // U+FF5E sorts before U+1F600 in UTF-8, after it in UTF-16 code units.
  assert.equal(goJson({ '😀': 1, '～': 2 }, { sortKeys: true }), '{"～":2,"😀":1}');
});

test('undefined members are omitted and non-integers are a programming error', () => {
  assert.equal(goJson({ a: undefined, b: 1 }, { sortKeys: true }), '{"b":1}');
  assert.throws(() => goJson(1.5, { sortKeys: true }), TypeError);
});
