import { parseArgs } from 'node:util';
import { parseIssuer } from '../identity/issuer.js';
import { isAccountId } from '../shared/arn.js';
import { pooledRandomIds } from '../shared/ids.js';
import { openDataDir } from '../server/data-dir.js';
import { lockDataDir } from '../store/sqlite/data-dir-lock.js';
import { DEFAULT_HOST } from '../server/listen.js';
import { sweepBlobs } from '../server/s3-route.js';
import { LocalCa } from '../server/local-ca.js';
import { readFile } from 'node:fs/promises';
import { parseCaBundle } from '../sts/ca-bundle.js';
import { join, resolve } from 'node:path';
import { convergeManifests, type ConvergeOptions } from '../config/converge-manifests.js';
import { loadManifestPaths } from '../config/load-manifests.js';
import type { ParsedFile } from '../config/manifests.js';
import { ISSUER_SIGNING_ALGORITHMS, type IssuerSigningAlgorithm } from '../server/data-dir.js';
import type { Store } from '../store/types.js';
import { availableParallelism } from 'node:os';
import type { LogFormat, Logger } from '../shared/logger.js';
import { commandLogger } from './log-format.js';
import { hostForUrl, startServing, type Serving, type ServingConfig } from './serving.js';
import { startWorkers } from './up-workers.js';
import { logConvergeResult, logManifestProblem, logPruneConflict } from './manifest-log.js';
import { startupSummary, type AppliedObject } from './startup-summary.js';
import { EXIT_FINDINGS, EXIT_INTERNAL, UsageError, type CommandIo } from './io.js';
import { watchManifests, type ManifestWatcher } from './watch-manifests.js';
import { demoManifests, demoTryIt, putDemoObjects } from './demo.js';
import { DEFAULT_ENDPOINT, readCredentials } from './token.js';

const DEFAULT_DATA_DIR = './.openirsa';

export const upHelp = `usage: openirsa up [-f FILE_OR_DIR ...] [--watch] [--port 4566] [--host 127.0.0.1] [--data DIR]
                   [--account ID] [--region R] [--issuer URL] [--signing-algorithm RS256|ES256]
                   [--explain-denials] [--oidc-ca-file FILE] [--allow-insecure-issuers] [--proxy-port N]
                   [--demo] [--workers N|auto] [--log-format text|json]

Runs openirsa (STS and IAM over the AWS wire protocol) on one port, with its state in DIR.
On first start it creates DIR (mode 0700), an account, and a random root access key, written to
DIR/credentials as the AWS profile \`openirsa\` (mode 0600). Stops cleanly on Ctrl-C or SIGTERM.

Options:
  -f, --file P   apply the manifests in file or directory P before serving (repeatable; a
                 directory is read recursively: *.yaml, *.yml, *.json); a file with an error
                 stops the start, and nothing of it is applied
  --watch        re-apply the -f paths whenever a file under them changes (after 200 ms of quiet);
                 every re-apply also deletes what removed documents had created (as
                 \`apply --prune\`); a bad edit is printed and the last good state kept
  --port N       port to listen on (default 4566; 0 picks a free port and prints it)
  --host H       address to bind (default 127.0.0.1: loopback only)
  --data DIR     data directory (default ./.openirsa)
  --account ID   the 12-digit account id (default 000000000000)
  --region R     the region to answer for (default us-east-1)
  --oidc-ca-file FILE
                 also trust the CA certificates (PEM) in FILE for external OIDC issuers' https
  --allow-insecure-issuers
                 fetch plain-http external issuers that are not loopback (default: https only,
                 plain http for 127.0.0.0/8, ::1 and localhost)
  --issuer URL   the issuer (\`iss\`) of the service-account tokens this server mints, e.g. your
                 cluster's real issuer URL so that production trust policies work unchanged
                 (default: the server's own base URL, http://HOST:PORT); its discovery document and
                 JWKS are served under the URL's path too
  --signing-algorithm A
                 algorithm of a new issuer signing key: RS256 (default) or ES256; applies to the
                 first key of a data directory and to \`openirsa rotate-signing-key\`
  --explain-denials
                 append why to every AccessDenied message: "... (openirsa: <explanation>)";
                 without it, AWS's exact message (\`openirsa explain ID\` has the explanation)
  --proxy-port N also serve the transparent mode for SDKs too old to read AWS_ENDPOINT_URL
                 (boto3 < 1.31, AWS CLI < 2.13): an HTTP proxy on port N (0 picks one) for
                 HTTPS_PROXY. CONNECT to *.amazonaws.com(.cn):443 is answered by openirsa with
                 certificates of a local CA (DIR/ca/ca.pem: give it as AWS_CA_BUNDLE); other
                 ports of AWS hosts are refused (403), malformed CONNECT targets get 400, and
                 every other host is tunnelled untouched
  --demo         also create the demo (idempotent: starting again changes nothing): namespace
                 team-a, service account team-a/app bound to role team-a-app, which may list
                 buckets and read bucket team-a-data; bucket team-b-data, which it may not read;
                 an object in each (put through S3 PutObject). Prints the commands to try it.
                 Starts the transparent proxy on a free port unless --proxy-port is given
  --workers N    serve the port with N processes (default 1; \`auto\`: one per CPU), for more
                 requests per second on a machine with several cores. They share the data
                 directory: what one wrote, the next request sees, whichever process serves it.
                 This process applies manifests, watches and stops them; when one fails, the
                 others are stopped and \`up\` exits 70. Reads scale with the workers; writes
                 share the one SQLite file and do not
  --log-format F text (default) or json: one JSON object a line (time, level, msg, fields) for log
                 collectors, the start-up summary as one event; default $OPENIRSA_LOG_FORMAT
  -h, --help     print this help

Prints a summary once it listens (endpoint, issuer, credentials, data and audit directories, the
manifests applied) and one line per denied request; audit events go to DIR/audit, one file a day.

Example:
  openirsa up --demo
  openirsa up --data ./.openirsa -f ./manifests
  AWS_SHARED_CREDENTIALS_FILE=./.openirsa/credentials AWS_PROFILE=openirsa \\
    aws --endpoint-url http://127.0.0.1:4566 sts get-caller-identity
  openirsa up --port 0 --log-format json | jq -r 'select(.msg == "openirsa is up") | .endpoint'

Exit status: 0 after a clean stop, 1 when it cannot start (a rejected manifest, the port in use), 2 on
usage errors.
`;

