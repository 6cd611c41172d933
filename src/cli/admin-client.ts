import { join } from 'node:path';
import { EXIT_FINDINGS, UsageError, type CommandIo } from './io.js';
import { DEFAULT_ENDPOINT, readCredentials, signRequest } from './token.js';

/** Where the server is and where its admin credentials are: `--endpoint`, `--data`, or the environment. */
export interface AdminTarget {
  readonly endpoint?: string;
  readonly data?: string;
}

export interface AdminDeps {
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly fetch: typeof fetch;
}

export type AdminReply =
  | { readonly ok: true; readonly status: number; readonly json: Record<string, unknown> }
  | { readonly ok: false; readonly exitCode: number };

/**
 * POSTs a JSON body to an admin route, SigV4-signed with the root key of `<data>/credentials`, exactly
 * as `openirsa token` does (endpoint from `--endpoint`, else $OPENIRSA_ENDPOINT, else
 * http://127.0.0.1:4566; data from `--data`, else $OPENIRSA_DATA, else ./.openirsa). An unreachable
 * server or a reply that is not a JSON object is printed on stderr and ends the command with 1.
 */
export async function postAdmin(
  route: string,
  body: string,
  target: AdminTarget,
  io: CommandIo,
  deps: AdminDeps,
): Promise<AdminReply> {
  const endpoint = (target.endpoint ?? deps.env.OPENIRSA_ENDPOINT ?? DEFAULT_ENDPOINT).replace(/\/+$/, '');
  const dataDir = target.data ?? deps.env.OPENIRSA_DATA ?? '.openirsa';
  const path = join(dataDir, 'credentials');
  const credentials = readCredentials(await io.readFile(path));
  if (credentials === undefined) throw new UsageError(`no \`[openirsa]\` credentials in \`${path}\``);
  let url: URL;
  try {
    url = new URL(`${endpoint}${route}`);
  } catch {
    throw new UsageError(`\`--endpoint\` expects a URL such as http://127.0.0.1:4566, got \`${endpoint}\``);
  }
  const headers = signRequest({
    method: 'POST',
    host: url.host,
    path: url.pathname,
    body,
    contentType: 'application/json',
    credentials,
    now: io.clock.now(),
  });
  let response: Response;
  try {
    // fetch sets Host from the URL: the value signed.
    const sent = Object.fromEntries(Object.entries(headers).filter(([name]) => name !== 'host'));
    response = await deps.fetch(url, { method: 'POST', headers: sent, body });
  } catch (e) {
    io.stderr(`openirsa: cannot reach \`${endpoint}\`: ${e instanceof Error ? e.message : String(e)}\n`);
    return { ok: false, exitCode: EXIT_FINDINGS };
  }
  const text = await response.text();
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    json = undefined;
  }
  if (json === null || typeof json !== 'object' || Array.isArray(json)) {
    io.stderr(`openirsa: the server answered HTTP ${response.status}: ${text.slice(0, 200)}\n`);
    return { ok: false, exitCode: EXIT_FINDINGS };
  }
  return { ok: true, status: response.status, json: json as Record<string, unknown> };
}

/** The `message` (else `error`) of an admin route's refusal. */
export function refusalOf(json: Record<string, unknown>): string {
  if (typeof json.message === 'string') return json.message;
  if (typeof json.error === 'string') return json.error;
  return JSON.stringify(json).slice(0, 200);
}
