import assert from 'node:assert/strict';
import { test } from 'node:test';
import { foldName } from './names.js';

test('IAM names fold ASCII letters only, whatever the locale', () => {
  assert.equal(foldName('S3-Reader_Role+=,.@'), 's3-reader_role+=,.@');
  // String.prototype.toLowerCase would turn `İ` into two code points; a fold must not change length.
  assert.equal(foldName('İÄ'), 'İÄ');
});
