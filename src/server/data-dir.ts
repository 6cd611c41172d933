import { chmod, mkdir, stat, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { KeyRing } from '../identity/key-ring.js';
import { loadSigningKey } from '../identity/load-signing-key.js';
import { generateSigningKey, type SigningKey } from '../identity/signing-key.js';
import { toSigningKeyRecord } from '../identity/signing-key-record.js';
import type { SigningAlgorithm } from '../identity/jws-algorithms.js';
import type { Clock } from '../shared/clock.js';
import type { IdGenerator } from '../shared/ids.js';
import type { AccessKey } from '../store/access-keys.js';
import { openSqliteStore, SQLITE_FILE_NAME } from '../store/sqlite/sqlite-store.js';
import type { OidcProvider } from '../store/oidc-providers.js';
import type { Store, StoreScope } from '../store/types.js';
import { oidcProviderArn } from '../sts/oidc-provider-arn.js';
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
  /**
   * The built-in issuer's URL, when known before the server listens (`--issuer`, or a fixed port):
   * registered as an OIDC provider of the account unless one exists. Otherwise the server registers
   * it once it knows its address (issuer-routes.ts).
   */
  readonly issuerUrl?: string;
  /** The algorithm of a signing key this start creates (`up --signing-algorithm`); RS256 by default. */
  readonly signingAlgorithm?: IssuerSigningAlgorithm;
  /**
   * The store's `otherConnectionsCheckMs` (store/sqlite/database.ts): 0 when other processes serve the
   * same store (`up --workers`), so that every cached read sees their commits.
   */
  readonly otherConnectionsCheckMs?: number;
}

/** The algorithms `openirsa up --signing-algorithm` offers for new signing keys. */
export type IssuerSigningAlgorithm = Extract<SigningAlgorithm, 'RS256' | 'ES256'>;
export const ISSUER_SIGNING_ALGORITHMS: readonly IssuerSigningAlgorithm[] = ['RS256', 'ES256'];

export interface DataDir {
  readonly dir: string;
  readonly store: Store;
  readonly credentialsPath: string;
  /** The account root's access key id (its secret is in the credentials file only). */
  readonly accessKeyId: string;
  /** Whether this start created the account and its root key. */
  readonly created: boolean;
  /** The built-in issuer's signing keys (created on first start). */
  readonly keyRing: KeyRing;
}

/** The client id (audience) the built-in issuer's provider accepts: the one IRSA tokens carry. */
export const BUILT_IN_CLIENT_ID = 'sts.amazonaws.com';

/**
 * The longest token the built-in issuer signs: 24 hours, EKS's maximum (irsa-wire.md §1.5); longer
 * requests are shortened, as kube-apiserver does with `--service-account-max-token-expiration`.
 */
export const MAX_TOKEN_LIFETIME_SECONDS = 24 * 3600;

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
  const store = openSqliteStore({
    path: join(dir, SQLITE_FILE_NAME),
    clock: options.clock,
    ...(options.otherConnectionsCheckMs !== undefined
      ? { otherConnectionsCheckMs: options.otherConnectionsCheckMs }
      : {}),
  });
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
    const keyRing = await loadIssuerKeyRing(store, options.clock, options.signingAlgorithm);
    if (options.issuerUrl !== undefined) {
      await registerBuiltInIssuer(store, options.accountId, options.issuerUrl, options.clock);
    }
    const credentialsPath = join(dir, CREDENTIALS_FILE_NAME);
    if (created || !(await exists(credentialsPath))) await writeCredentials(credentialsPath, key);
    return { dir, store, credentialsPath, accessKeyId: key.accessKeyId, created, keyRing };
  } catch (error) {
    await store.close();
    throw error;
  }
}

/**
 * The built-in issuer's key ring from the store, creating its first key when there is none (RS256 by
 * default: the algorithm kube-apiserver signs with for an RSA key, irsa-wire.md §1.1). Retired keys
 * whose tokens have all expired are pruned: dropped from the ring and deleted from the store. A stored
 * key that does not load is a broken data directory: this throws with the reason and never replaces the
 * key silently.
 */
export async function loadIssuerKeyRing(
  store: StoreScope,
  clock: Clock,
  alg: IssuerSigningAlgorithm = 'RS256',
): Promise<KeyRing> {
  let records = await store.signingKeys.list();
  if (records.length === 0) {
    const fresh = await generateSigningKey({ clock, alg });
    await store.signingKeys.create(toSigningKeyRecord(fresh));
    records = await store.signingKeys.list();
  }
  const keys: SigningKey[] = [];
  for (const record of records) {
    const loaded = loadSigningKey(record);
    if (!loaded.ok) throw new Error(`signing key \`${record.kid}\` does not load: ${loaded.message}`);
    keys.push(loaded.key);
  }
  const ring = KeyRing.fromKeys(keys, { clock, maxTokenLifetimeSeconds: MAX_TOKEN_LIFETIME_SECONDS });
  if (!ring.ok) throw new Error(`the issuer's signing keys do not form a key ring: ${ring.message}`);
  await deletePruned(store, ring.ring.prune());
  return ring.ring;
}

/** Deletes pruned keys from the store; one already gone (another server pruned it) is fine. */
export async function deletePruned(store: StoreScope, pruned: readonly SigningKey[]): Promise<void> {
  for (const key of pruned) {
    if ((await store.signingKeys.get(key.kid)) !== undefined) await store.signingKeys.delete(key.kid);
  }
}

/**
 * Registers the built-in issuer as an IAM OIDC provider of the account (client id
 * `sts.amazonaws.com`), unless a provider for its URL exists: an existing one is left as the user
 * configured it. Returns the provider.
 */
export async function registerBuiltInIssuer(
  store: StoreScope,
  accountId: string,
  issuerUrl: string,
  clock: Clock,
): Promise<OidcProvider> {
  const arn = oidcProviderArn('aws', accountId, issuerUrl);
  return store.transaction(async (tx) => {
    const existing = await tx.oidcProviders.get(accountId, arn);
    if (existing !== undefined) return existing;
    return tx.oidcProviders.create({
      accountId,
      arn,
      url: issuerUrl,
      clientIds: [BUILT_IN_CLIENT_ID],
      thumbprints: [],
      createdAt: clock.now(),
    });
  });
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
