import { chmod, mkdir, stat, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import type { Clock } from '../shared/clock.js';
import type { IdGenerator } from '../shared/ids.js';
import type { AccessKey } from '../store/access-keys.js';
import { openSqliteStore, SQLITE_FILE_NAME } from '../store/sqlite/sqlite-store.js';
import type { Store } from '../store/types.js';
import { secretAccessKey } from '../sts/session-token.js';
import { ensureSealingKey } from './sealing-keys.js';

/** The profile of the admin credentials file (DESIGN.md, "Contracts": `openirsa up`). */
export const CREDENTIALS_PROFILE = 'openirsa';
export const CREDENTIALS_FILE_NAME = 'credentials';

export interface DataDirOptions {
  readonly dir: string;
  /** Twelve digits. */
  readonly accountId: string;
  readonly clock: Clock;
  readonly ids: IdGenerator;
}

export interface DataDir {
  readonly dir: string;
  readonly store: Store;
  readonly credentialsPath: string;
  /** The account root's access key id (its secret is in the credentials file only). */
  readonly accessKeyId: string;
  /** Whether this start created the account and its root key. */
  readonly created: boolean;
}

/**
 * Opens the embedded defaults in a data directory, creating on first start: the directory (0700), the
 * SQLite store, the account, a random root access key (`AKIA...` and a 40-character secret: never a
 * fixed, well-known pair, DESIGN.md "Security stance"), a sealing key for session tokens, and the AWS
 * shared-credentials file with profile `openirsa` (0600). Later starts reuse them; a deleted
 * credentials file is written again from the store.
 */
export async function openDataDir(options: DataDirOptions): Promise<DataDir> {
  const dir = resolve(options.dir);
  const existed = await isDirectory(dir);
  await mkdir(dir, { recursive: true, mode: 0o700 });
  // mkdir's mode is masked by the umask: set it exactly.
  if (!existed) await chmod(dir, 0o700);
  const store = openSqliteStore({ path: join(dir, SQLITE_FILE_NAME), clock: options.clock });
  try {
    const { key, created } = await store.transaction(async (tx) => {
      if ((await tx.accounts.get(options.accountId)) === undefined) {
        await tx.accounts.create({ id: options.accountId, createdAt: options.clock.now() });
      }
      const existing = (await tx.accessKeys.listForRoot(options.accountId)).items.find(
        (k) => k.status === 'Active',
      );
      if (existing !== undefined) return { key: existing, created: false };
      const fresh = await tx.accessKeys.create({
        accessKeyId: longTermAccessKeyId(options.ids.bytes(16)),
        accountId: options.accountId,
        secretAccessKey: secretAccessKey(options.ids.bytes(30)),
        createdAt: options.clock.now(),
      });
      return { key: fresh, created: true };
    });
    await ensureSealingKey(store.sealingKeys, options.clock, options.ids);
    const credentialsPath = join(dir, CREDENTIALS_FILE_NAME);
    if (created || !(await exists(credentialsPath))) await writeCredentials(credentialsPath, key);
    return { dir, store, credentialsPath, accessKeyId: key.accessKeyId, created };
  } catch (error) {
    await store.close();
    throw error;
  }
}

/** The AWS shared-credentials file format (AWS SDKs and Tools Reference Guide, "Shared config and credentials files"). */
export function credentialsFileText(key: Pick<AccessKey, 'accessKeyId' | 'secretAccessKey'>): string {
  return `[${CREDENTIALS_PROFILE}]\naws_access_key_id = ${key.accessKeyId}\naws_secret_access_key = ${key.secretAccessKey}\n`;
}

/** A long-term access key id as IAM issues them: `AKIA` and 16 characters of base32. */
export function longTermAccessKeyId(bytes: Buffer): string {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
  if (bytes.length < 16) throw new TypeError('need 16 random bytes');
  let out = 'AKIA';
  for (let i = 0; i < 16; i++) out += alphabet[bytes[i]! & 31];
  return out;
}

async function writeCredentials(path: string, key: AccessKey): Promise<void> {
  await writeFile(path, credentialsFileText(key), { mode: 0o600 });
  // An existing file keeps its mode through writeFile: set it.
  await chmod(path, 0o600);
}

async function isDirectory(path: string): Promise<boolean> {
  try {
    return (await stat(path)).isDirectory();
  } catch {
    return false;
  }
}

async function exists(path: string): Promise<boolean> {
  try {
    await stat(path);
    return true;
  } catch {
    return false;
  }
}
