import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { MultipartUpload, UploadPart } from '../uploads.js';
import { A, T0, storeError, type ContractContext } from './fixtures.js';

const upload = (key: string, uploadId: string, over: Partial<MultipartUpload> = {}): MultipartUpload => ({
  bucket: 'mp',
  key,
  uploadId,
  initiated: T0,
  initiator: `arn:aws:iam::${A}:root`,
  metadata: [],
  ...over,
});

const part = (uploadId: string, partNumber: number, over: Partial<UploadPart> = {}): UploadPart => ({
  uploadId,
  partNumber,
  size: 5,
  etag: '"5d41402abc4b2a76b9719d911017c592"',
  checksums: {},
  lastModified: T0,
  blobId: `part-${uploadId}-${partNumber}`,
  ...over,
});

/** S3 multipart uploads and their parts. */
export function describeUploads({ withStore }: ContractContext): void {
  describe('S3 multipart uploads', () => {
    test('an upload keeps what CreateMultipartUpload said; parts replace by number and list in order', () =>
      withStore(async (store) => {
        await store.buckets.create({ name: 'mp', accountId: A, region: 'us-east-1', createdAt: T0 });
        const full = upload('dir/a b', 'u1', {
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
          checksumAlgorithm: 'CRC32',
        });
        await store.uploads.create(full);
        assert.deepEqual(await store.uploads.get('mp', 'dir/a b', 'u1'), full);
        assert.equal(await store.uploads.get('mp', 'other', 'u1'), undefined);
        assert.equal(await store.uploads.putPart(part('u1', 3)), undefined);
        assert.equal(
          await store.uploads.putPart(part('u1', 1, { checksums: { CRC32: 'NhCmhg==' } })),
          undefined,
        );
        const second = part('u1', 3, { blobId: 'part-again', size: 9 });
        assert.deepEqual(await store.uploads.putPart(second), part('u1', 3));
        assert.deepEqual(
          (await store.uploads.listParts('u1', 0, 10)).map((p) => [p.partNumber, p.blobId]),
          [
            [1, 'part-u1-1'],
            [3, 'part-again'],
          ],
        );
        assert.deepEqual(await store.uploads.listParts('u1', 1, 1), [second]);
        assert.equal(await store.objects.hasBlob('part-again'), true, 'the sweep keeps part blobs');
        assert.equal(await store.objects.hasBlob('part-u1-3'), false);
        await assert.rejects(
          store.uploads.create(upload('k', 'u9', { bucket: 'nope' })),
          storeError('notFound', 'bucket', 'nope'),
        );
        await assert.rejects(
          store.uploads.putPart(part('gone', 1)),
          storeError('notFound', 'upload', 'gone'),
        );
      }));

    test('delete removes the upload and returns its parts; a bucket with an upload is not empty', () =>
      withStore(async (store) => {
        await store.buckets.create({ name: 'mp', accountId: A, region: 'us-east-1', createdAt: T0 });
        await store.uploads.create(upload('k', 'u1'));
        await store.uploads.putPart(part('u1', 2));
        await assert.rejects(store.buckets.delete('mp'), storeError('deleteConflict', 'bucket', 'mp'));
        assert.equal(await store.uploads.delete('mp', 'k', 'other'), undefined);
        assert.deepEqual(await store.uploads.delete('mp', 'k', 'u1'), [part('u1', 2)]);
        assert.equal(await store.uploads.get('mp', 'k', 'u1'), undefined);
        assert.equal(await store.uploads.delete('mp', 'k', 'u1'), undefined);
        assert.equal(await store.objects.hasBlob('part-u1-2'), false);
        await store.buckets.delete('mp');
      }));

    test('an object keeps its tags; setTags changes them only on the version named by its blob', () =>
      withStore(async (store) => {
        await store.buckets.create({ name: 'mp', accountId: A, region: 'us-east-1', createdAt: T0 });
        const object = {
          bucket: 'mp',
          key: 'k',
          size: 1,
          etag: '"x"',
          metadata: [],
          checksums: {},
          lastModified: T0,
          blobId: 'blob-1',
          tags: [['team', 'blue'] as const, ['env', 'prod'] as const],
        };
        await store.objects.put(object);
        assert.deepEqual((await store.objects.get('mp', 'k'))?.tags, object.tags);
        assert.equal(await store.objects.setTags('mp', 'k', 'blob-other', [['a', 'b']]), false);
        assert.equal(await store.objects.setTags('mp', 'k', 'blob-1', [['a', 'b']]), true);
        assert.deepEqual((await store.objects.get('mp', 'k'))?.tags, [['a', 'b']]);
        assert.equal(await store.objects.setTags('mp', 'k', 'blob-1', []), true);
        assert.equal((await store.objects.get('mp', 'k'))?.tags, undefined);
        assert.equal(await store.objects.setTags('mp', 'gone', 'blob-1', []), false);
        await store.uploads.create(upload('t', 'u7', { tags: [['x', 'y']] }));
        assert.deepEqual((await store.uploads.get('mp', 't', 'u7'))?.tags, [['x', 'y']]);
      }));

    test('uploads list by key then upload id, with prefix and both markers', () =>
      withStore(async (store) => {
        await store.buckets.create({ name: 'mp', accountId: A, region: 'us-east-1', createdAt: T0 });
        for (const [k, id] of [
          ['b', 'u2'],
          ['a/1', 'u5'],
          ['b', 'u1'],
          ['c', 'u3'],
        ] as const) {
          await store.uploads.create(upload(k, id));
        }
        const ids = async (r: Parameters<typeof store.uploads.list>[1]) =>
          (await store.uploads.list('mp', r)).map((u) => `${u.key}:${u.uploadId}`);
        assert.deepEqual(await ids({ limit: 10 }), ['a/1:u5', 'b:u1', 'b:u2', 'c:u3']);
        assert.deepEqual(await ids({ prefix: 'a/', limit: 10 }), ['a/1:u5']);
        assert.deepEqual(await ids({ afterKey: 'b', limit: 10 }), ['c:u3']);
        assert.deepEqual(await ids({ afterKey: 'b', afterUploadId: 'u1', limit: 10 }), ['b:u2', 'c:u3']);
        assert.deepEqual(await ids({ fromKey: 'b', limit: 2 }), ['b:u1', 'b:u2']);
      }));
  });
}