/** Resolves when the process is asked to stop (SIGINT, SIGTERM). */
export function processStopSignal(): AbortSignal {
  const controller = new AbortController();
  const stop = () => controller.abort();
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  controller.signal.addEventListener('abort', () => {
    process.off('SIGINT', stop);
    process.off('SIGTERM', stop);
  });
  return controller.signal;
}

interface UpOptions {
  readonly port: number;
  readonly host: string;
  readonly data: string;
  readonly account: string;
  readonly region: string;
  /** `-f` paths, in the order given. */
  readonly files: readonly string[];
  /** `--oidc-ca-file`: extra CA certificates for external issuers. */
  readonly oidcCaFile?: string;
  readonly allowInsecureIssuers?: boolean;
  /** `--issuer`: the `iss` of the built-in issuer's tokens, instead of the server's own base URL. */
  readonly issuer?: string;
  readonly watch: boolean;
  readonly explainDenials: boolean;
  readonly signingAlgorithm: IssuerSigningAlgorithm;
  /** `--proxy-port`: serve the transparent HTTPS proxy on this port too. */
  readonly proxyPort?: number;
  /** `--demo`: create the demo scenario once listening. */
  readonly demo?: boolean;
  /** `--workers`: how many processes serve the port (1: this one alone). */
  readonly workers: number;
}

