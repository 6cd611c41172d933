import { spawn } from 'node:child_process';
import { randomInt, randomUUID } from 'node:crypto';
import { isAbsolute, join } from 'node:path';
import { constants } from 'node:os';
import { parseArgs } from 'node:util';
import { MAX_EXPIRATION_SECONDS, MIN_EXPIRATION_SECONDS } from '../identity/mint-token.js';
import { DEFAULT_WEBHOOK_SETTINGS } from '../identity/pod-mutation.js';
import {
  SERVICE_ACCOUNT_ROUTE_PREFIX,
  type ServiceAccountReply,
  type TransparentProxyInfo,
} from '../server/pod-identity-routes.js';
import { TOKEN_ROUTE } from '../server/issuer-routes.js';
import { adminRequest, replyReason, resolveAdminTarget, UnreachableError } from './admin-client.js';
import {
  endpointUrlRedirection,
  execEnvironment,
  transparentProxyRedirection,
  type ClientRedirection,
} from './exec-environment.js';
import { EXIT_FINDINGS, UsageError, type CommandIo } from './io.js';
import { createPrivateDir, removePrivateDir, TokenFile, type MintedToken } from './token-file.js';

export const execHelp = `usage: openirsa exec --service-account NAMESPACE/NAME [--pod NAME] [--old-sdk] [--endpoint URL]
                    [--data DIR] -- COMMAND [ARGS...]

Runs COMMAND as a container of a pod of that service account runs on EKS with IRSA: a pod-bound
service-account token in a private file (directory 0700, file 0600), rewritten before it expires as
the kubelet does (at 80 % of its lifetime), and exactly the variables the pod-identity webhook injects:
AWS_ROLE_ARN, AWS_WEB_IDENTITY_TOKEN_FILE, AWS_REGION and AWS_DEFAULT_REGION (the server's region),
AWS_STS_REGIONAL_ENDPOINTS=regional (when the service account is annotated so), plus AWS_ENDPOINT_URL,
AWS_ENDPOINT_URL_STS, AWS_ENDPOINT_URL_IAM and AWS_ENDPOINT_URL_S3 pointing at openirsa.

The token's audience and lifetime come from the service account's annotations
(eks.amazonaws.com/audience, default sts.amazonaws.com; eks.amazonaws.com/token-expiration, default
86400 s, at least 600 s; the server shortens it to its maximum of 24 h).

So that the command really uses the role, inherited AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY,
AWS_SESSION_TOKEN, AWS_SECURITY_TOKEN, AWS_PROFILE, AWS_DEFAULT_PROFILE and AWS_CONTAINER_* are removed
and AWS_CONFIG_FILE / AWS_SHARED_CREDENTIALS_FILE point at a file that does not exist: each would win
over the web identity in boto3's or the JS SDK's default chain, and a pod has none of them. A service
account without eks.amazonaws.com/role-arn runs COMMAND without any AWS variables, as on EKS.

The AWS CLI (not boto3 or the JS SDK) caches web-identity credentials in ~/.aws/cli/cache, keyed
by the role ARN alone: after recreating the data directory, or to see another service account of the
same role refused, delete that directory or give COMMAND another HOME.

The exit status is COMMAND's (128+N when it dies of signal N); SIGINT, SIGTERM and SIGHUP are passed
on to it. The token directory is removed when COMMAND ends.

  --service-account NS/NAME   the service account (required; it must exist on the server,
                              e.g. from a ServiceAccount manifest given to \`openirsa up -f\`)
  --pod NAME                  the pod the token is bound to (default openirsa-exec-XXXXX)
  --old-sdk                   also point clients too old for AWS_ENDPOINT_URL (boto3/botocore < 1.31,
                              AWS CLI < 2.13, e.g. Debian 12's python3-boto3 1.26 and awscli 2.9)
                              at openirsa: HTTPS_PROXY/https_proxy (the server's transparent proxy),
                              AWS_CA_BUNDLE and NODE_EXTRA_CA_CERTS (its local CA), NO_PROXY/no_proxy
                              (loopback), besides the AWS_ENDPOINT_URL* variables. The server must run
                              the proxy: \`openirsa up --proxy-port N\` (\`up --demo\` starts one)
  --endpoint URL              the server (default $OPENIRSA_ENDPOINT, else http://127.0.0.1:4566)
  --data DIR                  its data directory, for the admin credentials
                              (default $OPENIRSA_DATA, else ./.openirsa)
  -h, --help                  print this help (before \`--\`; after it, COMMAND's)

Testing only:
  --rotate-every-ms N         rewrite the token file every N ms instead of at 80 % of its lifetime
                              (the token itself still lives at least 600 s, as TokenRequest requires)

Clients too old for AWS_ENDPOINT_URL (botocore < 1.31, AWS CLI < 2.13) need --old-sdk.

Example:
  openirsa up -f ./manifests &
  openirsa exec --service-account team-a/app -- aws sts get-caller-identity
  openirsa exec --service-account team-a/app -- python3 -c \\
    'import boto3; print(boto3.client("sts").get_caller_identity()["Arn"])'
  openirsa up --demo &            # starts the transparent proxy too
  openirsa exec --old-sdk --service-account team-a/app -- /usr/bin/aws s3 ls s3://team-a-data
`;

