import assert from 'node:assert/strict';
import { test } from 'node:test';
import { EXIT_FINDINGS, EXIT_INTERNAL, EXIT_OK, EXIT_USAGE } from './io.js';
import { main, usageMessage } from './main.js';
import { recordingIo } from './testdata/recording-io.js';

const capture = () => recordingIo();

const COMMANDS = [
  [],
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

test('the exit codes scripts rely on: 0 success, 1 failure, 2 usage, 70 internal', () => {
  assert.deepEqual([EXIT_OK, EXIT_FINDINGS, EXIT_USAGE, EXIT_INTERNAL], [0, 1, 2, 70]);
});

test('-h prints the same help as --help, on stdout, exit 0, for every command', async () => {
  for (const c of COMMANDS) {
    const short = capture();
    const long = capture();
    assert.equal(await main([...c, '-h'], short.io), 0, c.join(' '));
    assert.equal(await main([...c, '--help'], long.io), 0, c.join(' '));
    assert.deepEqual(short.out, long.out, c.join(' '));
    assert.deepEqual(short.err, [], c.join(' '));
    assert.match(short.out.join(''), /Examples?:\n/, c.join(' '));
  }
});

test('exec: a --help after `--` is the command, not exec', async () => {
  const t = capture();
  assert.equal(await main(['exec', '--help', '--', 'ls'], t.io), 0);
  assert.match(t.out.join(''), /^usage: openirsa exec/);
});

const USAGE: readonly [readonly string[], string][] = [
  [[], 'openirsa: name a command; run `openirsa --help`'],
  [['frobnicate'], 'openirsa: unknown command `frobnicate`; run `openirsa --help`'],
  [['constructor'], 'openirsa: unknown command `constructor`; run `openirsa --help`'],
  [
    ['policy'],
    'openirsa: name a command: `policy simulate`, `policy explain` or `policy validate`; run `openirsa policy --help`',
  ],
  [
    ['policy', 'toString'],
    'openirsa: unknown command `policy toString`; expected `policy simulate`, `policy explain` or `policy validate`; run `openirsa policy --help`',
  ],
  [['up', '--nope'], 'openirsa: unknown option `--nope`; run `openirsa up --help`'],
  [['up', '-x'], 'openirsa: unknown option `-x`; run `openirsa up --help`'],
  [['up', '--port'], 'openirsa: `--port` needs a value; run `openirsa up --help`'],
  [['up', '--demo=yes'], 'openirsa: `--demo` takes no value; run `openirsa up --help`'],
  [['up', 'extra'], 'openirsa: unexpected argument `extra`; run `openirsa up --help`'],
  [
    ['up', '--port', '70000'],
    'openirsa: `--port` expects a port number 0-65535, got `70000`; run `openirsa up --help`',
  ],
  [
    ['up', '--log-format', 'yaml'],
    'openirsa: `--log-format` expects text or json, got `yaml`; run `openirsa up --help`',
  ],
  [
    ['up', '--log-format'],
    'openirsa: `--log-format` expects text or json, got nothing; run `openirsa up --help`',
  ],
  [
    ['webhook', '--log-format=xml'],
    'openirsa: `--log-format` expects text or json, got `xml`; run `openirsa webhook --help`',
  ],
  [['webhook', '--nope'], 'openirsa: unknown option `--nope`; run `openirsa webhook --help`'],
  [
    ['policy', 'simulate', '--nope'],
    'openirsa: unknown option `--nope`; run `openirsa policy simulate --help`',
  ],
  [['policy', 'explain', 'x'], 'openirsa: unexpected argument `x`; run `openirsa policy explain --help`'],
  [
    ['policy', 'validate'],
    'openirsa: name at least one policy file (or - for standard input); run `openirsa policy validate --help`',
  ],
  [['token'], 'openirsa: `--service-account NAMESPACE/NAME` is required; run `openirsa token --help`'],
  [
    ['explain'],
    'openirsa: name one request id, or --last-denied: openirsa explain REQUEST_ID; run `openirsa explain --help`',
  ],
  [['apply'], 'openirsa: `-f FILE_OR_DIR` is required; run `openirsa apply --help`'],
  [
    ['rotate-signing-key', 'now'],
    'openirsa: unexpected argument `now`; run `openirsa rotate-signing-key --help`',
  ],
  [
    ['exec', '--service-account', 'a/b'],
    'openirsa: expected `-- COMMAND [ARGS...]` after the options; run `openirsa exec --help`',
  ],
  [['k8s'], 'openirsa: name a command: `k8s manifests`; run `openirsa k8s --help`'],
  [
    ['k8s', 'manifests', '--bogus'],
    'openirsa: unknown option `--bogus`; run `openirsa k8s manifests --help`',
  ],
  [['help', 'nope'], 'openirsa: unknown command `nope`; run `openirsa --help`'],
  [['help', 'policy', 'nope'], 'openirsa: unknown command `policy nope`; run `openirsa --help`'],
];

test('every usage error is one line on stderr with the hint to --help, nothing on stdout, exit 2', async () => {
  for (const [args, line] of USAGE) {
    const t = capture();
    assert.equal(await main([...args], t.io), 2, args.join(' '));
    assert.deepEqual(t.err, [`${line}\n`], args.join(' '));
    assert.deepEqual(t.out, [], args.join(' '));
  }
});

test('a file named on the command line that cannot be read is a usage error, without a stack', async () => {
  const t = capture();
  assert.equal(await main(['policy', 'validate', 'missing.json'], t.io), 2);
  assert.deepEqual(t.err, ['openirsa: ENOENT: no such file\n']);
});

test('usageMessage leaves errors that are not about the command line alone', () => {
  assert.equal(usageMessage(new Error('boom')), undefined);
  assert.equal(usageMessage(new TypeError('boom')), undefined);
  assert.equal(usageMessage(Object.assign(new TypeError('x'), { code: 'ERR_INVALID_ARG_TYPE' })), undefined);
});