export function parseUpArgs(args: string[]): UpOptions {
  const { values } = parseArgs({
    args,
    strict: true,
    allowPositionals: false,
    options: {
      port: { type: 'string', default: '4566' },
      host: { type: 'string', default: DEFAULT_HOST },
      data: { type: 'string', default: DEFAULT_DATA_DIR },
      account: { type: 'string', default: '000000000000' },
      region: { type: 'string', default: 'us-east-1' },
      file: { type: 'string', short: 'f', multiple: true, default: [] },
      'oidc-ca-file': { type: 'string' },
      'allow-insecure-issuers': { type: 'boolean', default: false },
      issuer: { type: 'string' },
      watch: { type: 'boolean', default: false },
      'explain-denials': { type: 'boolean', default: false },
      'signing-algorithm': { type: 'string', default: 'RS256' },
      'proxy-port': { type: 'string' },
      demo: { type: 'boolean', default: false },
      workers: { type: 'string', default: '1' },
    },
  });
  const alg = ISSUER_SIGNING_ALGORITHMS.find((a) => a === values['signing-algorithm']);
  if (alg === undefined) {
    throw new UsageError(
      `\`--signing-algorithm\` expects RS256 or ES256, got \`${values['signing-algorithm']}\``,
    );
  }
  if (values.watch && values.file.length === 0) throw new UsageError('`--watch` needs `-f FILE_OR_DIR`');
  if (!/^\d{1,5}$/.test(values.port) || Number(values.port) > 65535) {
    throw new UsageError(`\`--port\` expects a port number 0-65535, got \`${values.port}\``);
  }
  // The demo's "try it" includes `exec --old-sdk`, which needs the proxy: a free port unless given.
  const proxyPort = values['proxy-port'] ?? (values.demo ? '0' : undefined);
  if (proxyPort !== undefined && (!/^\d{1,5}$/.test(proxyPort) || Number(proxyPort) > 65535)) {
    throw new UsageError(`\`--proxy-port\` expects a port number 0-65535, got \`${proxyPort}\``);
  }
  if (!isAccountId(values.account)) {
    throw new UsageError(`\`--account\` expects 12 digits, got \`${values.account}\``);
  }
  if (!/^[a-z0-9-]{1,32}$/.test(values.region)) {
    throw new UsageError(
      `\`--region\` expects a region name such as \`us-east-1\`, got \`${values.region}\``,
    );
  }
  const workers =
    values.workers === 'auto' ? Math.min(availableParallelism(), MAX_WORKERS) : Number(values.workers);
  if (!/^(auto|\d{1,3})$/.test(values.workers) || workers < 1 || workers > MAX_WORKERS) {
    throw new UsageError(`\`--workers\` expects 1-${MAX_WORKERS} or \`auto\`, got \`${values.workers}\``);
  }
  if (values.host === '') throw new UsageError('`--host` expects an address, got an empty string');
  if (values.data === '') throw new UsageError('`--data` expects a directory, got an empty string');
  if (values['oidc-ca-file'] === '') {
    throw new UsageError('`--oidc-ca-file` expects a file, got an empty string');
  }
  if (values.file.some((f) => f === '')) {
    throw new UsageError('`-f` expects a file or directory, got an empty string');
  }
  // Without --issuer, a server names itself after the address its first request came in on: behind a
  // wildcard address, each worker could take another one.
  if (workers > 1 && values.issuer === undefined && WILDCARD_HOSTS.has(values.host)) {
    throw new UsageError(
      `\`--workers\` with \`--host ${values.host}\` needs \`--issuer URL\`, so that every worker names the same issuer`,
    );
  }
  if (values.issuer !== undefined) {
    const parsed = parseIssuer(values.issuer);
    if (!parsed.ok) throw new UsageError(`\`--issuer\` expects an issuer URL: ${parsed.message}`);
  }
  return {
    ...(values.issuer !== undefined ? { issuer: values.issuer } : {}),
    port: Number(values.port),
    host: values.host,
    data: values.data,
    account: values.account,
    region: values.region,
    files: values.file,
    ...(values['oidc-ca-file'] !== undefined ? { oidcCaFile: values['oidc-ca-file'] } : {}),
    ...(values['allow-insecure-issuers'] ? { allowInsecureIssuers: true } : {}),
    watch: values.watch,
    explainDenials: values['explain-denials'],
    signingAlgorithm: alg,
    ...(proxyPort !== undefined ? { proxyPort: Number(proxyPort) } : {}),
    ...(values.demo ? { demo: true } : {}),
    workers,
  };
}

/** The most `--workers` accepted (and `auto`'s cap): far more processes than any machine has cores is a typo. */
const MAX_WORKERS = 64;

/** Addresses that bind every interface. */
const WILDCARD_HOSTS: ReadonlySet<string> = new Set(['0.0.0.0', '::', '[::]', '0:0:0:0:0:0:0:0']);

/**
 * Reads the `-f` manifests and logs their problems (errors and warnings). Returns `undefined` when a
 * path cannot be read or any file is rejected: `up` then exits 1 without starting.
 */
