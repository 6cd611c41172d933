import { isAccountId } from '../../shared/arn.js';
import type { Account, AccountStore } from '../accounts.js';
import { alreadyExists, notFound } from '../errors.js';
import { decodeMarker, pageLimit, toPage } from '../paging.js';
import type { SqliteDatabase } from './database.js';

interface AccountRow {
  id: string;
  created_at: number;
}

/** `AccountStore` on SQLite. */
export function sqliteAccounts(db: SqliteDatabase): AccountStore {
  return {
    create: (account) =>
      db.write(() => {
        if (!isAccountId(account.id)) {
          throw new TypeError(`an account id is twelve digits, got \`${account.id}\``);
        }
        if (db.statement('SELECT 1 FROM accounts WHERE id = ?').get(account.id) !== undefined) {
          throw alreadyExists('account', account.id);
        }
        db.statement('INSERT INTO accounts (id, created_at) VALUES (?, ?)').run(
          account.id,
          account.createdAt,
        );
        return { id: account.id, createdAt: account.createdAt };
      }),

    get: (id) =>
      db.read(() => {
        const row = db.statement('SELECT * FROM accounts WHERE id = ?').get(id) as AccountRow | undefined;
        return row === undefined ? undefined : toAccount(row);
      }),

    list: (page = {}) =>
      db.read(() => {
        const limit = pageLimit(page.maxItems);
        const [after] = page.marker === undefined ? [''] : decodeMarker(page.marker, ['string'], 'account');
        const rows = db
          .statement('SELECT * FROM accounts WHERE id > ? ORDER BY id LIMIT ?')
          .all(after, limit + 1) as AccountRow[];
        return toPage(rows, limit, toAccount, (r) => [r.id]);
      }),
  };
}

/** Throws `notFound` unless the account exists: every IAM create checks it first. */
export function requireAccount(db: SqliteDatabase, accountId: string): void {
  if (db.statement('SELECT 1 FROM accounts WHERE id = ?').get(accountId) === undefined) {
    throw notFound('account', accountId);
  }
}

function toAccount(row: AccountRow): Account {
  return { id: row.id, createdAt: row.created_at };
}
