import { hash } from 'node:crypto';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { formatAmzDateTime } from '../sigv4/amz-date.js';
import { buildCanonicalRequest } from '../sigv4/canonical-request.js';
import { pathRulesFor } from '../sigv4/canonical-uri.js';
import { buildStringToSign, computeSignature } from '../sigv4/signature.js';
import { deriveSigningKey } from '../sigv4/signing-key.js';
import { ALGORITHM, SCOPE_TERMINATOR } from '../sigv4/types.js';
import { EXIT_FINDINGS, UsageError, type CommandIo } from './io.js';

export const tokenHelp = `usage: openirsa token --service-account NAMESPACE/NAME [--audience A] [--duration S] [--pod NAME]
                     [--endpoint URL] [--data DIR]

Prints a service-account token of openirsa's built-in issuer, as the kubelet projects it into a pod.

  --service-account NS/NAME   the service account (required)
  --audience A                the token's audience (default sts.amazonaws.com)
  --duration S                lifetime in seconds (default 3600, at least 600)
  --pod NAME                  bind the token to a pod of that name
  --endpoint URL              the server (default $OPENIRSA_ENDPOINT, else http://127.0.0.1:4566)
  --data DIR                  its data directory, for the admin credentials
                              (default $OPENIRSA_DATA, else ./.openirsa)
  -h, --help                  print this help

Example:
  openirsa token --service-account default/my-app > /tmp/token
  aws sts assume-role-with-web-identity --endpoint-url http://127.0.0.1:4566 \\
    --role-arn arn:aws:iam::000000000000:role/my-app --role-session-name s1 \\
    --web-identity-token file:///tmp/token

Exit status: 0 when the token was printed, 1 when the server refused it or cannot be reached, 2 on
usage errors.
`;

export const DEFAULT_ENDPOINT = 'http://127.0.0.1:4566';
/** Any region verifies on openirsa; the scope needs one. */
const SIGNING_REGION = 'us-east-1';
const SIGNING_SERVICE = 'sts';
const TOKEN_PATH = '/_openirsa/token';

export interface TokenDeps {
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly fetch: typeof fetch;
}

/** `openirsa token`: asks the server's admin route for a token, signed with the root credentials. */
export async function token(
  args: string[],
  io: CommandIo,
  deps: TokenDeps = { env: process.env, fetch },
): Promise<number> {
  const { values } = parseArgs({
    args,
    strict: true,
    allowPositionals: false,
    options: {
      'service-account': { type: 'string' },
      audience: { type: 'string' },
      duration: { type: 'string' },
      pod: { type: 'string' },
      endpoint: { type: 'string' },
      data: { type: 'string' },
    },
  });
  const sa = values['service-account'];
  if (sa === undefined) throw new UsageError('`--service-account NAMESPACE/NAME` is required');
  const slash = sa.indexOf('/');
  if (slash <= 0 || slash === sa.length - 1 || sa.indexOf('/', slash + 1) >= 0) {
    throw new UsageError(`\`--service-account\` must be NAMESPACE/NAME, got \`${sa}\``);
  }
  let expirationSeconds: number | undefined;
  if (values.duration !== undefined) {
    if (!/^\d{1,10}$/.test(values.duration)) {
      throw new UsageError(`\`--duration\` must be a number of seconds, got \`${values.duration}\``);
    }
    expirationSeconds = Number(values.duration);
  }
  const endpoint = (values.endpoint ?? deps.env.OPENIRSA_ENDPOINT ?? DEFAULT_ENDPOINT).replace(/\/+$/, '');
  const dataDir = values.data ?? deps.env.OPENIRSA_DATA ?? '.openirsa';
  const credentials = readCredentials(await io.readFile(join(dataDir, 'credentials')));
  if (credentials === undefined) {
    throw new UsageError(`no \`[openirsa]\` credentials in \`${join(dataDir, 'credentials')}\``);
  }
  const body = JSON.stringify({
    namespace: sa.slice(0, slash),
    serviceAccount: sa.slice(slash + 1),
    ...(values.audience !== undefined ? { audience: values.audience } : {}),
    ...(expirationSeconds !== undefined ? { expirationSeconds } : {}),
    ...(values.pod !== undefined ? { pod: values.pod } : {}),
  });
  const url = new URL(`${endpoint}${TOKEN_PATH}`);
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
    return EXIT_FINDINGS;
  }
  const text = await response.text();
  let reply: { token?: unknown; message?: unknown; error?: unknown } = {};
  // A body that is not JSON is reported by its first characters below.
  try {
    reply = JSON.parse(text) as typeof reply;
  } catch {
    reply = {};
  }
  if (response.status !== 200 || typeof reply.token !== 'string') {
    const why =
      typeof reply.message === 'string'
        ? reply.message
        : typeof reply.error === 'string'
          ? reply.error
          : text.slice(0, 200);
    io.stderr(`openirsa: the server refused the token request (HTTP ${response.status}): ${why}\n`);
    return EXIT_FINDINGS;
  }
  io.stdout(`${reply.token}\n`);
  return 0;
}