async function loadManifests(paths: readonly string[], logger: Logger): Promise<ParsedFile[] | undefined> {
  let files: ParsedFile[];
  try {
    files = await loadManifestPaths(paths);
  } catch (e) {
    const { code, path } = e as NodeJS.ErrnoException;
    logger.error(
      'cannot read manifests',
      { path, code: code ?? String(e) },
      `openirsa: cannot read manifests${path !== undefined ? ` \`${path}\`` : ''}: ${code ?? String(e)}`,
    );
    return undefined;
  }
  for (const f of files) for (const p of f.problems) logManifestProblem(logger, p);
  const rejected = files.filter((f) => f.rejected);
  if (rejected.length > 0) {
    logger.error(
      'not starting: manifest files rejected',
      { files: rejected.map((f) => f.file) },
      `openirsa: not starting: ${rejected.length} manifest file${rejected.length === 1 ? '' : 's'} rejected (${rejected.map((f) => f.file).join(', ')})`,
    );
    return undefined;
  }
  return files;
}

/**
 * `openirsa up`: reads the `-f` manifests (refusing to start when any file is rejected), opens (or
 * creates) the data directory, applies the manifests, serves until `stop` aborts, then closes the
 * listener, the audit sink and the store, and returns 0. Every line it writes goes through one logger
 * (`--log-format`).
 */
export async function up(
  args: string[],
  io: CommandIo,
  stop: AbortSignal = processStopSignal(),
  env: Readonly<Record<string, string | undefined>> = process.env,
): Promise<number> {
  const { rest, logger, format } = commandLogger(args, io, env);
  const options = parseUpArgs(rest);
  // Absolute, so that the files manifests came from are recorded the same way `apply` records them.
  const roots = options.files.map((f) => resolve(f));
  // Input problems first: a rejected manifest or CA file starts nothing and creates no data directory.
  const manifests = roots.length > 0 ? await loadManifests(roots, logger) : [];
  if (manifests === undefined) return EXIT_FINDINGS;
  const caCertificates = options.oidcCaFile !== undefined ? await readCaFile(options.oidcCaFile, logger) : [];
  if (caCertificates === undefined) return EXIT_FINDINGS;
  const lock = lockDataDir(resolve(options.data));
  if ('busy' in lock) {
    const who =
      lock.pid !== undefined ? `another \`openirsa up\` (pid ${lock.pid})` : 'another `openirsa up`';
    logger.error(
      'not starting: the data directory is in use',
      { data: resolve(options.data), ...(lock.pid !== undefined ? { pid: lock.pid } : {}) },
      `openirsa: not starting: the data directory \`${options.data}\` is in use by ${who}; stop it, or give this one another --data`,
    );
    return EXIT_FINDINGS;
  }
  try {
    return await serve({ options, roots, manifests, caCertificates, logFormat: format }, logger, io, stop);
  } finally {
    lock.release();
  }
}

/** What `up` has read before it takes the data directory. */
interface UpInputs {
  readonly options: UpOptions;
  readonly roots: readonly string[];
  readonly manifests: ParsedFile[];
  readonly caCertificates: readonly string[];
  readonly logFormat: LogFormat;
}

