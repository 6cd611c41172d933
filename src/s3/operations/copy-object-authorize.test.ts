import assert from 'node:assert/strict';
import { Readable } from 'node:stream';
import { test } from 'node:test';
import type { S3Context, S3Request } from '../operation.js';
import { copyObject } from './copy-object.js';

function request(headers: Record<string, string>): S3Request {
  return {
    method: 'PUT',
    bucket: 'target',
    key: 'copy',
    query: new Map(),
    headers,
    auth: {},
    body: () => Readable.from([]),
    payload: () => {
      throw new Error('not read by authorize');
    },
  };
}

test('CopyObject authorizes as PutObject does, with its tags as s3:RequestObjectTag keys and the copy headers', () => {
  const needs = copyObject.authorize(
    request({
      'x-amz-copy-source': '/source/a',
      'x-amz-metadata-directive': 'REPLACE',
      'x-amz-tagging': 'team=blue&secret=1',
      'x-amz-tagging-directive': 'REPLACE',
    }),
    {} as S3Context,
  );
  const actions = needs.map((n) => n.action);
  assert.ok(actions.includes('s3:PutObject') && actions.includes('s3:PutObjectTagging'), actions.join());
  const tagging = needs.find((n) => n.action === 's3:PutObjectTagging');
  assert.equal(tagging?.resource, 'arn:aws:s3:::target/copy');
  assert.equal(tagging?.context?.get('s3:requestobjecttag/team'), 'blue');
  assert.deepEqual([...((tagging?.context?.get('s3:requestobjecttagkeys') as string[]) ?? [])].sort(), [
    'secret',
    'team',
  ]);
  assert.equal(tagging?.context?.get('s3:x-amz-copy-source'), '/source/a');
  assert.equal(tagging?.context?.get('s3:x-amz-metadata-directive'), 'REPLACE');
});