/** The kubelet's default, as the webhook's `--token-expiration` (irsa-wire.md §2.2). */
const DEFAULT_TOKEN_EXPIRATION_SECONDS = DEFAULT_WEBHOOK_SETTINGS.tokenExpirationSeconds;
/** Forwarded to the child, as a shell's job control would deliver them. */
const FORWARDED_SIGNALS: readonly NodeJS.Signals[] = ['SIGINT', 'SIGTERM', 'SIGHUP'];
/** Kubernetes `generateName` suffix alphabet (apimachinery `util/rand`: no vowels, no look-alikes). */
const NAME_ALPHABET = 'bcdfghjklmnpqrstvwxz2456789';

export interface ExecDeps {
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly fetch: typeof fetch;
  readonly redirection: ClientRedirection;
}

/** `openirsa exec`: see `execHelp`. */
export async function exec(
  argv: string[],
  io: CommandIo,
  deps: ExecDeps = { env: process.env, fetch, redirection: endpointUrlRedirection },
): Promise<number> {
  const split = argv.indexOf('--');
  if (split < 0 || split === argv.length - 1) {
    throw new UsageError('expected `-- COMMAND [ARGS...]` after the options');
  }
  const { values } = parseArgs({
    args: argv.slice(0, split),
    strict: true,
    allowPositionals: false,
    options: {
      'service-account': { type: 'string' },
      pod: { type: 'string' },
      endpoint: { type: 'string' },
      data: { type: 'string' },
      'rotate-every-ms': { type: 'string' },
      'old-sdk': { type: 'boolean', default: false },
    },
  });
  const [command, ...commandArgs] = argv.slice(split + 1);
  // INVARIANT: split < argv.length - 1, so there is a command.
  if (command === undefined) throw new UsageError('expected a command after `--`');
  const sa = parseServiceAccount(values['service-account']);
  const pod = values.pod ?? `openirsa-exec-${randomSuffix()}`;
  if (!/^[a-z0-9]([-a-z0-9.]{0,251}[a-z0-9])?$/.test(pod)) {
    throw new UsageError(`\`--pod\` must be a Kubernetes name, got \`${pod}\``);
  }
  let rotateEveryMs: number | undefined;
  if (values['rotate-every-ms'] !== undefined) {
    if (!/^\d{1,9}$/.test(values['rotate-every-ms']) || Number(values['rotate-every-ms']) < 10) {
      throw new UsageError(`\`--rotate-every-ms\` must be at least 10, got \`${values['rotate-every-ms']}\``);
    }
    rotateEveryMs = Number(values['rotate-every-ms']);
  }
  const target = await resolveAdminTarget(values, deps.env, io);
  const request = (method: 'GET' | 'POST', path: string, body: string) =>
    adminRequest(target, method, path, body, { fetch: deps.fetch, now: io.clock.now() });

  let account: ServiceAccountReply;
  try {
    const reply = await request('GET', `${SERVICE_ACCOUNT_ROUTE_PREFIX}${sa.namespace}/${sa.name}`, '');
    if (reply.status === 404 && reply.body.error === 'NotFound') {
      io.stderr(
        `openirsa: no service account \`${sa.namespace}/${sa.name}\` on \`${target.endpoint}\`; apply a ServiceAccount manifest first (\`openirsa up -f\`)\n`,
      );
      return EXIT_FINDINGS;
    }
    if (reply.status !== 200) {
      io.stderr(
        `openirsa: the server refused the service-account lookup (HTTP ${reply.status}): ${replyReason(reply)}\n`,
      );
      return EXIT_FINDINGS;
    }
    const read = readServiceAccountReply(reply.body);
    if (read === undefined) {
      io.stderr(`openirsa: the server's service-account answer is not one: ${reply.text}\n`);
      return EXIT_FINDINGS;
    }
    account = read;
  } catch (e) {
    if (e instanceof UnreachableError) {
      io.stderr(`openirsa: ${e.message}\n`);
      return EXIT_FINDINGS;
    }
    throw e;
  }

  const dir = await createPrivateDir();
  let tokenFile: TokenFile | undefined;
  let stopRedirection: (() => Promise<void>) | undefined;
  try {
    const absentFile = join(dir, 'absent');
    let env: Record<string, string>;
    if (typeof account.roleArn !== 'string' || account.roleArn === '') {
      io.stderr(
        `openirsa: service account \`${sa.namespace}/${sa.name}\` has no \`eks.amazonaws.com/role-arn\` annotation: running without AWS variables, as on EKS\n`,
      );
      env = execEnvironment({ inherited: deps.env, absentFile });
    } else {
      const mint = mintFor(request, sa, pod, account);
      try {
        tokenFile = await TokenFile.create(dir, {
          mint,
          now: () => io.clock.now(),
          warn: (message) => io.stderr(`${message}\n`),
          ...(rotateEveryMs !== undefined ? { rotateEveryMs } : {}),
        });
      } catch (e) {
        io.stderr(`openirsa: ${e instanceof Error ? e.message : String(e)}\n`);
        return EXIT_FINDINGS;
      }
      let redirect = deps.redirection;
      if (values['old-sdk']) {
        if (account.transparentProxy === undefined) {
          io.stderr(
            `openirsa: \`--old-sdk\` needs the transparent proxy, and \`${target.endpoint}\` runs none; start the server with \`openirsa up --proxy-port 0\` (or \`--demo\`)\n`,
          );
          return EXIT_FINDINGS;
        }
        redirect = transparentProxyRedirection(account.transparentProxy);
      }
      const redirection = await redirect.start(target.endpoint);
      stopRedirection = () => redirection.stop();
      env = execEnvironment({
        inherited: deps.env,
        pod: {
          roleArn: account.roleArn,
          tokenFilePath: tokenFile.path,
          regionalSts: account.regionalSts === true,
          region: account.region,
        },
        redirection: redirection.env,
        absentFile,
      });
    }
    return await runChild(command, commandArgs, env, io);
  } finally {
    tokenFile?.stop();
    await stopRedirection?.();
    await removePrivateDir(dir);
  }
}

