import { parseArgs } from 'node:util';
import { MemoryRing } from '../audit/memory-ring.js';
import { JsonlFileSink } from '../audit/jsonl-file-sink.js';
import { teeSink } from '../audit/sink.js';
import { isAccountId } from '../shared/arn.js';
import { randomIds } from '../shared/ids.js';
import { openDataDir } from '../server/data-dir.js';
import { close, DEFAULT_HOST, listen } from '../server/listen.js';
import { createServer } from '../server/server.js';
import { join } from 'node:path';
import { UsageError, type CommandIo } from './io.js';

export const upHelp = `usage: openirsa up [--port 4566] [--host 127.0.0.1] [--data DIR] [--account ID] [--region R]

Runs openirsa (STS and IAM over the AWS wire protocol) on one port, with its state in DIR.
On first start it creates DIR (mode 0700), an account, and a random root access key, written to
DIR/credentials as the AWS profile \`openirsa\` (mode 0600). Stops cleanly on Ctrl-C or SIGTERM.

Options:
  --port N       port to listen on (default 4566; 0 picks a free port and prints it)
  --host H       address to bind (default 127.0.0.1: loopback only)
  --data DIR     data directory (default ./.openirsa)
  --account ID   the 12-digit account id (default 000000000000)
  --region R     the region to answer for (default us-east-1)

Example:
  openirsa up --data ./.openirsa
  AWS_SHARED_CREDENTIALS_FILE=./.openirsa/credentials AWS_PROFILE=openirsa \\
    aws --endpoint-url http://127.0.0.1:4566 sts get-caller-identity
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
}

export function parseUpArgs(args: string[]): UpOptions {
  const { values } = parseArgs({
    args,
    strict: true,
    allowPositionals: false,
    options: {
      port: { type: 'string', default: '4566' },
      host: { type: 'string', default: DEFAULT_HOST },
      data: { type: 'string', default: './.openirsa' },
      account: { type: 'string', default: '000000000000' },
      region: { type: 'string', default: 'us-east-1' },
    },
  });
  if (!/^\d{1,5}$/.test(values.port) || Number(values.port) > 65535) {
    throw new UsageError(`\`--port\` expects a port number 0-65535, got \`${values.port}\``);
  }
  if (!isAccountId(values.account)) {
    throw new UsageError(`\`--account\` expects 12 digits, got \`${values.account}\``);
  }
  if (!/^[a-z0-9-]{1,32}$/.test(values.region)) {
    throw new UsageError(
      `\`--region\` expects a region name such as \`us-east-1\`, got \`${values.region}\``,
    );
  }
  if (values.host === '') throw new UsageError('`--host` expects an address, got an empty string');
  if (values.data === '') throw new UsageError('`--data` expects a directory, got an empty string');
  return {
    port: Number(values.port),
    host: values.host,
    data: values.data,
    account: values.account,
    region: values.region,
  };
}

/**
 * `openirsa up`: opens (or creates) the data directory, serves until `stop` aborts, then closes the
 * listener, the audit sink and the store, and returns 0.
 */
export async function up(
  args: string[],
  io: CommandIo,
  stop: AbortSignal = processStopSignal(),
): Promise<number> {
  const options = parseUpArgs(args);
  const ids = randomIds;
  const data = await openDataDir({ dir: options.data, accountId: options.account, clock: io.clock, ids });
  const audit = teeSink(
    new MemoryRing(),
    new JsonlFileSink({ dir: join(data.dir, 'audit'), clock: io.clock }),
  );
  const server = createServer({
    store: data.store,
    clock: io.clock,
    ids,
    region: options.region,
    audit,
    logger: {
      error: (message, fields) => io.stderr(`${JSON.stringify({ level: 'error', message, ...fields })}\n`),
    },
  });
  try {
    const address = await listen(server, options.port, options.host);
    const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;
    const endpoint = `http://${host}:${address.port}`;
    io.stdout(
      [
        `openirsa is up${data.created ? ' (new data directory)' : ''}`,
        `  endpoint     ${endpoint}`,
        `  port         ${address.port}`,
        `  region       ${options.region}`,
        `  account      ${options.account}`,
        `  credentials  ${data.credentialsPath} (profile openirsa)`,
        `  health       ${endpoint}/_openirsa/health`,
        '',
        'Try it:',
        `  AWS_SHARED_CREDENTIALS_FILE=${data.credentialsPath} AWS_PROFILE=openirsa AWS_DEFAULT_REGION=${options.region} \\`,
        `    aws --endpoint-url ${endpoint} sts get-caller-identity`,
        '',
        'Ctrl-C stops it.',
        '',
      ].join('\n'),
    );
    if (!stop.aborted)
      await new Promise<void>((resolve) => stop.addEventListener('abort', () => resolve(), { once: true }));
    io.stdout('openirsa: stopping\n');
    await close(server);
  } finally {
    if (server.listening) await close(server).catch(() => undefined);
    await audit.close();
    await data.store.close();
  }
  return 0;
}
