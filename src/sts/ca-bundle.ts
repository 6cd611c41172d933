import { X509Certificate } from 'node:crypto';

/** Larger than any CA bundle worth reading (the whole Mozilla store is about 220 KiB). */
export const MAX_CA_BUNDLE_BYTES = 1024 * 1024;

export type CaBundleResult =
  | { readonly ok: true; readonly certificates: readonly string[] }
  | { readonly ok: false; readonly message: string };

const PEM_CERTIFICATE = /-----BEGIN CERTIFICATE-----[A-Za-z0-9+/=\s]+?-----END CERTIFICATE-----/g;

/**
 * Reads a PEM bundle of CA certificates (`--oidc-ca-file`) that openirsa trusts, besides Node's root
 * store, for external issuers' HTTPS. Every `CERTIFICATE` block must parse as X.509, and there must be at
 * least one: a file that trusts nothing is a mistake to report at start, not at the first token.
 */
export function parseCaBundle(pem: string): CaBundleResult {
  if (Buffer.byteLength(pem) > MAX_CA_BUNDLE_BYTES) {
    return { ok: false, message: `the CA bundle is larger than ${MAX_CA_BUNDLE_BYTES} bytes` };
  }
  const blocks = pem.match(PEM_CERTIFICATE) ?? [];
  if (blocks.length === 0) {
    return { ok: false, message: 'the CA bundle holds no `-----BEGIN CERTIFICATE-----` block' };
  }
  for (const [i, block] of blocks.entries()) {
    try {
      new X509Certificate(block);
    } catch {
      return { ok: false, message: `certificate ${i + 1} of the CA bundle is not a valid X.509 certificate` };
    }
  }
  return { ok: true, certificates: blocks };
}
