import type { IncomingMessage } from 'node:http';
import type { Caller } from '../iam/caller.js';
import type { WireResponse } from '../protocol/query-response.js';
import { AwsError } from '../shared/aws-error.js';
import { authenticate, type AuthenticateDeps } from './authenticate.js';
import { readBody } from './body.js';

/** The account root, the only caller of the admin routes. */
export type RootCaller = Extract<Caller, { kind: 'root' }>;

export type RootRequest =
  | { readonly ok: true; readonly caller: RootCaller; readonly body: string }
  | { readonly ok: false; readonly response: WireResponse };

/** A JSON answer of an admin route, with the request id. */
export function adminAnswer(
  requestId: string,
  status: number,
  body: unknown,
  extra: Readonly<Record<string, string>> = {},
): WireResponse {
  return {
    status,
    headers: { 'Content-Type': 'application/json', 'x-amzn-RequestId': requestId, ...extra },
    body: JSON.stringify(body),
  };
}

/**
 * Reads a `POST` admin request of at most `maxBytes` and checks that it is SigV4-signed by the
 * account root, as the token route does (issuer-routes.ts): any other method is 405, a larger body
 * 413, a bad signature the SigV4 error, and any other caller 403. Our own wording throughout: no AWS
 * API has these routes.
 */
export async function readRootRequest(
  auth: AuthenticateDeps,
  req: IncomingMessage,
  input: {
    readonly path: string;
    readonly query: string;
    readonly requestId: string;
    readonly maxBytes: number;
  },
  what: string,
): Promise<RootRequest> {
  const method = req.method ?? 'GET';
  const refuse = (status: number, body: unknown, extra?: Record<string, string>) =>
    ({ ok: false, response: adminAnswer(input.requestId, status, body, extra) }) as const;
  if (method !== 'POST') return refuse(405, { error: 'use POST' }, { Allow: 'POST' });
  const body = await readBody(req, input.maxBytes);
  if (!body.ok) return refuse(413, { error: `the request body is larger than ${input.maxBytes} bytes` });
  let caller: Caller;
  try {
    caller = await authenticate(
      { method, path: input.path, query: input.query, headers: req.headersDistinct, body: body.body },
      auth,
    );
  } catch (error) {
    if (error instanceof AwsError) return refuse(error.status, { error: error.code, message: error.message });
    throw error;
  }
  if (caller.kind !== 'root') {
    return refuse(403, {
      error: 'AccessDenied',
      message: `only the account root may ${what}, not \`${caller.kind === 'anonymous' ? 'anonymous' : caller.arn}\``,
    });
  }
  return { ok: true, caller, body: body.body.toString('utf8') };
}
