import { notFound } from '../errors.js';
import { decodeMarker, pageLimit, toPage } from '../paging.js';
import type { ServiceAccount, ServiceAccountStore } from '../service-accounts.js';
import type { SqliteDatabase } from './database.js';
import { mapConflict } from './rows.js';

interface ServiceAccountRow {
  namespace: string;
  name: string;
  uid: string;
  annotations: string;
  created_at: number;
  updated_at: number;
}

/** `ServiceAccountStore` on SQLite. */
export function sqliteServiceAccounts(db: SqliteDatabase): ServiceAccountStore {
  const find = (namespace: string, name: string) =>
    db.statement('SELECT * FROM service_accounts WHERE namespace = ? AND name = ?').get(namespace, name) as
      ServiceAccountRow | undefined;
  const key = (namespace: string, name: string) => `${namespace}/${name}`;

  return {
    upsert: (input) =>
      db.write(() => {
        // INVARIANT: the uid is written on insert only, so it is stable for a namespace/name.
        mapConflict('serviceAccount', key(input.namespace, input.name), 'the server', () =>
          db
            .statement(
              `INSERT INTO service_accounts (namespace, name, uid, annotations, created_at, updated_at)
VALUES (?, ?, ?, ?, ?, ?)
ON CONFLICT (namespace, name) DO UPDATE SET annotations = excluded.annotations, updated_at = excluded.updated_at`,
            )
            .run(
              input.namespace,
              input.name,
              input.uid,
              JSON.stringify(input.annotations),
              input.at,
              input.at,
            ),
        );
        return toServiceAccount(find(input.namespace, input.name) as ServiceAccountRow);
      }),

    get: (namespace, name) =>
      db.read(() => {
        const row = find(namespace, name);
        return row === undefined ? undefined : toServiceAccount(row);
      }),

    list: (options = {}) =>
      db.read(() => {
        const limit = pageLimit(options.maxItems);
        const [afterNamespace, afterName] =
          options.marker === undefined
            ? ['', '']
            : decodeMarker(options.marker, ['string', 'string'], 'serviceAccount');
        const namespace = options.namespace;
        let rows: ServiceAccountRow[];
        if (namespace === undefined) {
          rows = db
            .statement(
              'SELECT * FROM service_accounts WHERE (namespace, name) > (?, ?) ORDER BY namespace, name LIMIT ?',
            )
            .all(afterNamespace, afterName, limit + 1) as ServiceAccountRow[];
        } else if (afterNamespace > namespace) {
          rows = [];
        } else {
          // Within one namespace the range is on the name alone, so the page is a range of the primary key.
          rows = db
            .statement(
              'SELECT * FROM service_accounts WHERE namespace = ? AND name > ? ORDER BY name LIMIT ?',
            )
            .all(namespace, afterNamespace === namespace ? afterName : '', limit + 1) as ServiceAccountRow[];
        }
        return toPage(rows, limit, toServiceAccount, (r) => [r.namespace, r.name]);
      }),

    delete: (namespace, name) =>
      db.write(() => {
        const { changes } = db
          .statement('DELETE FROM service_accounts WHERE namespace = ? AND name = ?')
          .run(namespace, name);
        if (changes === 0) throw notFound('serviceAccount', key(namespace, name));
      }),
  };
}

function toServiceAccount(row: ServiceAccountRow): ServiceAccount {
  return {
    namespace: row.namespace,
    name: row.name,
    uid: row.uid,
    annotations: JSON.parse(row.annotations) as Record<string, string>,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}