/** `up` once its inputs are read and it holds the data directory. */
async function serve(inputs: UpInputs, logger: Logger, io: CommandIo, stop: AbortSignal): Promise<number> {
  const { options, roots, manifests, caCertificates } = inputs;
  const shared = options.workers > 1;
  // Owned by this server: a pool of random bytes for session keys (shared/ids.ts).
  const ids = pooledRandomIds();
  const data = await openDataDir({
    dir: options.data,
    accountId: options.account,
    clock: io.clock,
    ids,
    signingAlgorithm: options.signingAlgorithm,
    // With workers, this process still writes (manifests, --watch) and must see what they wrote.
    ...(shared ? { otherConnectionsCheckMs: 0 } : {}),
  });
  const converge: ConvergeOptions = {
    accountId: options.account,
    partition: 'aws',
    region: options.region,
    clock: io.clock,
    ids,
    roots,
    // In watch mode every apply converges deletions too, the first one included.
    prune: options.watch,
  };
  let applied: AppliedObject[] | undefined;
  if (manifests.length > 0) {
    try {
      const result = await convergeManifests(data.store, manifests, converge);
      // Load problems were logged already; these are the ones applying found.
      const known = new Set(manifests.flatMap((f) => f.problems));
      for (const p of result.problems) if (!known.has(p)) logManifestProblem(logger, p);
      if (!result.ok) {
        logger.error(
          'not starting: the manifests could not be applied',
          {},
          'openirsa: not starting: the manifests could not be applied; nothing was changed',
        );
        await data.store.close();
        return EXIT_FINDINGS;
      }
      for (const c of result.conflicts) logPruneConflict(logger, c);
      applied = result.objects.map((o) => ({ kind: o.kind, name: o.name, action: o.action }));
    } catch (e) {
      await data.store.close();
      throw e;
    }
  }
  const auditDir = join(data.dir, 'audit');
  const dataFlag = resolve(options.data) === resolve(DEFAULT_DATA_DIR) ? '' : ` --data ${options.data}`;
  // Object blobs a crash left without metadata, and stale temporary files, go before anything is served
  // (and before any worker starts). A sweep that fails closes what is open before `up`'s caller releases
  // the data directory.
  try {
    await sweepBlobs(data.dir, data.store, io.clock);
    // The proxy's CA is created once, here, not by workers racing to create it.
    if (shared && options.proxyPort !== undefined)
      await LocalCa.open({ dataDir: data.dir, clock: io.clock, ids });
  } catch (error) {
    await data.store.close();
    throw error;
  }
  const config: ServingConfig = {
    dataDir: data.dir,
    dataFlag,
    port: options.port,
    host: options.host,
    region: options.region,
    ...(options.issuer !== undefined ? { issuer: options.issuer } : {}),
    signingAlgorithm: options.signingAlgorithm,
    explainDenials: options.explainDenials,
    caCertificates,
    allowInsecureIssuers: options.allowInsecureIssuers === true,
    ...(options.proxyPort !== undefined ? { proxyPort: options.proxyPort } : {}),
  };
  let serving: Serving | undefined;
  // With workers: resolves when one of them dies.
  let failure: Promise<string> | undefined;
  let watcher: ManifestWatcher | undefined;
  let closed = false;
  try {
    if (shared) {
      const started = await startWorkers(options.workers, config, inputs.logFormat, logger, stop);
      if (started === 'stopped') {
        logger.info('stopping', {}, 'openirsa: stopping');
        return 0;
      }
      serving = started;
      failure = started?.failure;
    } else {
      serving = await startServing(config, { store: data.store, clock: io.clock, ids, logger });
    }
    if (serving === undefined) return EXIT_FINDINGS;
    const address = serving.address;
    const host = hostForUrl(address);
    const endpoint = `http://${host}:${address.port}`;
    let proxyFacts: { url: string; caFile: string } | undefined;
    if (serving.proxyAddress !== undefined && serving.proxyCaFile !== undefined) {
      const proxyUrl = `http://${host}:${serving.proxyAddress.port}`;
      if (!isLoopbackAddress(serving.proxyAddress.address)) {
        logger.warn(
          'the proxy is reachable beyond loopback',
          { proxy: proxyUrl },
          `openirsa: warning: the proxy on \`${proxyUrl}\` tunnels to any host for anyone who can reach it; bind it to loopback unless that is intended`,
        );
      }
      proxyFacts = { url: proxyUrl, caFile: serving.proxyCaFile };
    }
    let demo: string[] | undefined;
    if (options.demo === true) {
      const issuer = options.issuer ?? endpoint;
      const seeded = await seedDemo(
        data,
        { ...converge, prune: false },
        endpoint,
        options.region,
        issuer,
        logger,
        io,
      );
      if (!seeded) return EXIT_FINDINGS;
      demo = demoTryIt({
        endpoint,
        dataDir: options.data,
        defaultEndpoint: endpoint === DEFAULT_ENDPOINT,
        defaultDataDir: resolve(options.data) === resolve(DEFAULT_DATA_DIR),
      });
    }
    const summary = startupSummary({
      created: data.created,
      endpoint,
      port: address.port,
      issuer: options.issuer ?? endpoint,
      account: options.account,
      region: options.region,
      credentialsFile: data.credentialsPath,
      dataDir: data.dir,
      auditDir,
      health: `${endpoint}/_openirsa/health`,
      ...(proxyFacts !== undefined ? { proxy: proxyFacts } : {}),
      ...(applied !== undefined ? { manifests: { files: manifests.length, objects: applied } } : {}),
      ...(options.watch ? { watching: roots } : {}),
      ...(demo !== undefined ? { demo } : {}),
      ...(shared ? { workers: options.workers } : {}),
    });
    logger.info(summary.msg, summary.fields, summary.text);
    if (options.watch) {
      watcher = await watchManifests(
        roots,
        () => reapply(data.store, roots, converge, logger),
        (error) =>
          logger.error(
            'watching the manifests failed',
            { error: describe(error) },
            `openirsa: watching the manifests failed: ${describe(error)}`,
          ),
      );
    }
    const broken = await untilStopped(stop, failure);
    if (broken !== undefined) {
      logger.error('a worker stopped; stopping', { why: broken }, `openirsa: ${broken}; stopping`);
    } else {
      logger.info('stopping', {}, 'openirsa: stopping');
    }
    await watcher?.close();
    closed = true;
    await serving.close();
    return broken !== undefined ? EXIT_INTERNAL : 0;
  } finally {
    await watcher?.close();
    if (!closed) await serving?.close().catch(() => undefined);
    await data.store.close();
  }
}

