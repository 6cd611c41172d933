import assert from 'node:assert/strict';
import { test } from 'node:test';
import { contextFromEntries } from './simulate-wire.js';

test('ContextEntries become a context: lower-cased names, lists for *List types, booleans lower-cased', () => {
  const ctx = contextFromEntries([
    { ContextKeyName: 'aws:SourceIp', ContextKeyValues: ['203.0.113.9'], ContextKeyType: 'ip' },
    { ContextKeyName: 'aws:TagKeys', ContextKeyValues: ['a'], ContextKeyType: 'stringList' },
    { ContextKeyName: 'aws:SecureTransport', ContextKeyValues: ['True'], ContextKeyType: 'boolean' },
    { ContextKeyName: 'aws:PrincipalTag/team', ContextKeyValues: ['x', 'y'] },
  ]);
  assert.deepEqual(
    [...ctx],
    [
      ['aws:sourceip', '203.0.113.9'],
      ['aws:tagkeys', ['a']],
      ['aws:securetransport', 'true'],
      ['aws:principaltag/team', ['x', 'y']],
    ],
  );
});

test('a single-valued type with two values, a bad number and a repeated key are InvalidInput', () => {
  assert.throws(
    () =>
      contextFromEntries([
        { ContextKeyName: 'aws:SourceIp', ContextKeyValues: ['a', 'b'], ContextKeyType: 'ip' },
      ]),
    {
      code: 'InvalidInput',
      message: 'ContextEntries.member.1: a context key of type ip takes exactly one value, found 2.',
    },
  );
  assert.throws(
    () =>
      contextFromEntries([
        { ContextKeyName: 's3:max-keys', ContextKeyValues: ['ten'], ContextKeyType: 'numeric' },
      ]),
    {
      code: 'InvalidInput',
      message: 'ContextEntries.member.1: value ten of context key s3:max-keys is not a valid numeric.',
    },
  );
  assert.throws(
    () =>
      contextFromEntries([
        { ContextKeyName: 'aws:userid', ContextKeyValues: ['a'], ContextKeyType: 'string' },
        { ContextKeyName: 'AWS:UserId', ContextKeyValues: ['b'], ContextKeyType: 'string' },
      ]),
    {
      code: 'InvalidInput',
      message: 'ContextEntries.member.2: context key AWS:UserId is given more than once.',
    },
  );
});
