import assert from 'node:assert/strict';
import { test } from 'node:test';
import { canonicalHeaders, canonicalHeaderValue } from './canonical-headers.js';

test('values are trimmed and runs of spaces collapse to one (suite get-header-value-trim)', () => {
  assert.equal(canonicalHeaderValue(' value1'), 'value1');
  assert.equal(canonicalHeaderValue(' "a   b   c"'), '"a b c"');
  assert.equal(canonicalHeaderValue('tab\t\there  '), 'tab here');
});

test('an obs-folded value folds into one line (suite get-header-value-multiline)', () => {
  assert.equal(canonicalHeaderValue('value1\n  value2\r\n     value3'), 'value1 value2 value3');
});

test('a repeated header joins its trimmed values with a comma, in the order received (suite get-header-key-duplicate)', () => {
  assert.equal(canonicalHeaderValue(['value2', 'value2', 'value1']), 'value2,value2,value1');
  assert.equal(
    canonicalHeaderValue([' value4', 'value1 ', 'value3', 'value2']),
    'value4,value1,value3,value2',
  );
});

test('the block follows the SignedHeaders order and ends with a newline', () => {
  const headers = { host: 'example.amazonaws.com', 'x-amz-date': '20150830T123600Z', 'my-header1': 'a' };
  assert.equal(
    canonicalHeaders(headers, ['host', 'my-header1', 'x-amz-date']),
    'host:example.amazonaws.com\nmy-header1:a\nx-amz-date:20150830T123600Z\n',
  );
});

test('a signed header missing from the request canonicalizes empty', () => {
  assert.equal(canonicalHeaders({ host: 'h' }, ['host', 'x-absent']), 'host:h\nx-absent:\n');
});

test('non-ASCII white space is part of the value', () => {
  assert.equal(canonicalHeaderValue('\u00a0a\u00a0'), '\u00a0a\u00a0');
});

/** The canonical value as the regular expressions computed it before the indexOf fast path: the reference. */
function referenceValue(value: string): string {
  if (!/[\t\r\n]| {2}|^ | $/.test(value)) return value;
  return value.replace(/[ \t\r\n]+/g, ' ').replace(/^ | $/g, '');
}

test('canonical values match the regular-expression reference over random values of spaces, tabs and line breaks', () => {
  let seed = 12345;
  const next = () => {
    seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
    return seed / 4294967296;
  };
  const alphabet = [' ', '  ', '\t', '\r', '\n', 'a', 'B', '"', 'é', '\u00a0', '\u2003', ',', '\u000b'];
  for (let i = 0; i < 5000; i++) {
    let value = '';
    const n = Math.floor(next() * 10);
    for (let j = 0; j < n; j++) value += alphabet[Math.floor(next() * alphabet.length)] ?? '';
    assert.equal(canonicalHeaderValue(value), referenceValue(value), JSON.stringify(value));
  }
});