/** The lookup route's answer, checked member by member (it crosses a process boundary). */
function readServiceAccountReply(body: Readonly<Record<string, unknown>>): ServiceAccountReply | undefined {
  const {
    namespace,
    name,
    annotations,
    roleArn,
    audience,
    regionalSts,
    tokenExpirationSeconds,
    region,
    transparentProxy,
  } = body;
  if (typeof namespace !== 'string' || typeof name !== 'string' || typeof region !== 'string')
    return undefined;
  if (annotations === null || typeof annotations !== 'object' || Array.isArray(annotations)) return undefined;
  const strings = Object.entries(annotations as Record<string, unknown>).filter(
    (e): e is [string, string] => typeof e[1] === 'string',
  );
  if (roleArn !== undefined && typeof roleArn !== 'string') return undefined;
  if (audience !== undefined && typeof audience !== 'string') return undefined;
  if (regionalSts !== undefined && typeof regionalSts !== 'boolean') return undefined;
  if (tokenExpirationSeconds !== undefined && !Number.isSafeInteger(tokenExpirationSeconds)) return undefined;
  const proxy = readTransparentProxy(transparentProxy);
  if (proxy === 'invalid') return undefined;
  return {
    namespace,
    name,
    annotations: Object.fromEntries(strings),
    region,
    ...(roleArn !== undefined ? { roleArn } : {}),
    ...(audience !== undefined ? { audience } : {}),
    ...(regionalSts !== undefined ? { regionalSts } : {}),
    ...(typeof tokenExpirationSeconds === 'number' ? { tokenExpirationSeconds } : {}),
    ...(proxy !== undefined ? { transparentProxy: proxy } : {}),
  };
}

