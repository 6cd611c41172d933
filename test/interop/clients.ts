/**
 * AWS SDK for JavaScript clients of a booted server, as the interop tests make them: the server's
 * endpoint, us-east-1, the given credentials, and one attempt per call (a refused request must fail the
 * test at once, not be retried with backoff).
 */
import { IAMClient } from '@aws-sdk/client-iam';
import { REGION, type Credentials } from './support.js';

/** An IAM client of the server at `server.endpoint`, signing with `credentials`. */
export function iamClient(server: { readonly endpoint: string }, credentials: Credentials): IAMClient {
  return new IAMClient({ endpoint: server.endpoint, region: REGION, credentials, maxAttempts: 1 });
}
