import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { NewBucket } from '../buckets.js';
import { prefixEnd, type S3Object } from '../objects.js';
import { A, B, T0, storeError, type ContractContext } from './fixtures.js';

const bucket = (name: string, accountId = A): NewBucket => ({
  name,
  accountId,
  region: 'us-east-1',
  createdAt: T0,
});

const object = (bucketName: string, key: string, over: Partial<S3Object> = {}): S3Object => ({
  bucket: bucketName,
  key,
  size: 5,
  etag: '"5d41402abc4b2a76b9719d911017c592"',
  metadata: [],
  checksums: {},
  lastModified: T0,
  blobId: `blob-${key}`,
  ...over,
});

/** S3 buckets and object metadata. */
export function describeBucketsAndObjects({ withStore }: ContractContext): void {
  describe('S3 buckets', () => {
    test('bucket names are global: a second account cannot take a name, and lists are per owner', () =>
      withStore(async (store) => {
        const created = await store.buckets.create(bucket('team-a'));
        assert.deepEqual(created, bucket('team-a'));
        await store.buckets.create(bucket('other', B));
        await store.buckets.create(bucket('alpha'));
        await assert.rejects(
          store.buckets.create(bucket('team-a', B)),
          storeError('alreadyExists', 'bucket', 'team-a'),
        );
        await assert.rejects(
          store.buckets.create(bucket('x', '999999999999')),
          storeError('notFound', 'account', '999999999999'),
        );
        assert.deepEqual(
          (await store.buckets.listByAccount(A)).map((b) => b.name),
          ['alpha', 'team-a'],
        );
        assert.deepEqual(
          (await store.buckets.listByAccount(B)).map((b) => b.name),
          ['other'],
        );
        assert.equal(await store.buckets.get('nope'), undefined);
      }));

    test('a bucket keeps its policy and Block Public Access settings until they are removed', () =>
      withStore(async (store) => {
        await store.buckets.create(bucket('b1'));
        const policy = '{"Version":"2012-10-17","Statement":[]}';
        assert.equal((await store.buckets.setPolicy('b1', policy)).policy, policy);
        const pab = {
          blockPublicAcls: true,
          ignorePublicAcls: false,
          blockPublicPolicy: true,
          restrictPublicBuckets: false,
        };
        assert.deepEqual((await store.buckets.setPublicAccessBlock('b1', pab)).publicAccessBlock, pab);
        assert.deepEqual(await store.buckets.get('b1'), { ...bucket('b1'), policy, publicAccessBlock: pab });
        await store.buckets.setPolicy('b1', undefined);
        await store.buckets.setPublicAccessBlock('b1', undefined);
        assert.deepEqual(await store.buckets.get('b1'), bucket('b1'));
        await assert.rejects(
          store.buckets.setPolicy('nope', policy),
          storeError('notFound', 'bucket', 'nope'),
        );
      }));

    test('a bucket that holds an object cannot be deleted; an empty one can', () =>
      withStore(async (store) => {
        await store.buckets.create(bucket('b1'));
        await store.objects.put(object('b1', 'k'));
        await assert.rejects(store.buckets.delete('b1'), {
          ...storeError('deleteConflict', 'bucket', 'b1'),
          reason: 'objects',
        });
        await store.objects.delete('b1', 'k');
        await store.buckets.delete('b1');
        assert.equal(await store.buckets.get('b1'), undefined);
        await assert.rejects(store.buckets.delete('b1'), storeError('notFound', 'bucket', 'b1'));
      }));
  });

  describe('S3 objects', () => {
    test('an object keeps every stored header, its metadata in order, and its checksums', () =>
      withStore(async (store) => {
        await store.buckets.create(bucket('b1'));
        const full = object('b1', 'dir/a b.txt', {
          contentType: 'text/plain',
          contentEncoding: 'gzip',
          contentDisposition: 'attachment',
          contentLanguage: 'en',
          cacheControl: 'no-cache',
          expires: 'Thu, 01 Dec 2094 16:00:00 GMT',
          metadata: [
            ['zeta', '1'],
            ['alpha', '2'],
          ],
          checksums: { CRC32: 'NhCmhg==' },
        });
        assert.equal(await store.objects.put(full), undefined);
        assert.deepEqual(await store.objects.get('b1', 'dir/a b.txt'), full);
        assert.equal(await store.objects.hasBlob('blob-dir/a b.txt'), true);
        assert.equal(await store.objects.hasBlob('other'), false);
      }));

    test('put replaces an object and returns the replaced one; delete is idempotent', () =>
      withStore(async (store) => {
        await store.buckets.create(bucket('b1'));
        const first = object('b1', 'k', { contentType: 'text/plain' });
        await store.objects.put(first);
        const second = object('b1', 'k', { blobId: 'blob-2', size: 7 });
        assert.deepEqual(await store.objects.put(second), first);
        assert.deepEqual(await store.objects.get('b1', 'k'), second);
        assert.equal(await store.objects.hasBlob('blob-k'), false);
        assert.deepEqual(await store.objects.delete('b1', 'k'), second);
        assert.equal(await store.objects.delete('b1', 'k'), undefined);
        assert.equal(await store.objects.get('b1', 'k'), undefined);
        await assert.rejects(
          store.objects.put(object('nope', 'k')),
          storeError('notFound', 'bucket', 'nope'),
        );
      }));

    test('lists are in UTF-8 binary order, by prefix, after a key, from a key, and limited', () =>
      withStore(async (store) => {
        await store.buckets.create(bucket('b1'));
        await store.buckets.create(bucket('b2'));
        const keys = ['a/1', 'a/2', 'a0', 'b', 'a/\u{1F600}', 'a/\uFFFD', 'A', 'a/'];
        for (const key of keys) await store.objects.put(object('b1', key));
        await store.objects.put(object('b2', 'a/1'));
        const list = async (r: Parameters<typeof store.objects.list>[1]) =>
          (await store.objects.list('b1', r)).map((o) => o.key);
        // Code-point order: U+FFFD sorts before U+1F600 (UTF-16 code units would put the emoji first).
        assert.deepEqual(await list({ limit: 100 }), [
          'A',
          'a/',
          'a/1',
          'a/2',
          'a/\uFFFD',
          'a/\u{1F600}',
          'a0',
          'b',
        ]);
        assert.deepEqual(await list({ prefix: 'a/', limit: 100 }), [
          'a/',
          'a/1',
          'a/2',
          'a/\uFFFD',
          'a/\u{1F600}',
        ]);
        assert.deepEqual(await list({ prefix: 'a/', after: 'a/1', limit: 2 }), ['a/2', 'a/\uFFFD']);
        assert.deepEqual(await list({ from: 'a0', limit: 100 }), ['a0', 'b']);
        assert.deepEqual(await list({ prefix: 'zzz', limit: 100 }), []);
        assert.deepEqual(
          (await store.objects.list('b2', { limit: 10 })).map((o) => o.key),
          ['a/1'],
        );
      }));

    test('listSummaries is list with only key, size, ETag and LastModified, over the same ranges', () =>
      withStore(async (store) => {
        await store.buckets.create(bucket('b1'));
        for (const key of ['a/1', 'a/2', 'b', 'a0']) await store.objects.put(object('b1', key));
        const requests = [
          { limit: 100 },
          { prefix: 'a/', limit: 100 },
          { prefix: 'a', after: 'a/1', limit: 2 },
          { from: 'a0', limit: 100 },
          { prefix: 'zzz', limit: 100 },
        ];
        for (const r of requests) {
          const full = await store.objects.list('b1', r);
          assert.deepEqual(
            await store.objects.listSummaries('b1', r),
            full.map((o) => ({ key: o.key, size: o.size, etag: o.etag, lastModified: o.lastModified })),
          );
        }
        assert.equal((await store.objects.listSummaries('b1', { limit: 100 })).length, 4);
        await assert.rejects(store.objects.listSummaries('b1', { limit: 0 }), TypeError);
      }));
  });

  test('prefixEnd is the least string above every string with the prefix', () => {
    assert.equal(prefixEnd('a/'), 'a0');
    assert.equal(prefixEnd(''), undefined);
    assert.equal(prefixEnd('\u{10FFFF}'), undefined);
    assert.equal(prefixEnd('a\u{10FFFF}'), 'b');
    assert.equal(prefixEnd('\uD7FF'), '\uE000');
  });
}
