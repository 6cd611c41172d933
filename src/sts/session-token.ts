import { randomBytes } from 'node:crypto';
import {
  MAX_SEALED_CHARS,
  openSealed,
  SEAL_IV_BYTES,
  sealBytes,
  sealedKeyId,
  type OpenFailure,
  type SealingKey,
} from '../shared/sealed-box.js';

/**
 * Stateless temporary credentials (DESIGN.md, "Session credentials"): the session token is the
 * session's whole context, sealed with AES-256-GCM under a server key whose id travels in the clear.
 * Any server holding the key opens it; no session table is shared. The access key id is bound into
 * the sealed context, so a token works only with the key id it was issued with.
 *
 * Wire form, sealing and opening: shared/sealed-box.ts (the version, key id and iv in the clear, as
 * associated data). AWS's own tokens are opaque and of no fixed size ("make no assumptions about the
 * maximum size", STS API reference); ours stay under a few KB.
 */

/**
 * What a role session is (AssumeRole, AssumeRoleWithWebIdentity): everything authorization needs, so
 * requests never look it up.
 */
export interface SessionContext {
  /** Absent in role sessions sealed before GetSessionToken existed: a role session all the same. */
  readonly kind?: 'assumedRole';
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
  readonly account: string;
  readonly partition: string;
  /** `arn:aws:iam::A:role/PATH/NAME` */
  readonly roleArn: string;
  /** `AROA...` */
  readonly roleId: string;
  readonly roleName: string;
  readonly sessionName: string;
  /** Milliseconds since the epoch. */
  readonly issuedAt: number;
  readonly expiresAt: number;
  /** The inline session policy, as JSON text. */
  readonly sessionPolicy?: string;
  /** ARNs of managed session policies (`PolicyArns`). */
  readonly policyArns?: readonly string[];
  /** Session tags (keys as given; AWS compares them without regard to case). */
  readonly tags?: Readonly<Record<string, string>>;
  readonly transitiveTagKeys?: readonly string[];
  readonly sourceIdentity?: string;
  /** For AssumeRoleWithWebIdentity sessions: the provider and the claims that stay available as keys. */
  readonly webIdentity?: {
    readonly provider: string;
    readonly sub: string;
    readonly aud: string;
    readonly amr?: readonly string[];
  };
  /** Whether this session came from another session (role chaining caps it at one hour). */
  readonly chained?: boolean;
}

/**
 * A GetSessionToken session: the IAM user's (or the account root's) own permissions, for a while
 * (IAM User Guide, "Permissions for GetSessionToken": "the temporary security credentials have the
 * same permissions as the IAM user").
 */
export interface IdentitySessionContext {
  readonly kind: 'user' | 'root';
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
  readonly account: string;
  readonly partition: string;
  /** The user the session acts as; absent for the account root. */
  readonly user?: { readonly name: string; readonly id: string; readonly arn: string };
  /** Milliseconds since the epoch. */
  readonly issuedAt: number;
  readonly expiresAt: number;
}

/** Whatever a session token seals. */
export type SealedSession = SessionContext | IdentitySessionContext;

/** Whether a sealed session is a role session (the only kind before GetSessionToken). */
export function isRoleSession(context: SealedSession): context is SessionContext {
  return context.kind === undefined || context.kind === 'assumedRole';
}

export type { OpenFailure, SealingKey };

/** Larger tokens are refused before any decryption work. */
export { MAX_SEALED_CHARS as MAX_TOKEN_CHARS };

/** The key id a token names, without opening it (to pick the key), or `undefined` if malformed. */
export { sealedKeyId as sealingKeyId };

/** Seals a session context under `key`. */
export function sealSession(
  context: SealedSession,
  key: SealingKey,
  iv: Buffer = randomBytes(SEAL_IV_BYTES),
): string {
  return sealBytes(Buffer.from(JSON.stringify(context), 'utf8'), key, iv);
}

/**
 * Opens a token with whichever key it names (`keyFor` returns undefined for an unknown or retired
 * key). Expiry is the caller's check (it has the clock); everything else is checked here.
 */
export function openSession(
  token: string,
  keyFor: (id: string) => SealingKey | undefined,
): { ok: true; context: SealedSession } | { ok: false; failure: OpenFailure } {
  const opened = openSealed(token, keyFor);
  if (!opened.ok) return opened;
  let context: unknown;
  try {
    context = JSON.parse(opened.plain);
  } catch {
    return TAMPERED;
  }
  if (!isContext(context)) return TAMPERED;
  return { ok: true, context };
}

const TAMPERED = {
  ok: false,
  failure: { code: 'tampered', message: 'the session token does not verify' },
} as const;

function isContext(v: unknown): v is SealedSession {
  if (v === null || typeof v !== 'object') return false;
  const c = v as Record<string, unknown>;
  const common =
    typeof c.accessKeyId === 'string' &&
    typeof c.secretAccessKey === 'string' &&
    typeof c.account === 'string' &&
    typeof c.issuedAt === 'number' &&
    typeof c.expiresAt === 'number';
  if (!common) return false;
  if (c.kind === 'root') return c.user === undefined;
  if (c.kind === 'user') return isUser(c.user);
  if (c.kind !== undefined && c.kind !== 'assumedRole') return false;
  return (
    typeof c.roleArn === 'string' &&
    typeof c.roleName === 'string' &&
    typeof c.sessionName === 'string' &&
    (c.tags === undefined || isStringRecord(c.tags)) &&
    (c.transitiveTagKeys === undefined || isStringArray(c.transitiveTagKeys)) &&
    (c.sourceIdentity === undefined || typeof c.sourceIdentity === 'string')
  );
}

function isUser(v: unknown): boolean {
  if (v === null || typeof v !== 'object') return false;
  const u = v as Record<string, unknown>;
  return typeof u.name === 'string' && typeof u.id === 'string' && typeof u.arn === 'string';
}

function isStringRecord(v: unknown): boolean {
  return (
    v !== null &&
    typeof v === 'object' &&
    !Array.isArray(v) &&
    Object.values(v as Record<string, unknown>).every((x) => typeof x === 'string')
  );
}

function isStringArray(v: unknown): boolean {
  return Array.isArray(v) && v.every((x) => typeof x === 'string');
}

/** A temporary access key id as STS issues them: `ASIA` and 16 characters of base32. */
export function temporaryAccessKeyId(bytes: Buffer): string {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
  if (bytes.length < 16) throw new TypeError('need 16 random bytes');
  let out = 'ASIA';
  for (let i = 0; i < 16; i++) out += alphabet[bytes[i]! & 31];
  return out;
}

/** A secret access key: 40 characters of base64, as AWS's look. */
export function secretAccessKey(bytes: Buffer): string {
  if (bytes.length < 30) throw new TypeError('need 30 random bytes');
  return bytes.subarray(0, 30).toString('base64');
}
