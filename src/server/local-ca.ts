import { createPrivateKey, generateKeyPairSync, X509Certificate, type KeyObject } from 'node:crypto';
import { chmod, mkdir, readFile, rename, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { createSecureContext, type SecureContext } from 'node:tls';
import type { Clock } from '../shared/clock.js';
import type { IdGenerator } from '../shared/ids.js';
import { buildCertificate, commonNameName, keyIdentifier, subjectName } from './x509.js';

/** `<data>/ca/ca.pem` (public: give it to clients) and `<data>/ca/ca-key.pem` (0600). */
export const CA_DIR_NAME = 'ca';
export const CA_CERT_FILE_NAME = 'ca.pem';
export const CA_KEY_FILE_NAME = 'ca-key.pem';

const HOUR = 3600_000;
/** The CA lives as long as the data directory is likely to (ten years). */
export const CA_VALIDITY_MS = 10 * 365 * 24 * HOUR;
/** Leaves are minted in memory on demand, so they can be short-lived: one day. */
export const LEAF_VALIDITY_MS = 24 * HOUR;
/** A cached leaf with less than this left is minted again. */
const LEAF_RENEW_BEFORE_MS = HOUR;
/** notBefore is set this far in the past, for clients whose clock is a little behind. */
const BACKDATE_MS = HOUR;
/** Host names held at once (virtual-hosted S3 makes one per bucket); the oldest goes first. */
export const MAX_CACHED_LEAVES = 1024;

/** A TLS server certificate for one host name, signed by the local CA. */
export interface LeafCertificate {
  readonly host: string;
  readonly certificatePem: string;
  readonly notAfter: number;
  /** Ready for `tls` (an SNICallback answer): the leaf, its key, and the CA certificate. */
  readonly context: SecureContext;
}

export interface LocalCaOptions {
  /** The data directory; the CA lives in its `ca/` subdirectory. */
  readonly dataDir: string;
  readonly clock: Clock;
  readonly ids: IdGenerator;
  /** Leaves kept in memory (default `MAX_CACHED_LEAVES`). */
  readonly maxCachedLeaves?: number;
}

/**
 * The data directory's private certificate authority, for the transparent proxy (https-proxy.ts): an
 * ECDSA P-256 CA created once per data directory, and a leaf per host name minted on demand and kept
 * in memory. The CA signs only leaves (pathLen 0). Everything it holds belongs to this instance.
 */
export class LocalCa {
  readonly certificatePath: string;
  readonly certificatePem: string;
  private readonly key: KeyObject;
  private readonly name: Buffer;
  private readonly keyId: Buffer;
  private readonly notAfter: number;
  private readonly leaves = new Map<string, LeafCertificate>();

  private constructor(
    path: string,
    pem: string,
    key: KeyObject,
    private readonly clock: Clock,
    private readonly ids: IdGenerator,
    private readonly maxLeaves: number,
  ) {
    const cert = new X509Certificate(pem);
    const name = subjectName(cert.raw);
    if (name === undefined) throw new Error(`\`${path}\` is not an X.509 certificate`);
    this.certificatePath = path;
    this.certificatePem = pem;
    this.key = key;
    this.name = name;
    this.keyId = keyIdentifier(cert.publicKey);
    this.notAfter = Date.parse(cert.validTo);
  }

  /**
   * Opens the CA of a data directory, creating it (directory 0700, key 0600) on first use. A key file
   * readable by others, a certificate that does not match its key, is not a CA, or has expired is
   * refused with the reason: the files are never replaced silently.
   */
  static async open(options: LocalCaOptions): Promise<LocalCa> {
    const dir = join(options.dataDir, CA_DIR_NAME);
    const certPath = join(dir, CA_CERT_FILE_NAME);
    const keyPath = join(dir, CA_KEY_FILE_NAME);
    const maxLeaves = Math.max(1, options.maxCachedLeaves ?? MAX_CACHED_LEAVES);
    const pem = await readIfExists(certPath);
    if (pem === undefined) {
      await mkdir(dir, { recursive: true, mode: 0o700 });
      await chmod(dir, 0o700);
      const created = createCa(options.clock, options.ids);
      // The key first, the certificate last: a certificate on disk always has its key beside it.
      await writeAtomically(keyPath, created.keyPem, 0o600);
      await writeAtomically(certPath, created.certificatePem, 0o644);
      return new LocalCa(
        certPath,
        created.certificatePem,
        createPrivateKey(created.keyPem),
        options.clock,
        options.ids,
        maxLeaves,
      );
    }
    const mode = (await stat(keyPath).catch(() => undefined))?.mode;
    if (mode === undefined) throw new Error(`the local CA \`${certPath}\` has no key \`${keyPath}\``);
    if ((mode & 0o077) !== 0) {
      throw new Error(
        `the local CA key \`${keyPath}\` is readable by others (mode ${(mode & 0o777).toString(8)}): expected 600`,
      );
    }
    const key = createPrivateKey(await readFile(keyPath, 'utf8'));
    const cert = new X509Certificate(pem);
    if (!cert.ca) throw new Error(`\`${certPath}\` is not a CA certificate`);
    if (!cert.checkPrivateKey(key)) throw new Error(`\`${keyPath}\` is not the key of \`${certPath}\``);
    if (Date.parse(cert.validTo) < options.clock.now() + LEAF_VALIDITY_MS) {
      throw new Error(
        `the local CA \`${certPath}\` expires ${cert.validTo}: delete \`${dir}\` to create a new one`,
      );
    }
    return new LocalCa(certPath, pem, key, options.clock, options.ids, maxLeaves);
  }

  /** The certificate for `host` (a lower-case DNS name), from the cache or minted now. */
  leaf(host: string): LeafCertificate {
    if (!isCertificateHost(host)) throw new TypeError(`not a DNS host name: \`${host.slice(0, 300)}\``);
    const now = this.clock.now();
    const cached = this.leaves.get(host);
    if (cached !== undefined && cached.notAfter - LEAF_RENEW_BEFORE_MS > now) return cached;
    this.leaves.delete(host);
    const fresh = this.mint(host, now);
    if (this.leaves.size >= this.maxLeaves) {
      const oldest = this.leaves.keys().next();
      if (oldest.done !== true) this.leaves.delete(oldest.value);
    }
    this.leaves.set(host, fresh);
    return fresh;
  }

  private mint(host: string, now: number): LeafCertificate {
    const { publicKey, privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    const notAfter = Math.min(now + LEAF_VALIDITY_MS, this.notAfter);
    const der = buildCertificate({
      serial: serialNumber(this.ids),
      subjectCommonName: host,
      issuerName: this.name,
      notBefore: now - BACKDATE_MS,
      notAfter,
      publicKey,
      signingKey: this.key,
      issuerKeyId: this.keyId,
      kind: 'server',
      dnsNames: [host],
    });
    const certificatePem = toPem(der);
    const keyPem = privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
    const context = createSecureContext({ cert: certificatePem + this.certificatePem, key: keyPem });
    // X.509 times have whole seconds.
    return { host, certificatePem, notAfter: Math.floor(notAfter / 1000) * 1000, context };
  }
}

/** A lower-case DNS name a leaf can carry: labels of letters, digits and hyphens, at most 253 characters. */
export function isCertificateHost(host: string): boolean {
  if (host.length === 0 || host.length > 253) return false;
  return host.split('.').every((label) => /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/.test(label));
}

function createCa(clock: Clock, ids: IdGenerator): { certificatePem: string; keyPem: string } {
  const { publicKey, privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const now = clock.now();
  // A random suffix tells apart the CAs of two data directories in a trust store.
  const commonName = `openirsa local CA ${ids.bytes(4).toString('hex')}`;
  const name = commonNameName(commonName);
  const der = buildCertificate({
    serial: serialNumber(ids),
    subjectCommonName: commonName,
    issuerName: name,
    notBefore: now - BACKDATE_MS,
    notAfter: now + CA_VALIDITY_MS,
    publicKey,
    signingKey: privateKey,
    issuerKeyId: keyIdentifier(publicKey),
    kind: 'ca',
  });
  return {
    certificatePem: toPem(der),
    keyPem: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
  };
}

/** 16 random bytes, high bit cleared: positive and well under RFC 5280's 20 octets. */
function serialNumber(ids: IdGenerator): Buffer {
  const serial = ids.bytes(16);
  // INVARIANT: ids.bytes(16) returns 16 bytes.
  serial[0] = (serial[0]! & 0x7f) | 0x01;
  return serial;
}

function toPem(der: Buffer): string {
  const lines = der.toString('base64').match(/.{1,64}/g) ?? [];
  return `-----BEGIN CERTIFICATE-----\n${lines.join('\n')}\n-----END CERTIFICATE-----\n`;
}

async function readIfExists(path: string): Promise<string | undefined> {
  try {
    return await readFile(path, 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw e;
  }
}

async function writeAtomically(path: string, text: string, mode: number): Promise<void> {
  const tmp = `${path}.${process.pid}.tmp`;
  await writeFile(tmp, text, { mode, flag: 'w' });
  await chmod(tmp, mode);
  await rename(tmp, path);
}
