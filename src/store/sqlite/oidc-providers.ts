import { alreadyExists, notFound } from '../errors.js';
import type { OidcProvider, OidcProviderStore } from '../oidc-providers.js';
import { requireAccount } from './accounts.js';
import type { SqliteDatabase } from './database.js';
import { inAccount, mapConflict, parseStrings, parseTags, tagsText } from './rows.js';

interface ProviderRow {
  account_id: string;
  arn: string;
  url: string;
  client_ids: string;
  thumbprints: string;
  tags: string;
  created_at: number;
}

/** `OidcProviderStore` on SQLite. */
export function sqliteOidcProviders(db: SqliteDatabase): OidcProviderStore {
  const find = (accountId: string, arn: string) =>
    db.statement('SELECT * FROM oidc_providers WHERE account_id = ? AND arn = ?').get(accountId, arn) as
      ProviderRow | undefined;
  const existing = (accountId: string, arn: string): ProviderRow => {
    const row = find(accountId, arn);
    if (row === undefined) throw notFound('oidcProvider', arn, inAccount(accountId));
    return row;
  };

  return {
    create: (provider) =>
      db.write(() => {
        requireAccount(db, provider.accountId);
        if (find(provider.accountId, provider.arn) !== undefined) {
          throw alreadyExists('oidcProvider', provider.arn, inAccount(provider.accountId));
        }
        mapConflict('oidcProvider', provider.arn, inAccount(provider.accountId), () =>
          db
            .statement(
              `INSERT INTO oidc_providers (account_id, arn, url, client_ids, thumbprints, tags, created_at)
VALUES (?, ?, ?, ?, ?, ?, ?)`,
            )
            .run(
              provider.accountId,
              provider.arn,
              provider.url,
              JSON.stringify(provider.clientIds),
              JSON.stringify(provider.thumbprints),
              tagsText(provider.tags),
              provider.createdAt,
            ),
        );
        return toProvider(existing(provider.accountId, provider.arn));
      }),

    // Cached (database.ts `cachedRead`): AssumeRoleWithWebIdentity reads the provider on every call.
    get: (accountId, arn) =>
      db.cachedRead(`oidcProvider\u0000${accountId}\u0000${arn}`, () => {
        const row = find(accountId, arn);
        return row === undefined ? undefined : toProvider(row);
      }),

    list: (accountId) =>
      db.read(() =>
        (
          db
            .statement('SELECT * FROM oidc_providers WHERE account_id = ? ORDER BY arn')
            .all(accountId) as ProviderRow[]
        ).map(toProvider),
      ),

    update: (accountId, arn, update) =>
      db.write(() => {
        const row = existing(accountId, arn);
        db.statement(
          'UPDATE oidc_providers SET client_ids = ?, thumbprints = ?, tags = ? WHERE account_id = ? AND arn = ?',
        ).run(
          update.clientIds === undefined ? row.client_ids : JSON.stringify(update.clientIds),
          update.thumbprints === undefined ? row.thumbprints : JSON.stringify(update.thumbprints),
          update.tags === undefined ? row.tags : tagsText(update.tags),
          accountId,
          arn,
        );
        return toProvider(existing(accountId, arn));
      }),

    delete: (accountId, arn) =>
      db.write(() => {
        const { changes } = db
          .statement('DELETE FROM oidc_providers WHERE account_id = ? AND arn = ?')
          .run(accountId, arn);
        if (changes === 0) throw notFound('oidcProvider', arn, inAccount(accountId));
      }),
  };
}

function toProvider(row: ProviderRow): OidcProvider {
  return {
    accountId: row.account_id,
    arn: row.arn,
    url: row.url,
    clientIds: parseStrings(row.client_ids),
    thumbprints: parseStrings(row.thumbprints),
    tags: parseTags(row.tags),
    createdAt: row.created_at,
  };
}
