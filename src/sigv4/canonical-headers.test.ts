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
