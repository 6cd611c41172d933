import { notFound } from '../errors.js';
import type { MultipartUpload, UploadPart, UploadStore } from '../uploads.js';
import type { SqliteDatabase } from './database.js';
import { tagsColumn } from './objects.js';
import { optional, wherePrefix } from './rows.js';

interface UploadRow {
  bucket: string;
  object_key: string;
  upload_id: string;
  initiated: number;
  initiator: string;
  content_type: string | null;
  content_encoding: string | null;
  content_disposition: string | null;
  content_language: string | null;
  cache_control: string | null;
  expires: string | null;
  metadata: string;
  checksum_algorithm: string | null;
  tags: string | null;
}

interface PartRow {
  upload_id: string;
  part_number: number;
  size: number;
  etag: string;
  checksums: string;
  last_modified: number;
  blob_id: string;
}

/** `UploadStore` on SQLite: listings are range scans of the (bucket, object_key, upload_id) key. */
export function sqliteUploads(db: SqliteDatabase): UploadStore {
  const find = (bucket: string, key: string, uploadId: string) =>
    db
      .statement('SELECT * FROM uploads WHERE bucket = ? AND object_key = ? AND upload_id = ?')
      .get(bucket, key, uploadId) as UploadRow | undefined;
  const checkLimit = (limit: number) => {
    if (!Number.isSafeInteger(limit) || limit < 1) {
      throw new TypeError(`limit must be a positive integer, got ${String(limit)}`);
    }
  };

  return {
    create: (u) =>
      db.write(() => {
        if (db.statement('SELECT 1 FROM buckets WHERE name = ?').get(u.bucket) === undefined) {
          throw notFound('bucket', u.bucket);
        }
        db.statement(
          `INSERT INTO uploads (bucket, object_key, upload_id, initiated, initiator, content_type,
  content_encoding, content_disposition, content_language, cache_control, expires, metadata, checksum_algorithm, tags)
VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
        ).run(
          u.bucket,
          u.key,
          u.uploadId,
          u.initiated,
          u.initiator,
          u.contentType ?? null,
          u.contentEncoding ?? null,
          u.contentDisposition ?? null,
          u.contentLanguage ?? null,
          u.cacheControl ?? null,
          u.expires ?? null,
          JSON.stringify(u.metadata.map(([k, v]) => [k, v])),
          u.checksumAlgorithm ?? null,
          tagsColumn(u.tags),
        );
      }),

    get: (bucket, key, uploadId) =>
      db.read(() => {
        const row = find(bucket, key, uploadId);
        return row === undefined ? undefined : toUpload(row);
      }),

    putPart: (part) =>
      db.write(() => {
        if (db.statement('SELECT 1 FROM uploads WHERE upload_id = ?').get(part.uploadId) === undefined) {
          throw notFound('upload', part.uploadId);
        }
        const previous = db
          .statement('SELECT * FROM upload_parts WHERE upload_id = ? AND part_number = ?')
          .get(part.uploadId, part.partNumber) as PartRow | undefined;
        db.statement(
          `INSERT INTO upload_parts (upload_id, part_number, size, etag, checksums, last_modified, blob_id)
VALUES (?, ?, ?, ?, ?, ?, ?)
ON CONFLICT (upload_id, part_number) DO UPDATE SET size = excluded.size, etag = excluded.etag,
  checksums = excluded.checksums, last_modified = excluded.last_modified, blob_id = excluded.blob_id`,
        ).run(
          part.uploadId,
          part.partNumber,
          part.size,
          part.etag,
          JSON.stringify(part.checksums),
          part.lastModified,
          part.blobId,
        );
        return previous === undefined ? undefined : toPart(previous);
      }),

    listParts: (uploadId, afterPart, limit) =>
      db.read(() => {
        checkLimit(limit);
        const rows = db
          .statement(
            'SELECT * FROM upload_parts WHERE upload_id = ? AND part_number > ? ORDER BY part_number LIMIT ?',
          )
          .all(uploadId, afterPart, limit) as PartRow[];
        return rows.map(toPart);
      }),

    list: (bucket, request) =>
      db.read(() => {
        checkLimit(request.limit);
        const where = ['bucket = ?'];
        const args: (string | number)[] = [bucket];
        wherePrefix('object_key', request.prefix ?? '', where, args);
        if (request.afterKey !== undefined) {
          if (request.afterUploadId !== undefined) {
            where.push('(object_key > ? OR (object_key = ? AND upload_id > ?))');
            args.push(request.afterKey, request.afterKey, request.afterUploadId);
          } else {
            where.push('object_key > ?');
            args.push(request.afterKey);
          }
        }
        if (request.fromKey !== undefined) {
          where.push('object_key >= ?');
          args.push(request.fromKey);
        }
        args.push(request.limit);
        const rows = db
          .statement(
            `SELECT * FROM uploads WHERE ${where.join(' AND ')} ORDER BY object_key, upload_id LIMIT ?`,
          )
          .all(...args) as UploadRow[];
        return rows.map(toUpload);
      }),

    delete: (bucket, key, uploadId) =>
      db.write(() => {
        if (find(bucket, key, uploadId) === undefined) return undefined;
        const parts = db
          .statement('SELECT * FROM upload_parts WHERE upload_id = ? ORDER BY part_number')
          .all(uploadId) as PartRow[];
        db.statement('DELETE FROM upload_parts WHERE upload_id = ?').run(uploadId);
        db.statement('DELETE FROM uploads WHERE upload_id = ?').run(uploadId);
        return parts.map(toPart);
      }),
  };
}

function toUpload(row: UploadRow): MultipartUpload {
  return {
    bucket: row.bucket,
    key: row.object_key,
    uploadId: row.upload_id,
    initiated: row.initiated,
    initiator: row.initiator,
    ...optional('contentType', row.content_type),
    ...optional('contentEncoding', row.content_encoding),
    ...optional('contentDisposition', row.content_disposition),
    ...optional('contentLanguage', row.content_language),
    ...optional('cacheControl', row.cache_control),
    ...optional('expires', row.expires),
    metadata: JSON.parse(row.metadata) as [string, string][],
    ...optional('checksumAlgorithm', row.checksum_algorithm),
    ...(row.tags !== null ? { tags: JSON.parse(row.tags) as [string, string][] } : {}),
  };
}

function toPart(row: PartRow): UploadPart {
  return {
    uploadId: row.upload_id,
    partNumber: row.part_number,
    size: row.size,
    etag: row.etag,
    checksums: JSON.parse(row.checksums) as Record<string, string>,
    lastModified: row.last_modified,
    blobId: row.blob_id,
  };
}
