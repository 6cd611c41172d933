import { generateKeyPairSync, type KeyObject } from 'node:crypto';
import type { Clock } from '../shared/clock.js';
import type { IdGenerator } from '../shared/ids.js';
import { isCertificateHost } from './local-ca.js';
import { buildCertificate, commonNameName, keyIdentifier } from './x509.js';

const DAY = 24 * 3600_000;
/**
 * How long a minted webhook certificate (and its CA) lives. Our decision: one year, so that an install
 * made from `openirsa k8s manifests` does not break silently within a quarter; printing the manifests
 * again mints a new pair (and a new caBundle) to roll it.
 */
export const WEBHOOK_CERTIFICATE_VALIDITY_MS = 365 * DAY;
/** notBefore is set this far in the past, for API servers whose clock is a little behind. */
const BACKDATE_MS = 3600_000;

/** A TLS server certificate, its private key and the CA that signed it, all PEM. */
export interface MintedWebhookCertificate {
  readonly certPem: string;
  readonly keyPem: string;
  readonly caPem: string;
}

/**
 * A certificate for the pod-identity webhook's Service names, signed by a CA made for it alone (the
 * same ECDSA P-256 X.509 writer as the transparent proxy's local CA, `local-ca.ts`). The CA's private
 * key exists only in memory here and is dropped on return: the CA can never sign anything else, and
 * the only secret that leaves is the leaf's key (for the webhook's TLS Secret). The API server checks
 * the subject alternative names only (Go ignores the common name), so every name is a dNSName entry.
 */
export function mintWebhookCertificate(
  dnsNames: readonly string[],
  deps: { readonly clock: Clock; readonly ids: IdGenerator },
): MintedWebhookCertificate {
  if (dnsNames.length === 0) throw new TypeError('the webhook certificate needs at least one DNS name');
  for (const name of dnsNames) {
    if (!isCertificateHost(name)) throw new TypeError(`not a DNS host name: \`${name.slice(0, 300)}\``);
  }
  const now = deps.clock.now();
  const notBefore = now - BACKDATE_MS;
  const notAfter = now + WEBHOOK_CERTIFICATE_VALIDITY_MS;
  const ca = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  // A random suffix tells apart the CAs of two installs in a trust store.
  const caCommonName = `openirsa webhook CA ${deps.ids.bytes(4).toString('hex')}`;
  const caName = commonNameName(caCommonName);
  const caKeyId = keyIdentifier(ca.publicKey);
  const caDer = buildCertificate({
    serial: serialNumber(deps.ids),
    subjectCommonName: caCommonName,
    issuerName: caName,
    notBefore,
    notAfter,
    publicKey: ca.publicKey,
    signingKey: ca.privateKey,
    issuerKeyId: caKeyId,
    kind: 'ca',
  });
  const leaf = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  // INVARIANT: dnsNames is not empty (checked above).
  const commonName = dnsNames[0]!;
  const leafDer = buildCertificate({
    serial: serialNumber(deps.ids),
    subjectCommonName: commonName,
    issuerName: caName,
    notBefore,
    notAfter,
    publicKey: leaf.publicKey,
    signingKey: ca.privateKey,
    issuerKeyId: caKeyId,
    kind: 'server',
    dnsNames,
  });
  return { certPem: toPem(leafDer), keyPem: pkcs8(leaf.privateKey), caPem: toPem(caDer) };
}

function pkcs8(key: KeyObject): string {
  return key.export({ type: 'pkcs8', format: 'pem' }).toString();
}

/** 16 random bytes, high bit cleared and low bit set: positive and well under RFC 5280's 20 octets. */
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
