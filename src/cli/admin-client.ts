import { join } from 'node:path';
import type { CommandIo } from './io.js';
import { UsageError } from './io.js';
import { DEFAULT_ENDPOINT, readCredentials, signRequest, type Credentials } from './token.js';

/** The server an admin command talks to, and the root credentials of its data directory. */
export interface AdminTarget {
  readonly endpoint: string;
  readonly credentials: Credentials;
}

/** `--endpoint` / `$OPENIRSA_ENDPOINT` and `--data` / `$OPENIRSA_DATA`, as `openirsa token` reads them. */
export async function resolveAdminTarget(
  values: { readonly endpoint?: string | undefined; readonly data?: string | undefined },
  env: Readonly<Record<string, string | undefined>>,
  io: CommandIo,
): Promise<AdminTarget> {
  const endpoint = (values.endpoint ?? env.OPENIRSA_ENDPOINT ?? DEFAULT_ENDPOINT).replace(/\/+$/, '');
  const dataDir = values.data ?? env.OPENIRSA_DATA ?? '.openirsa';
  const credentials = readCredentials(await io.readFile(join(dataDir, 'credentials')));
  if (credentials === undefined) {
    throw new UsageError(`no \`[openirsa]\` credentials in \`${join(dataDir, 'credentials')}\``);
  }
  return { endpoint, credentials };
}

export interface AdminReply {
  readonly status: number;
  /** The JSON body, or `{}` when it is not a JSON object. */
  readonly body: Readonly<Record<string, unknown>>;
  /** The first characters of the body, for messages. */
  readonly text: string;
}

/** Thrown when the server cannot be reached at all. */
export class UnreachableError extends Error {
  override readonly name = 'UnreachableError';
}

/** One SigV4-signed request to an admin route (`/_openirsa/...`) with the root credentials. */
export async function adminRequest(
  target: AdminTarget,
  method: 'GET' | 'POST',
  path: string,
  body: string,
  deps: { readonly fetch: typeof fetch; readonly now: number },
): Promise<AdminReply> {
  const url = new URL(`${target.endpoint}${path}`);
  const headers = signRequest({
    method,
    host: url.host,
    path: url.pathname,
    body,
    contentType: 'application/json',
    credentials: target.credentials,
    now: deps.now,
  });
  // fetch sets Host from the URL: the value signed.
  const sent = Object.fromEntries(Object.entries(headers).filter(([name]) => name !== 'host'));
  let response: Response;
  try {
    response = await deps.fetch(url, { method, headers: sent, ...(method === 'POST' ? { body } : {}) });
  } catch (e) {
    throw new UnreachableError(
      `cannot reach \`${target.endpoint}\`: ${e instanceof Error ? e.message : String(e)}`,
    );
  }
  const text = await response.text();
  let parsed: unknown;
  // A body that is not JSON is reported by its first characters.
  try {
    parsed = JSON.parse(text);
  } catch {
    parsed = undefined;
  }
  const isObject = parsed !== null && typeof parsed === 'object' && !Array.isArray(parsed);
  return {
    status: response.status,
    body: isObject ? (parsed as Record<string, unknown>) : {},
    text: text.slice(0, 200),
  };
}

/** What the server said was wrong: its `message`, its `error`, or the start of its body. */
export function replyReason(reply: AdminReply): string {
  const { message, error } = reply.body;
  return typeof message === 'string' ? message : typeof error === 'string' ? error : reply.text;
}