export interface Credentials {
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
}

/** The `[openirsa]` profile of an AWS shared-credentials file, as `openirsa up` writes it. */
export function readCredentials(text: string): Credentials | undefined {
  let inProfile = false;
  let accessKeyId: string | undefined;
  let secretAccessKey: string | undefined;
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.trim();
    const section = /^\[(.+)\]$/.exec(line);
    if (section) {
      inProfile = section[1]!.trim() === 'openirsa';
      continue;
    }
    if (!inProfile) continue;
    const kv = /^([A-Za-z_]+)\s*=\s*(\S+)$/.exec(line);
    if (kv?.[1] === 'aws_access_key_id') accessKeyId = kv[2];
    if (kv?.[1] === 'aws_secret_access_key') secretAccessKey = kv[2];
  }
  return accessKeyId !== undefined && secretAccessKey !== undefined
    ? { accessKeyId, secretAccessKey }
    : undefined;
}

export interface SignInput {
  readonly method: string;
  /** `host[:port]`, as the Host header carries it. */
  readonly host: string;
  readonly path: string;
  readonly body: string;
  readonly contentType: string;
  readonly credentials: Credentials;
  /** Milliseconds since the epoch. */
  readonly now: number;
  readonly region?: string;
  readonly service?: string;
}

/**
 * SigV4 header signing (IAM User Guide, "Create a signed AWS API request") with the server's own
 * canonical-request and signature functions: the headers to send, `Authorization` included.
 */
export function signRequest(input: SignInput): Record<string, string> {
  const region = input.region ?? SIGNING_REGION;
  const service = input.service ?? SIGNING_SERVICE;
  const amzDate = formatAmzDateTime(input.now);
  const date = amzDate.slice(0, 8);
  const payloadHash = hash('sha256', input.body, 'hex');
  const headers: Record<string, string> = {
    'content-type': input.contentType,
    host: input.host,
    'x-amz-content-sha256': payloadHash,
    'x-amz-date': amzDate,
  };
  const signedHeaders = Object.keys(headers).sort();
  const canonical = buildCanonicalRequest({
    method: input.method,
    path: input.path,
    query: '',
    headers,
    signedHeaders,
    payloadHash,
    pathRules: pathRulesFor(service),
  });
  const scope = `${date}/${region}/${service}/${SCOPE_TERMINATOR}`;
  const signature = computeSignature(
    deriveSigningKey(input.credentials.secretAccessKey, date, region, service),
    buildStringToSign(amzDate, scope, canonical),
  );
  return {
    ...headers,
    authorization: `${ALGORITHM} Credential=${input.credentials.accessKeyId}/${scope}, SignedHeaders=${signedHeaders.join(';')}, Signature=${signature}`,
  };
}
