import assert from 'node:assert/strict';
import { test } from 'node:test';
import { checkRequestTags, mergeTags, removeTags } from './tags.js';

const t = (key: string, value = 'v') => ({ key, value });

test('mergeTags overwrites a key in place ignoring case and appends new keys in order', () => {
  assert.deepEqual(mergeTags([t('a', '1'), t('B', '2')], [t('b', '3'), t('c', '4')]), [
    t('a', '1'),
    t('b', '3'),
    t('c', '4'),
  ]);
});

test('mergeTags refuses a 51st tag with LimitExceeded 409, but overwriting at 50 is fine', () => {
  const fifty = Array.from({ length: 50 }, (_, n) => t(`k${n}`));
  assert.equal(mergeTags(fifty, [t('K3', 'new')]).length, 50);
  assert.throws(() => mergeTags(fifty, [t('k50')]), { code: 'LimitExceeded', status: 409 });
});

test('checkRequestTags refuses keys that differ only in case, and the aws: prefix in any case', () => {
  assert.throws(() => checkRequestTags([t('Env'), t('eNV')]), {
    code: 'InvalidInput',
    status: 400,
    message: 'Duplicate tag keys found. Please note that Tag keys are case insensitive.',
  });
  assert.throws(() => checkRequestTags([t('Aws:owner')]), { code: 'InvalidInput' });
  assert.doesNotThrow(() => checkRequestTags([t('awsome'), t('x:aws:y')]));
});

test('removeTags removes keys ignoring case and ignores keys that are not there', () => {
  assert.deepEqual(removeTags([t('a'), t('B'), t('c')], ['b', 'zz']), [t('a'), t('c')]);
});
