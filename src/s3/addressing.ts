import { INVALID_URI_MESSAGE, KEY_TOO_LONG_MESSAGE, s3Error } from './errors.js';

/** Which bucket and key a request names, and how it named them. */
export interface S3Target {
  readonly bucket?: string;
  readonly key?: string;
  readonly style: 'path' | 'virtual';
}

/** S3's key limit: 1024 bytes of UTF-8 (S3 User Guide, "Naming Amazon S3 objects"). */
export const MAX_KEY_BYTES = 1024;

/**
 * The bucket named by the `Host` header, for virtual-hosted-style requests: `<bucket>.s3.<anything>`
 * (`b.s3.amazonaws.com`, `b.s3.us-east-1.amazonaws.com`) or `<bucket>.localhost` (what the AWS SDK for
 * JavaScript sends to a `http://localhost:PORT` endpoint, docs/raw-requests.md key fact 6). Any other host
 * — an IP address, `localhost`, `s3.<anything>` — is path-style.
 */
export function hostBucket(host: string | undefined): string | undefined {
  if (host === undefined) return undefined;
  let name = host.toLowerCase();
  // Strip a port, unless the host is a bracketed IPv6 address without one.
  const colon = name.lastIndexOf(':');
  if (colon >= 0 && !name.endsWith(']')) name = name.slice(0, colon);
  if (name.startsWith('[') || name.startsWith('s3.') || name === 's3') return undefined;
  const s3 = name.indexOf('.s3.');
  if (s3 > 0) return name.slice(0, s3);
  if (name.endsWith('.localhost') && name.length > '.localhost'.length) {
    return name.slice(0, -'.localhost'.length);
  }
  return undefined;
}

/**
 * The bucket and key of a request from its `Host` and its path as received (percent-encoded, no query).
 * Path-style: `/bucket/key...`; virtual-hosted-style: the host names the bucket and the whole path after
 * the first `/` is the key. Keys are percent-decoded once; an undecodable path is `InvalidURI`, a key over
 * 1024 bytes `KeyTooLongError`.
 */
export function resolveTarget(host: string | undefined, rawPath: string): S3Target {
  const path = decodePath(rawPath);
  const virtual = hostBucket(host);
  if (virtual !== undefined) {
    const key = path.startsWith('/') ? path.slice(1) : path;
    return checked({ bucket: virtual, ...(key !== '' ? { key } : {}), style: 'virtual' });
  }
  const rest = path.startsWith('/') ? path.slice(1) : path;
  if (rest === '') return { style: 'path' };
  const slash = rest.indexOf('/');
  if (slash < 0) return { bucket: rest, style: 'path' };
  const bucket = rest.slice(0, slash);
  const key = rest.slice(slash + 1);
  return checked({ bucket, ...(key !== '' ? { key } : {}), style: 'path' });
}

function checked(target: S3Target): S3Target {
  if (target.key !== undefined && Buffer.byteLength(target.key, 'utf8') > MAX_KEY_BYTES) {
    throw s3Error('KeyTooLongError', KEY_TOO_LONG_MESSAGE, {
      MaxSizeAllowed: String(MAX_KEY_BYTES),
      Size: String(Buffer.byteLength(target.key, 'utf8')),
    });
  }
  return target;
}

function decodePath(rawPath: string): string {
  try {
    return decodeURIComponent(rawPath);
  } catch {
    throw s3Error('InvalidURI', INVALID_URI_MESSAGE);
  }
}