/** Resolves when `stop` aborts (undefined), or with what broke when `failure` resolves first. */
function untilStopped(stop: AbortSignal, failure: Promise<string> | undefined): Promise<string | undefined> {
  if (stop.aborted) return Promise.resolve(undefined);
  return new Promise((resolve) => {
    stop.addEventListener('abort', () => resolve(undefined), { once: true });
    failure?.then(resolve, () => undefined);
  });
}

/**
 * `up --demo`: applies the demo's manifests (as `-f` would, recorded under a source no `-f` path
 * covers, so `--watch` never prunes them), then puts its objects through S3. Says what went wrong and
 * returns false when either step fails.
 */
async function seedDemo(
  data: { readonly store: Store; readonly credentialsPath: string },
  converge: ConvergeOptions,
  endpoint: string,
  region: string,
  issuer: string,
  logger: Logger,
  io: CommandIo,
): Promise<boolean> {
  const result = await convergeManifests(data.store, [demoManifests(converge.accountId, issuer)], converge);
  for (const p of result.problems) logManifestProblem(logger, p);
  const fail = (why: string) => {
    logger.error('the demo could not be created', { why }, `openirsa: the demo could not be created: ${why}`);
    return false;
  };
  if (!result.ok) return fail('its manifests were not applied');
  const credentials = readCredentials(await readFile(data.credentialsPath, 'utf8'));
  if (credentials === undefined) return fail(`no credentials in \`${data.credentialsPath}\``);
  const problems = await putDemoObjects({ endpoint, credentials }, region, {
    fetch,
    now: () => io.clock.now(),
  });
  for (const p of problems) logger.error('demo', { problem: p }, `openirsa: demo: ${p}`);
  if (problems.length > 0) return fail('its objects were not stored');
  return true;
}

function isLoopbackAddress(address: string): boolean {
  return address === '::1' || /^127\./.test(address) || /^::ffff:127\./.test(address);
}

/** The `--oidc-ca-file` certificates, or `undefined` (after saying why) when unusable. */
async function readCaFile(path: string, logger: Logger): Promise<readonly string[] | undefined> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code ?? String(e);
    logger.error(
      'cannot read --oidc-ca-file',
      { path, code },
      `openirsa: cannot read \`--oidc-ca-file\` \`${path}\`: ${code}`,
    );
    return undefined;
  }
  const bundle = parseCaBundle(text);
  if (!bundle.ok) {
    logger.error(
      'bad --oidc-ca-file',
      { path, message: bundle.message },
      `openirsa: \`--oidc-ca-file\` \`${path}\`: ${bundle.message}`,
    );
    return undefined;
  }
  return bundle.certificates;
}

/**
 * One re-apply of `up --watch`: the files are read again and converged (with prune); a file that cannot
 * be read or is rejected is logged, and the store keeps the last good state.
 */
async function reapply(store: Store, roots: readonly string[], converge: ConvergeOptions, logger: Logger) {
  const at = new Date(converge.clock.now()).toISOString();
  logger.info('manifests changed, applying', {}, `openirsa: ${at}: manifests changed, applying`);
  let files: ParsedFile[];
  try {
    files = await loadManifestPaths(roots);
  } catch (e) {
    const { code, path } = e as NodeJS.ErrnoException;
    logger.error(
      'cannot read manifests; keeping the last good state',
      { path, code: code ?? String(e) },
      `openirsa: cannot read manifests${path !== undefined ? ` \`${path}\`` : ''}: ${code ?? String(e)}; keeping the last good state`,
    );
    return;
  }
  logConvergeResult(logger, await convergeManifests(store, files, converge));
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
