import assert from 'node:assert/strict';
import { test } from 'node:test';
import { inputPolicy, positionAt, statementToWire } from './simulation-policy.js';

test('positionAt counts 1-based lines at LF and 1-based columns; a CR is a column', () => {
  assert.deepEqual(positionAt('abc', 0), { Line: 1, Column: 1 });
  assert.deepEqual(positionAt('ab\ncd', 4), { Line: 2, Column: 2 });
  assert.deepEqual(positionAt('ab\r\ncd', 5), { Line: 2, Column: 2 });
});

test('a statement is placed just past its { and just past its }, in a bare or array Statement', () => {
  const text =
    '{"Version":"2012-10-17",\n"Statement":[\n  {"Effect":"Allow","Action":"s3:*","Resource":"*"}\n]}';
  const p = inputPolicy(text, 'PolicyInputList.1', 'identity', 'none');
  assert.deepEqual(statementToWire(p, 0), {
    SourcePolicyId: 'PolicyInputList.1',
    SourcePolicyType: 'none',
    StartPosition: { Line: 3, Column: 4 },
    EndPosition: { Line: 3, Column: 52 },
  });
});
