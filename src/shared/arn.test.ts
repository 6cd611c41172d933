import assert from 'node:assert/strict';
import { test } from 'node:test';
import { formatArn, isAccountId, parseArn } from './arn.js';

test('an ARN keeps the colons of its resource part', () => {
  const arn = parseArn('arn:aws:someservice:us-east-2:999999999999:store/abc:111122223333:finance/x');
  assert.deepEqual(arn, {
    partition: 'aws',
    service: 'someservice',
    region: 'us-east-2',
    account: '999999999999',
    resource: 'store/abc:111122223333:finance/x',
  });
  assert.equal(formatArn(arn), 'arn:aws:someservice:us-east-2:999999999999:store/abc:111122223333:finance/x');
});

test('S3 ARNs have empty region and account', () => {
  assert.deepEqual(parseArn('arn:aws:s3:::bucket/key'), {
    partition: 'aws',
    service: 's3',
    region: '',
    account: '',
    resource: 'bucket/key',
  });
});

test('text with fewer than six ARN fields is not an ARN', () => {
  assert.equal(parseArn('arn:aws:s3::bucket'), undefined);
  assert.equal(parseArn('urn:aws:s3:::bucket'), undefined);
  assert.equal(parseArn(''), undefined);
});

test('account ids are exactly twelve digits', () => {
  assert.equal(isAccountId('123456789012'), true);
  assert.equal(isAccountId('12345678901'), false);
  assert.equal(isAccountId('12345678901a'), false);
});
