import assert from 'node:assert/strict';
import { test } from 'node:test';
import { AwsError, errorCatalogue, notImplemented } from './aws-error.js';

test('a catalogue error carries the wire code, the status, the fault and the extra fields', () => {
  const s3Error = errorCatalogue({ NoSuchKey: { status: 404 }, InternalError: { status: 500 } });
  const e = s3Error('NoSuchKey', 'The specified key does not exist.', { Key: 'a/b' });
  assert.ok(e instanceof AwsError);
  assert.equal(e.code, 'NoSuchKey');
  assert.equal(e.status, 404);
  assert.equal(e.fault, 'Sender');
  assert.equal(e.message, 'The specified key does not exist.');
  assert.deepEqual(e.fields, { Key: 'a/b' });
  assert.equal(s3Error('InternalError', 'x').fault, 'Receiver');
});

test('an unimplemented operation answers 501 InternalFailure and says which', () => {
  const e = notImplemented('STS', 'AssumeRoleWithSAML');
  assert.equal(e.status, 501);
  assert.equal(e.code, 'InternalFailure');
  assert.equal(e.message, 'STS.AssumeRoleWithSAML is not implemented');
});
