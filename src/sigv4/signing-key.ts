import { createHmac } from 'node:crypto';
import { SCOPE_TERMINATOR } from './types.js';

/**
 * The SigV4 signing key (IAM User Guide, "Create a signed AWS API request", step 4):
 *
 * ```
 * kDate    = HMAC("AWS4" + SecretAccessKey, Date)
 * kRegion  = HMAC(kDate, Region)
 * kService = HMAC(kRegion, Service)
 * kSigning = HMAC(kService, "aws4_request")
 * ```
 *
 * The key is as secret as the secret key it comes from: never log it.
 */
export function deriveSigningKey(
  secretAccessKey: string,
  date: string,
  region: string,
  service: string,
): Buffer {
  const kDate = hmac(`AWS4${secretAccessKey}`, date);
  const kRegion = hmac(kDate, region);
  const kService = hmac(kRegion, service);
  return hmac(kService, SCOPE_TERMINATOR);
}

function hmac(key: string | Buffer, data: string): Buffer {
  return createHmac('sha256', key).update(data, 'utf8').digest();
}
