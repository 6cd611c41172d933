import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { S3Object } from '../objects.js';
import { A, T0, storeError, type ContractContext } from './fixtures.js';

const object = (key: string, blobId: string, size: number, over: Partial<S3Object> = {}): S3Object => ({
  bucket: 'b1',
  key,
  size,
  etag: '"e"',
  metadata: [],
  checksums: {},
  lastModified: T0,
  blobId,
  ...over,
});

const bytesOf = (text: string) => Buffer.from(text);

/**
 * Objects whose bytes the store keeps (`put(object, bytes)`, docs/storage.md): the bytes live and die
 * with their row, in the row's own transactions.
 */
export function describeInlineObjects({ withStore, withBacking, sharedSkip }: ContractContext): void {
  describe('S3 inline objects', () => {
    test('put with bytes keeps them under the blob id and marks the object inline; a file object is not', () =>
      withStore(async (store) => {
        await store.buckets.create({ name: 'b1', accountId: A, region: 'us-east-1', createdAt: T0 });
        const bytes = Buffer.from([0, 1, 2, 255, 0x27, 0x22]);
        assert.equal(await store.objects.put(object('small', 'in-1', bytes.length), bytes), undefined);
        assert.deepEqual(await store.objects.get('b1', 'small'), {
          ...object('small', 'in-1', bytes.length),
          inline: true,
        });
        assert.deepEqual(await store.objects.getBytes('in-1'), bytes);
        // A Uint8Array view into a larger buffer stores exactly its own bytes.
        const slab = new Uint8Array([9, 9, 7, 8, 9, 9]);
        await store.objects.put(object('view', 'in-view', 2), slab.subarray(2, 4));
        assert.deepEqual(await store.objects.getBytes('in-view'), Buffer.from([7, 8]));
        await store.objects.put(object('big', 'file-1', 5));
        assert.equal((await store.objects.get('b1', 'big'))?.inline, undefined);
        assert.equal(await store.objects.getBytes('file-1'), undefined);
        assert.equal(await store.objects.hasBlob('in-1'), true);
        const listed = await store.objects.list('b1', { limit: 10 });
        assert.deepEqual(
          listed.map((o) => [o.key, o.inline ?? false]),
          [
            ['big', false],
            ['small', true],
            ['view', true],
          ],
        );
        assert.deepEqual(
          (await store.objects.listSummaries('b1', { limit: 10 })).map((o) => o.key),
          ['big', 'small', 'view'],
        );
      }));

    test('put refuses bytes whose length is not the size, and an inline object without bytes', () =>
      withStore(async (store) => {
        await store.buckets.create({ name: 'b1', accountId: A, region: 'us-east-1', createdAt: T0 });
        await assert.rejects(store.objects.put(object('k', 'x', 3), bytesOf('four')), TypeError);
        await assert.rejects(store.objects.put(object('k', 'x', 3, { inline: true })), TypeError);
        assert.equal(await store.objects.get('b1', 'k'), undefined);
        assert.equal(await store.objects.getBytes('x'), undefined);
      }));

    test('a put into a missing bucket stores neither row nor bytes', () =>
      withStore(async (store) => {
        await assert.rejects(
          store.objects.put({ ...object('k', 'orphan', 2), bucket: 'nope' }, bytesOf('hi')),
          storeError('notFound', 'bucket', 'nope'),
        );
        assert.equal(await store.objects.getBytes('orphan'), undefined);
      }));

    test('overwrites: inline → inline and inline → file drop the old bytes; file → inline keeps the new', () =>
      withStore(async (store) => {
        await store.buckets.create({ name: 'b1', accountId: A, region: 'us-east-1', createdAt: T0 });
        await store.objects.put(object('k', 'v1', 3), bytesOf('one'));
        const replaced = await store.objects.put(object('k', 'v2', 3), bytesOf('two'));
        assert.equal(replaced?.blobId, 'v1');
        assert.equal(
          replaced?.inline,
          true,
          'the caller learns the old bytes were inline: no file to remove',
        );
        assert.equal(await store.objects.getBytes('v1'), undefined);
        assert.deepEqual(await store.objects.getBytes('v2'), bytesOf('two'));
        const toFile = await store.objects.put(object('k', 'v3', 100));
        assert.equal(toFile?.inline, true);
        assert.equal(await store.objects.getBytes('v2'), undefined);
        const fromFile = await store.objects.put(object('k', 'v4', 4), bytesOf('four'));
        assert.equal(fromFile?.blobId, 'v3');
        assert.equal(fromFile?.inline, undefined, 'a replaced file is the caller to remove');
        assert.deepEqual(await store.objects.getBytes('v4'), bytesOf('four'));
        // The same blob id put again (a retried row) replaces its bytes rather than failing.
        await store.objects.put(object('k', 'v4', 4), bytesOf('FOUR'));
        assert.deepEqual(await store.objects.getBytes('v4'), bytesOf('FOUR'));
      }));

    test('hasBlob follows each transition between file and inline (what the orphan sweep asks)', () =>
      withStore(async (store) => {
        await store.buckets.create({ name: 'b1', accountId: A, region: 'us-east-1', createdAt: T0 });
        await store.objects.put(object('k', 'file-1', 100));
        assert.equal(await store.objects.hasBlob('file-1'), true);
        // file → inline: the file is no longer named by any object (the sweep may remove it).
        await store.objects.put(object('k', 'in-1', 3), bytesOf('one'));
        assert.deepEqual(
          [await store.objects.hasBlob('file-1'), await store.objects.hasBlob('in-1')],
          [false, true],
        );
        // inline → inline, then inline → file.
        await store.objects.put(object('k', 'in-2', 3), bytesOf('two'));
        assert.deepEqual(
          [await store.objects.hasBlob('in-1'), await store.objects.hasBlob('in-2')],
          [false, true],
        );
        await store.objects.put(object('k', 'file-2', 100));
        assert.deepEqual(
          [await store.objects.hasBlob('in-2'), await store.objects.hasBlob('file-2')],
          [false, true],
        );
        assert.equal((await store.objects.get('b1', 'k'))?.inline, undefined);
        // A file blob named by two objects (the bench's listing keys share one) stays named until both go.
        await store.objects.put(object('k2', 'file-2', 100));
        await store.objects.delete('b1', 'k');
        assert.equal(await store.objects.hasBlob('file-2'), true);
        await store.objects.delete('b1', 'k2');
        assert.equal(await store.objects.hasBlob('file-2'), false);
      }));

    test('delete takes an inline object bytes with it; tags are set by blob id as for files', () =>
      withStore(async (store) => {
        await store.buckets.create({ name: 'b1', accountId: A, region: 'us-east-1', createdAt: T0 });
        await store.objects.put(object('k', 'v1', 3), bytesOf('one'));
        assert.equal(await store.objects.setTags('b1', 'k', 'v1', [['t', '1']]), true);
        assert.equal(await store.objects.setTags('b1', 'k', 'other', [['t', '2']]), false);
        assert.deepEqual((await store.objects.get('b1', 'k'))?.tags, [['t', '1']]);
        assert.deepEqual(await store.objects.getBytes('v1'), bytesOf('one'), 'tagging keeps the bytes');
        const deleted = await store.objects.delete('b1', 'k');
        assert.equal(deleted?.inline, true);
        assert.equal(await store.objects.getBytes('v1'), undefined);
        assert.equal(await store.objects.hasBlob('v1'), false);
        // An emptied bucket can be deleted: no bytes hold it.
        await store.buckets.delete('b1');
      }));

    test('bytes put in a transaction that rolls back are gone with their row; the replaced ones stay', () =>
      withStore(async (store) => {
        await store.buckets.create({ name: 'b1', accountId: A, region: 'us-east-1', createdAt: T0 });
        await store.objects.put(object('k', 'v1', 3), bytesOf('one'));
        await assert.rejects(
          store.transaction(async (tx) => {
            await tx.objects.put(object('k', 'v2', 3), bytesOf('two'));
            await tx.objects.put(object('other', 'v3', 5), bytesOf('three'));
            throw new Error('roll back');
          }),
          /roll back/,
        );
        assert.deepEqual(await store.objects.getBytes('v1'), bytesOf('one'));
        assert.equal(await store.objects.getBytes('v2'), undefined);
        assert.equal(await store.objects.getBytes('v3'), undefined);
        assert.equal((await store.objects.get('b1', 'k'))?.blobId, 'v1');
        await store.transactionSyncedLater(async (tx) => {
          await tx.objects.put(object('k', 'v2', 3), bytesOf('two'));
          await tx.objects.put(object('other', 'v3', 5), bytesOf('three'));
        });
        assert.equal(await store.objects.getBytes('v1'), undefined);
        assert.deepEqual(await store.objects.getBytes('v2'), bytesOf('two'));
        assert.deepEqual(await store.objects.getBytes('v3'), bytesOf('three'));
      }));

    test('inline bytes survive closing and reopening the store', sharedSkip, () =>
      withBacking(async (open) => {
        const first = await open();
        await first.accounts.create({ id: A, createdAt: T0 });
        await first.buckets.create({ name: 'b1', accountId: A, region: 'us-east-1', createdAt: T0 });
        const bytes = Buffer.alloc(64 * 1024, 0xab);
        await first.objects.put(object('k', 'v1', bytes.length), bytes);
        await first.close();
        const second = await open();
        assert.equal((await second.objects.get('b1', 'k'))?.inline, true);
        assert.deepEqual(await second.objects.getBytes('v1'), bytes);
      }),
    );
  });
}
