import { notFound } from '../errors.js';
import type { ManifestObject, ManifestObjectKind, ManifestObjectStore } from '../manifest-objects.js';
import type { SqliteDatabase } from './database.js';
import { inAccount } from './rows.js';

interface ManifestObjectRow {
  account_id: string;
  kind: ManifestObjectKind;
  object_key: string;
  source: string;
  created_at: number;
  updated_at: number;
}

/** `ManifestObjectStore` on SQLite (table `manifest_objects`, migration 4). */
export function sqliteManifestObjects(db: SqliteDatabase): ManifestObjectStore {
  const find = (accountId: string, kind: ManifestObjectKind, key: string) =>
    db
      .statement('SELECT * FROM manifest_objects WHERE account_id = ? AND kind = ? AND object_key = ?')
      .get(accountId, kind, key) as ManifestObjectRow | undefined;

  return {
    put: (input) =>
      db.write(() => {
        db.statement(
          `INSERT INTO manifest_objects (account_id, kind, object_key, source, created_at, updated_at)
VALUES (?, ?, ?, ?, ?, ?)
ON CONFLICT (account_id, kind, object_key) DO UPDATE SET source = excluded.source, updated_at = excluded.updated_at`,
        ).run(input.accountId, input.kind, input.key, input.source, input.at, input.at);
        // INVARIANT: the row was just written in this same unit of work.
        return toManifestObject(find(input.accountId, input.kind, input.key) as ManifestObjectRow);
      }),

    list: (accountId) =>
      db.read(() =>
        (
          db
            .statement('SELECT * FROM manifest_objects WHERE account_id = ? ORDER BY kind, object_key')
            .all(accountId) as ManifestObjectRow[]
        ).map(toManifestObject),
      ),

    delete: (accountId, kind, key) =>
      db.write(() => {
        const { changes } = db
          .statement('DELETE FROM manifest_objects WHERE account_id = ? AND kind = ? AND object_key = ?')
          .run(accountId, kind, key);
        if (changes === 0) throw notFound('manifestObject', `${kind} ${key}`, inAccount(accountId));
      }),
  };
}

function toManifestObject(row: ManifestObjectRow): ManifestObject {
  return {
    accountId: row.account_id,
    kind: row.kind,
    key: row.object_key,
    source: row.source,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}
