/**
 * The command line's promises, checked on the built CLI as scripts see it: `--help` and `-h` on every
 * command (usage, options, an example; exit 0), one-line usage errors with a hint (exit 2), runtime
 * failures (exit 1) without stack traces, decisions (a denial exits 0), `--log-format json` as one JSON
 * object a line, and the start-up summary. Processes are spawned in parallel; servers bind 127.0.0.1.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { fileURLToPath } from 'node:url';

const cli = fileURLToPath(new URL('../../src/cli/main.js', import.meta.url));
/** The test's environment without openirsa's own variables, which would change the defaults. */
const ENV: Record<string, string | undefined> = Object.fromEntries(
  Object.entries({ ...process.env, AWS_EC2_METADATA_DISABLED: 'true' }).filter(
    ([k]) => !['OPENIRSA_LOG_FORMAT', 'OPENIRSA_ENDPOINT', 'OPENIRSA_DATA'].includes(k),
  ),
);

interface Run {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

function run(
  args: readonly string[],
  opts: { env?: Record<string, string>; input?: string } = {},
): Promise<Run> {
  const child = spawn(process.execPath, [cli, ...args], {
    env: { ...ENV, ...opts.env },
    cwd: tmp,
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
  child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
  child.stdin.end(opts.input ?? '');
  return new Promise((resolve) => child.once('close', (code) => resolve({ code, stdout, stderr })));
}

let tmp = '';
before(async () => {
  tmp = await mkdtemp(join(tmpdir(), 'openirsa-cli-contract-'));
});
after(async () => {
  await rm(tmp, { recursive: true, force: true });
});

/** Every command and subcommand, as typed. */
const COMMANDS: readonly (readonly string[])[] = [
  ['up'],
  ['policy'],
  ['policy', 'simulate'],
  ['policy', 'explain'],
  ['policy', 'validate'],
  ['token'],
  ['explain'],
  ['apply'],
  ['rotate-signing-key'],
  ['exec'],
  ['webhook'],
  ['k8s'],
  ['k8s', 'manifests'],
];

/** A usage error: exit 2, nothing on stdout, exactly one line on stderr ending in the hint. */
function assertUsage(r: Run, hint: string, what: string): void {
  assert.equal(r.code, 2, `${what}: ${r.stderr}`);
  assert.equal(r.stdout, '', what);
  assert.match(r.stderr, /^openirsa: [^\n]+\n$/, what);
  assert.ok(r.stderr.endsWith(`; run \`${hint}\`\n`), `${what}: ${r.stderr}`);
  assert.doesNotMatch(r.stderr, /\n\s+at /, what);
}

test('--help on every command: usage, its options, an example, exit 0, nothing on stderr', async () => {
  // `-h` and the usage errors of every command are checked in-process (src/cli/main.test.ts).
  const cases = [[], ...COMMANDS].map((c) => [...c, '--help']);
  const results = await Promise.all(cases.map((args) => run(args)));
  results.forEach((r, i) => {
    const args = cases[i] ?? [];
    const what = args.join(' ');
    assert.equal(r.code, 0, what);
    assert.equal(r.stderr, '', what);
    const name = args.slice(0, -1).join(' ');
    assert.match(r.stdout, new RegExp(`usage: openirsa${name === '' ? '' : ` ${name}`}`), what);
    assert.match(r.stdout, /\n {2}-h, --help +print this help/, what);
    assert.match(r.stdout, /\nExamples?:\n {2}(openirsa|openssl|echo) /, what);
  });
  // The two commands that serve take --log-format.
  assert.match(results[1]?.stdout ?? '', /--log-format F/);
  const webhook = results[cases.findIndex((a) => a[0] === 'webhook')];
  assert.match(webhook?.stdout ?? '', /--log-format F/);
});

test('`openirsa help COMMAND` prints that command help; `--version` the version', async () => {
  const [upHelp, simulateHelp, version, unknown] = await Promise.all([
    run(['help', 'up']),
    run(['help', 'policy', 'simulate']),
    run(['--version']),
    run(['help', 'nope']),
  ]);
  assert.match(upHelp.stdout, /^usage: openirsa up /);
  assert.match(simulateHelp.stdout, /^usage: openirsa policy simulate /);
  assert.equal(version.stdout, '0.1.0\n');
  assertUsage(unknown, 'openirsa --help', 'help nope');
});

test('an unknown command, an unknown flag, a missing argument: one line with a hint, exit 2', async () => {
  const cases: [string[], string][] = [
    [[], 'openirsa --help'],
    [['frobnicate'], 'openirsa --help'],
    [['policy'], 'openirsa policy --help'],
    [['up', '--nope'], 'openirsa up --help'],
    [['up', '--port'], 'openirsa up --help'],
    [['up', '--log-format', 'yaml'], 'openirsa up --help'],
    [['webhook', '--log-format', 'xml'], 'openirsa webhook --help'],
    [['token'], 'openirsa token --help'],
  ];
  const results = await Promise.all(cases.map(([args]) => run(args)));
  results.forEach((r, i) => {
    const [args, hint] = cases[i] ?? [[], ''];
    assertUsage(r, hint, args.join(' ') || '(no command)');
  });
  assert.equal(results[1]?.stderr, 'openirsa: unknown command `frobnicate`; run `openirsa --help`\n');
  assert.equal(results[3]?.stderr, 'openirsa: unknown option `--nope`; run `openirsa up --help`\n');
  assert.equal(results[4]?.stderr, 'openirsa: `--port` needs a value; run `openirsa up --help`\n');
  assert.equal(
    results[5]?.stderr,
    'openirsa: `--log-format` expects text or json, got `yaml`; run `openirsa up --help`\n',
  );
});

test('a bad OPENIRSA_LOG_FORMAT is a usage error too (a machine asking for json never gets text)', async () => {
  const r = await run(['up', '--port', '0', '--data', join(tmp, 'never')], {
    env: { OPENIRSA_LOG_FORMAT: 'jsn' },
  });
  assertUsage(r, 'openirsa up --help', 'OPENIRSA_LOG_FORMAT=jsn');
  assert.match(r.stderr, /`OPENIRSA_LOG_FORMAT` expects text or json, got `jsn`/);
});

test('deciding commands exit 0 for a denial and 1 only for malformed input; explain exits 1 when not found', async () => {
  const denied = JSON.stringify({
    principal: 'arn:aws:iam::111122223333:user/alice',
    action: 's3:GetObject',
    resource: 'arn:aws:s3:::b/k',
  });
  const badPolicy = join(tmp, 'bad-policy.json');
  await writeFile(
    badPolicy,
    '{"Version":"2012-10-17","Statement":[{"Effect":"Maybe","Action":"s3:*","Resource":"*"}]}',
  );
  const [simulate, explainDenied, malformed, validate, notFound] = await Promise.all([
    run(['policy', 'simulate'], { input: denied }),
    run(['policy', 'explain'], { input: denied }),
    run(['policy', 'explain'], { input: '{not json\n' }),
    run(['policy', 'validate', badPolicy]),
    run(['explain', 'no-such-request', '--data', join(tmp, 'empty')]),
  ]);
  assert.equal(simulate.code, 0, simulate.stderr);
  assert.equal((JSON.parse(simulate.stdout) as { decision: string }).decision, 'implicitDeny');
  assert.equal(explainDenied.code, 0, explainDenied.stderr);
  assert.match(explainDenied.stdout, /implicitDeny/);
  assert.equal(malformed.code, 1);
  assert.equal(validate.code, 1);
  assert.equal(notFound.code, 1);
  assert.equal(notFound.stderr.split('\n').length, 2, notFound.stderr);
});

test('a server that cannot be reached is exit 1, one line, no stack trace', async () => {
  const port = await closedPort();
  const data = join(tmp, 'creds');
  await mkdir(data, { recursive: true });
  await writeFile(
    join(data, 'credentials'),
    '[openirsa]\naws_access_key_id = AKIAEXAMPLEEXAMPLE00\naws_secret_access_key = c2VjcmV0c2VjcmV0c2VjcmV0c2VjcmV0c2VjcmV0\n',
  );
  const endpoint = `http://127.0.0.1:${port}`;
  const results = await Promise.all([
    run(['token', '--service-account', 'a/b', '--endpoint', endpoint, '--data', data]),
    run(['rotate-signing-key', '--endpoint', endpoint, '--data', data]),
  ]);
  for (const r of results) {
    assert.equal(r.code, 1, r.stderr);
    assert.match(r.stderr, /^openirsa: [^\n]+\n$/);
    assert.doesNotMatch(r.stderr, /c2VjcmV0|\n\s+at /);
  }
});

test('up on a port in use says so in one line and exits 1; in json it is one error object', async () => {
  const busy = await listening();
  try {
    const port = String(portOf(busy));
    const [text, json] = await Promise.all([
      run(['up', '--port', port, '--data', join(tmp, 'busy-text')]),
      run(['up', '--port', port, '--data', join(tmp, 'busy-json'), '--log-format', 'json']),
    ]);
    assert.equal(text.code, 1);
    assert.equal(text.stdout, '');
    assert.equal(
      text.stderr,
      `openirsa: cannot listen on 127.0.0.1:${port}: the port is in use (another openirsa? \`--port 0\` picks a free one)\n`,
    );
    assert.equal(json.code, 1);
    const line = JSON.parse(json.stderr) as Record<string, unknown>;
    assert.deepEqual(
      { level: line.level, msg: line.msg, host: line.host, port: line.port, code: line.code },
      { level: 'error', msg: 'cannot listen', host: '127.0.0.1', port: Number(port), code: 'EADDRINUSE' },
    );
  } finally {
    await new Promise((resolve) => busy.close(resolve));
  }
});

test('webhook --log-format json: its errors are JSON lines too', async () => {
  const r = await run(['webhook', '--data', join(tmp, 'no-store'), '--port', '0', '--log-format', 'json']);
  assert.equal(r.code, 1);
  const line = JSON.parse(r.stderr) as Record<string, unknown>;
  assert.equal(line.level, 'error');
  assert.equal(line.msg, 'cannot open the service-account source');
  assert.match(String(line.reason), /^no store in `[^`]+no-store`/);
  assert.match(String(line.time), /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/);
});

test('up --log-format json: the start-up summary is one event, a denial is one event, stopping exits 0', async () => {
  const manifests = join(tmp, 'manifests.yaml');
  await writeFile(
    manifests,
    'apiVersion: v1\nkind: ServiceAccount\nmetadata: {name: app, namespace: team-a}\n---\napiVersion: s3.services.k8s.aws/v1alpha1\nkind: Bucket\nmetadata: {name: contract-data}\nspec: {name: contract-data}\n',
  );
  const data = join(tmp, 'json-up');
  const child = spawn(process.execPath, [cli, 'up', '--port', '0', '--data', data, '-f', manifests], {
    env: { ...ENV, OPENIRSA_LOG_FORMAT: 'json' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
  child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
  const exited = new Promise<number | null>((resolve) => child.once('close', (code) => resolve(code)));
  try {
    const summary = await until(() => events(stdout).find((e) => e.msg === 'openirsa is up'));
    assert.equal(summary.level, 'info');
    assert.match(String(summary.endpoint), /^http:\/\/127\.0\.0\.1:\d+$/);
    assert.equal(summary.issuer, summary.endpoint);
    assert.equal(summary.account, '000000000000');
    assert.equal(summary.region, 'us-east-1');
    assert.equal(summary.credentialsFile, join(data, 'credentials'));
    assert.equal(summary.auditDir, join(data, 'audit'));
    assert.equal(summary.dataDir, data);
    assert.deepEqual(summary.manifests, {
      files: 1,
      objects: 2,
      byKind: { Bucket: 1, ServiceAccount: 1 },
      byAction: { created: 2 },
    });
    assert.match(
      String(summary.next),
      /aws --endpoint-url http:\/\/127\.0\.0\.1:\d+ sts get-caller-identity$/,
    );
    // A second `up` on the same data directory is refused in one line, naming the first one's pid.
    const second = await run(['up', '--port', '0', '--data', data]);
    assert.equal(second.code, 1, second.stderr);
    assert.equal(second.stdout, '');
    assert.equal(
      second.stderr,
      `openirsa: not starting: the data directory \`${data}\` is in use by another \`openirsa up\` (pid ${child.pid}); stop it, or give this one another --data\n`,
    );
    // An anonymous S3 read is denied: one event with the request id, the error code and the why.
    const res = await fetch(`${String(summary.endpoint)}/contract-data/key`);
    const requestId = res.headers.get('x-amz-request-id');
    await res.arrayBuffer();
    const denial = await until(() => events(stdout).find((e) => e.msg === 'request denied'));
    assert.equal(denial.requestId, requestId);
    assert.equal(denial.action, 's3:GetObject');
    assert.equal(denial.principal, 'anonymous');
    assert.equal(typeof denial.errorCode, 'string');
    assert.equal(typeof denial.explanation, 'string');
  } finally {
    child.kill('SIGTERM');
  }
  assert.equal(await exited, 0, stderr);
  assert.equal(stderr, '');
  // Every line of stdout is one JSON object with time, level and msg; the last says it stopped.
  const all = events(stdout);
  assert.equal(all.length, stdout.trim().split('\n').length);
  for (const e of all)
    assert.ok(typeof e.time === 'string' && typeof e.level === 'string' && typeof e.msg === 'string');
  assert.equal(all.at(-1)?.msg, 'stopping');
});

function events(text: string): Record<string, unknown>[] {
  return text
    .split('\n')
    .filter((l) => l.trim() !== '')
    .map((l) => JSON.parse(l) as Record<string, unknown>);
}

async function until<T>(probe: () => T | undefined): Promise<T> {
  for (let i = 0; i < 400; i++) {
    const v = probe();
    if (v !== undefined) return v;
    await new Promise((r) => setTimeout(r, 25));
  }
  throw new Error('timed out');
}

function listening(): Promise<Server> {
  const server = createServer();
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server)));
}

function portOf(server: Server): number {
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('not listening on TCP');
  return address.port;
}

/** A loopback port nothing listens on (bound, then closed). */
async function closedPort(): Promise<number> {
  const server = await listening();
  const port = portOf(server);
  await new Promise((resolve) => server.close(resolve));
  return port;
}