/** `transparentProxy` of the lookup answer: absent, or an http:// URL and an absolute CA path. */
function readTransparentProxy(value: unknown): TransparentProxyInfo | undefined | 'invalid' {
  if (value === undefined) return undefined;
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return 'invalid';
  const { url, caFile } = value as Record<string, unknown>;
  if (typeof url !== 'string' || !/^http:\/\/[^/\s]{1,300}$/.test(url)) return 'invalid';
  if (typeof caFile !== 'string' || !isAbsolute(caFile) || caFile.length > 4096) return 'invalid';
  return { url, caFile };
}

function parseServiceAccount(value: string | undefined): { namespace: string; name: string } {
  if (value === undefined) throw new UsageError('`--service-account NAMESPACE/NAME` is required');
  const parts = value.split('/');
  const name = /^[a-z0-9]([-a-z0-9.]{0,251}[a-z0-9])?$/;
  if (parts.length !== 2 || !name.test(parts[0] ?? '') || !name.test(parts[1] ?? '')) {
    throw new UsageError(
      `\`--service-account\` must be NAMESPACE/NAME of Kubernetes names, got \`${value}\``,
    );
  }
  return { namespace: parts[0] ?? '', name: parts[1] ?? '' };
}

function randomSuffix(): string {
  let s = '';
  for (let i = 0; i < 5; i++) s += NAME_ALPHABET[randomInt(NAME_ALPHABET.length)];
  return s;
}

/**
 * The TokenRequest the kubelet sends for the projected volume: the audience and lifetime the webhook
 * put in it, the lifetime kept within TokenRequest's bounds [600 s, 2^32 s] (the annotation has no
 * upper clamp, but the API would refuse more than 2^32 s).
 */
function mintFor(
  request: (method: 'POST', path: string, body: string) => ReturnType<typeof adminRequest>,
  sa: { namespace: string; name: string },
  pod: string,
  account: ServiceAccountReply,
): () => Promise<MintedToken> {
  const expirationSeconds = Math.min(
    MAX_EXPIRATION_SECONDS,
    Math.max(MIN_EXPIRATION_SECONDS, account.tokenExpirationSeconds ?? DEFAULT_TOKEN_EXPIRATION_SECONDS),
  );
  const body = JSON.stringify({
    namespace: sa.namespace,
    serviceAccount: sa.name,
    audience: account.audience ?? DEFAULT_WEBHOOK_SETTINGS.audience,
    expirationSeconds,
    pod,
    // One pod: every rotated token names the same pod uid.
    podUid: randomUUID(),
  });
  return async () => {
    const reply = await request('POST', TOKEN_ROUTE, body);
    const { token, expiration } = reply.body;
    if (reply.status !== 200 || typeof token !== 'string' || typeof expiration !== 'string') {
      throw new Error(`the server refused the token request (HTTP ${reply.status}): ${replyReason(reply)}`);
    }
    const expiresAt = Date.parse(expiration);
    if (Number.isNaN(expiresAt))
      throw new Error(`the server's token expiration \`${expiration}\` is not a time`);
    return { token, expiresAt };
  };
}

/** Spawns the command, forwards signals, and answers its exit status as a shell does. */
function runChild(
  command: string,
  args: readonly string[],
  env: Record<string, string>,
  io: CommandIo,
): Promise<number> {
  return new Promise((resolve) => {
    const child = spawn(command, args, { env, stdio: 'inherit' });
    // From a terminal, Ctrl-C reaches the whole process group, so the command may see SIGINT twice
    // (as under `env` or `sudo`); from `kill`, only exec gets it and this is the command's one copy.
    const forward = (signal: NodeJS.Signals) => {
      child.kill(signal);
    };
    for (const signal of FORWARDED_SIGNALS) process.on(signal, forward);
    let finished = false;
    const done = (code: number) => {
      if (finished) return;
      finished = true;
      for (const signal of FORWARDED_SIGNALS) process.off(signal, forward);
      resolve(code);
    };
    child.once('error', (error: NodeJS.ErrnoException) => {
      // As a shell: 127 when the command is not found, 126 when it cannot be run.
      io.stderr(`openirsa: cannot run \`${command}\`: ${error.code ?? error.message}\n`);
      done(error.code === 'ENOENT' ? 127 : 126);
    });
    child.once('exit', (code, signal) => {
      if (signal !== null) done(128 + (constants.signals[signal] ?? 0));
      else done(code ?? 0);
    });
  });
}
