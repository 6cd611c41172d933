import { alreadyExists, notFound } from '../errors.js';
import type { SealingKey, SealingKeyStore } from '../sealing-keys.js';
import type { SigningKey, SigningKeyStore } from '../signing-keys.js';
import type { SqliteDatabase } from './database.js';
import { mapConflict, optional } from './rows.js';

interface SigningKeyRow {
  kid: string;
  alg: string;
  private_key_pem: string;
  created_at: number;
  retired_at: number | null;
}

interface SealingKeyRow {
  id: string;
  key_bytes: Buffer;
  created_at: number;
  retired_at: number | null;
}

/** `SigningKeyStore` on SQLite. */
export function sqliteSigningKeys(db: SqliteDatabase): SigningKeyStore {
  const find = (kid: string) =>
    db.statement('SELECT * FROM signing_keys WHERE kid = ?').get(kid) as SigningKeyRow | undefined;
  const existing = (kid: string): SigningKeyRow => {
    const row = find(kid);
    if (row === undefined) throw notFound('signingKey', kid);
    return row;
  };

  return {
    create: (key) =>
      db.write(() => {
        if (find(key.kid) !== undefined) throw alreadyExists('signingKey', key.kid);
        mapConflict('signingKey', key.kid, 'the server', () =>
          db
            .statement(
              'INSERT INTO signing_keys (kid, alg, private_key_pem, created_at, retired_at) VALUES (?, ?, ?, ?, ?)',
            )
            .run(key.kid, key.alg, key.privateKeyPem, key.createdAt, key.retiredAt ?? null),
        );
        return toSigningKey(existing(key.kid));
      }),

    get: (kid) =>
      db.read(() => {
        const row = find(kid);
        return row === undefined ? undefined : toSigningKey(row);
      }),

    list: () =>
      db.read(() =>
        (db.statement('SELECT * FROM signing_keys ORDER BY created_at, kid').all() as SigningKeyRow[]).map(
          toSigningKey,
        ),
      ),

    retire: (kid, retiredAt) =>
      db.write(() => {
        existing(kid);
        db.statement('UPDATE signing_keys SET retired_at = ? WHERE kid = ? AND retired_at IS NULL').run(
          retiredAt,
          kid,
        );
        return toSigningKey(existing(kid));
      }),

    delete: (kid) =>
      db.write(() => {
        const { changes } = db.statement('DELETE FROM signing_keys WHERE kid = ?').run(kid);
        if (changes === 0) throw notFound('signingKey', kid);
      }),
  };
}

/** `SealingKeyStore` on SQLite. */
export function sqliteSealingKeys(db: SqliteDatabase): SealingKeyStore {
  const find = (id: string) =>
    db.statement('SELECT * FROM sealing_keys WHERE id = ?').get(id) as SealingKeyRow | undefined;
  const existing = (id: string): SealingKeyRow => {
    const row = find(id);
    if (row === undefined) throw notFound('sealingKey', id);
    return row;
  };

  return {
    create: (key) =>
      db.write(() => {
        if (find(key.id) !== undefined) throw alreadyExists('sealingKey', key.id);
        mapConflict('sealingKey', key.id, 'the server', () =>
          db
            .statement('INSERT INTO sealing_keys (id, key_bytes, created_at, retired_at) VALUES (?, ?, ?, ?)')
            .run(key.id, key.key, key.createdAt, key.retiredAt ?? null),
        );
        return toSealingKey(existing(key.id));
      }),

    get: (id) =>
      db.read(() => {
        const row = find(id);
        return row === undefined ? undefined : toSealingKey(row);
      }),

    list: () =>
      db.read(() =>
        (db.statement('SELECT * FROM sealing_keys ORDER BY created_at, id').all() as SealingKeyRow[]).map(
          toSealingKey,
        ),
      ),

    retire: (id, retiredAt) =>
      db.write(() => {
        existing(id);
        db.statement('UPDATE sealing_keys SET retired_at = ? WHERE id = ? AND retired_at IS NULL').run(
          retiredAt,
          id,
        );
        return toSealingKey(existing(id));
      }),

    delete: (id) =>
      db.write(() => {
        const { changes } = db.statement('DELETE FROM sealing_keys WHERE id = ?').run(id);
        if (changes === 0) throw notFound('sealingKey', id);
      }),
  };
}

function toSigningKey(row: SigningKeyRow): SigningKey {
  return {
    kid: row.kid,
    alg: row.alg,
    privateKeyPem: row.private_key_pem,
    createdAt: row.created_at,
    ...optional('retiredAt', row.retired_at),
  };
}

function toSealingKey(row: SealingKeyRow): SealingKey {
  return {
    id: row.id,
    key: row.key_bytes,
    createdAt: row.created_at,
    ...optional('retiredAt', row.retired_at),
  };
}
