import { join } from 'node:path';
import { EXIT_FINDINGS, UsageError, type CommandIo } from './io.js';
import { DEFAULT_ENDPOINT, readCredentials, signRequest, type Credentials } from './token.js';

/** The server an admin command talks to, and the root credentials of its data directory. */
export interface AdminTarget {
  readonly endpoint: string;
  readonly credentials: Credentials;
}

/** `--endpoint` and `--data` as given (either may be absent: the environment, then defaults, decide). */
export interface AdminFlags {
  readonly endpoint?: string | undefined;
  readonly data?: string | undefined;
}

/**
 * `--endpoint` / `$OPENIRSA_ENDPOINT` / http://127.0.0.1:4566 and `--data` / `$OPENIRSA_DATA` /
 * ./.openirsa, as `openirsa token` reads them; the root key comes from `<data>/credentials`.
 */
export async function resolveAdminTarget(
  values: AdminFlags,
  env: Readonly<Record<string, string | undefined>>,
  io: CommandIo,
): Promise<AdminTarget> {
  const endpoint = (values.endpoint ?? env.OPENIRSA_ENDPOINT ?? DEFAULT_ENDPOINT).replace(/\/+$/, '');
  if (!URL.canParse(endpoint)) {
    throw new UsageError(`\`--endpoint\` expects a URL such as http://127.0.0.1:4566, got \`${endpoint}\``);
  }
  const dataDir = values.data ?? env.OPENIRSA_DATA ?? '.openirsa';
  const credentials = readCredentials(await io.readFile(join(dataDir, 'credentials')));
  if (credentials === undefined) {
    throw new UsageError(`no \`[openirsa]\` credentials in \`${join(dataDir, 'credentials')}\``);
  }
  return { endpoint, credentials };
}

export interface AdminReply {
  readonly status: number;
  /** Whether the body was a JSON object. */
  readonly isObject: boolean;
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
    isObject,
    body: isObject ? (parsed as Record<string, unknown>) : {},
    text: text.slice(0, 200),
  };
}

/** What the server said was wrong: its `message`, its `error`, or the start of its body. */
export function replyReason(reply: AdminReply): string {
  const { message, error } = reply.body;
  return typeof message === 'string' ? message : typeof error === 'string' ? error : reply.text;
}

export interface AdminDeps {
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly fetch: typeof fetch;
}

export type PostAdminReply =
  | { readonly ok: true; readonly status: number; readonly json: Record<string, unknown> }
  | { readonly ok: false; readonly exitCode: number };

/**
 * POSTs a JSON body to an admin route as the root user (`resolveAdminTarget`, `adminRequest`). An
 * unreachable server or a reply that is not a JSON object is printed on stderr and ends the command
 * with 1.
 */
export async function postAdmin(
  route: string,
  body: string,
  flags: AdminFlags,
  io: CommandIo,
  deps: AdminDeps,
): Promise<PostAdminReply> {
  const target = await resolveAdminTarget(flags, deps.env, io);
  let reply: AdminReply;
  try {
    reply = await adminRequest(target, 'POST', route, body, { fetch: deps.fetch, now: io.clock.now() });
  } catch (e) {
    if (!(e instanceof UnreachableError)) throw e;
    io.stderr(`openirsa: ${e.message}\n`);
    return { ok: false, exitCode: EXIT_FINDINGS };
  }
  if (!reply.isObject) {
    io.stderr(`openirsa: the server answered HTTP ${reply.status}: ${reply.text}\n`);
    return { ok: false, exitCode: EXIT_FINDINGS };
  }
  return { ok: true, status: reply.status, json: { ...reply.body } };
}

/** The `message` (else `error`) of an admin route's refusal. */
export function refusalOf(json: Readonly<Record<string, unknown>>): string {
  if (typeof json.message === 'string') return json.message;
  if (typeof json.error === 'string') return json.error;
  return JSON.stringify(json).slice(0, 200);
}
