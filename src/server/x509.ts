import { createHash, sign, type KeyObject } from 'node:crypto';
import {
  bitString,
  boolean,
  explicit,
  implicitPrimitive,
  integer,
  octetString,
  oid,
  readChildren,
  readTlv,
  sequence,
  setOf,
  time,
  utf8String,
} from './der.js';

/** Object identifiers (RFC 5280 §4.1.2.4, §4.2.1; RFC 5758 §3.2 for ecdsa-with-SHA256). */
const OID = {
  commonName: '2.5.4.3',
  ecdsaWithSha256: '1.2.840.10045.4.3.2',
  subjectKeyIdentifier: '2.5.29.14',
  keyUsage: '2.5.29.15',
  subjectAltName: '2.5.29.17',
  basicConstraints: '2.5.29.19',
  authorityKeyIdentifier: '2.5.29.35',
  extKeyUsage: '2.5.29.37',
  serverAuth: '1.3.6.1.5.5.7.3.1',
} as const;

/** What one certificate says. ECDSA P-256 keys, signed with ecdsa-with-SHA256. */
export interface CertificateFields {
  /** Positive, at most 20 bytes (RFC 5280 §4.1.2.2). */
  readonly serial: Buffer;
  readonly subjectCommonName: string;
  /** The issuer's Name, as its certificate encodes its subject (byte-exact, for chain building). */
  readonly issuerName: Buffer;
  readonly notBefore: number;
  readonly notAfter: number;
  readonly publicKey: KeyObject;
  /** The issuer's private key (the subject's own key for a self-signed CA). */
  readonly signingKey: KeyObject;
  /** The issuer's subject key identifier, as authorityKeyIdentifier. */
  readonly issuerKeyId: Buffer;
  /** A CA (basicConstraints CA:true, pathLen 0, keyCertSign) or a TLS server (serverAuth, SAN). */
  readonly kind: 'ca' | 'server';
  /** subjectAltName dNSName entries; required for a server certificate (RFC 6125 §6.4.4). */
  readonly dnsNames?: readonly string[];
}

/** A Name with one RDN: `CN=<commonName>`. */
export function commonNameName(commonName: string): Buffer {
  return sequence(setOf(sequence(oid(OID.commonName), utf8String(commonName))));
}

/**
 * The key identifier of a public key: the leftmost 160 bits of the SHA-256 of the subjectPublicKey
 * BIT STRING's value (RFC 7093 §2, method 1, which RFC 5280 §4.2.1.2 allows).
 */
export function keyIdentifier(publicKey: KeyObject): Buffer {
  const spki = publicKey.export({ type: 'spki', format: 'der' });
  const outer = readTlv(spki);
  const parts = outer === undefined ? undefined : readChildren(spki, outer);
  const bits = parts?.[1];
  if (bits === undefined || bits.tag !== 0x03) throw new TypeError('not a SubjectPublicKeyInfo');
  // Skip the unused-bits byte.
  return createHash('sha256')
    .update(spki.subarray(bits.start + 1, bits.end))
    .digest()
    .subarray(0, 20);
}

/** The DER of an X.509 v3 certificate (RFC 5280 §4.1) with the fields given. */
export function buildCertificate(fields: CertificateFields): Buffer {
  if (fields.serial.length === 0 || fields.serial.length > 20) throw new TypeError('serial is 1-20 bytes');
  if (fields.notAfter <= fields.notBefore) throw new TypeError('notAfter must be after notBefore');
  if (fields.kind === 'server' && (fields.dnsNames ?? []).length === 0) {
    throw new TypeError('a server certificate needs at least one DNS name');
  }
  const algorithm = sequence(oid(OID.ecdsaWithSha256));
  const tbs = sequence(
    explicit(0, integer(2)), // v3
    integer(fields.serial),
    algorithm,
    fields.issuerName,
    sequence(time(fields.notBefore), time(fields.notAfter)),
    commonNameName(fields.subjectCommonName),
    fields.publicKey.export({ type: 'spki', format: 'der' }),
    explicit(3, sequence(...extensions(fields))),
  );
  // ECDSA signatures in X.509 are the DER Ecdsa-Sig-Value, node's default dsaEncoding (RFC 5758 §3.2).
  const signature = sign('sha256', tbs, fields.signingKey);
  return sequence(tbs, algorithm, bitString(signature));
}

function extensions(fields: CertificateFields): Buffer[] {
  const ext = (id: string, critical: boolean, value: Buffer) =>
    sequence(oid(id), ...(critical ? [boolean(true)] : []), octetString(value));
  const out = [
    // RFC 5280 §4.2.1.9: critical in CA certificates; pathLen 0, this CA signs only leaves.
    ext(OID.basicConstraints, true, fields.kind === 'ca' ? sequence(boolean(true), integer(0)) : sequence()),
    // RFC 5280 §4.2.1.3, bit 0 digitalSignature, bit 5 keyCertSign, bit 6 cRLSign; DER drops trailing
    // zero bits: 0x86 with 1 unused bit, or 0x80 with 7.
    ext(
      OID.keyUsage,
      true,
      fields.kind === 'ca' ? bitString(Buffer.from([0x86]), 1) : bitString(Buffer.from([0x80]), 7),
    ),
    ext(OID.subjectKeyIdentifier, false, octetString(keyIdentifier(fields.publicKey))),
    ext(OID.authorityKeyIdentifier, false, sequence(implicitPrimitive(0, fields.issuerKeyId))),
  ];
  if (fields.kind === 'server') {
    out.push(ext(OID.extKeyUsage, false, sequence(oid(OID.serverAuth))));
    // GeneralName dNSName is [2] IMPLICIT IA5String (RFC 5280 §4.2.1.6).
    const names = (fields.dnsNames ?? []).map((n) => {
      if (!/^[\x21-\x7e]+$/.test(n)) throw new TypeError('a DNS name is printable ASCII');
      return implicitPrimitive(2, Buffer.from(n, 'ascii'));
    });
    out.push(ext(OID.subjectAltName, false, sequence(...names)));
  }
  return out;
}

/** The subject Name of a certificate, byte for byte, or `undefined` if the DER is not a certificate. */
export function subjectName(certificate: Buffer): Buffer | undefined {
  const cert = readTlv(certificate);
  const tbs = cert === undefined ? undefined : readChildren(certificate, cert)?.[0];
  const parts = tbs === undefined ? undefined : readChildren(certificate, tbs);
  // version [0], serial, signature, issuer, validity, subject
  const subject = parts?.[0]?.tag === 0xa0 ? parts[5] : undefined;
  if (subject === undefined || subject.tag !== 0x30) return undefined;
  return certificate.subarray(subject.offset, subject.end);
}
