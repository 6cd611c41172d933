import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';

const cli = fileURLToPath(new URL('../../src/cli/main.js', import.meta.url));
const examples = fileURLToPath(new URL('../../../examples/', import.meta.url));

function run(args: string[], input = '') {
  const r = spawnSync(process.execPath, [cli, ...args], { input, encoding: 'utf8' });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

test('--help on every command, with examples, exits 0', () => {
  for (const args of [
    ['--help'],
    ['policy', '--help'],
    ['policy', 'simulate', '--help'],
    ['policy', 'explain', '--help'],
    ['policy', 'validate', '--help'],
  ]) {
    const r = run(args);
    assert.equal(r.status, 0, args.join(' '));
    assert.match(r.stdout, /usage: openirsa/);
  }
  assert.match(run(['policy', 'simulate', '--help']).stdout, /Example:/);
});

test('an unknown command or flag is a usage error, exit 2, on stderr', () => {
  const r = run(['frobnicate']);
  assert.equal(r.status, 2);
  assert.equal(r.stderr, 'openirsa: unknown command `frobnicate`; run `openirsa --help`\n');
  const f = run(['policy', 'simulate', '--nope']);
  assert.equal(f.status, 2);
  assert.equal(f.stderr, 'openirsa: unknown option `--nope`; run `openirsa policy simulate --help`\n');
  assert.equal(run([]).status, 2);
});

test('simulate answers each JSON line in order, a broken line with an error, and exits 1 when one was malformed', () => {
  const input = [
    JSON.stringify({
      id: 'a',
      principal: 'arn:aws:iam::111122223333:root',
      action: 's3:GetObject',
      resource: 'arn:aws:s3:::b/k',
    }),
    '{not json',
    JSON.stringify({ id: 'c', principal: 'anonymous', action: 's3:GetObject', resource: 'arn:aws:s3:::b/k' }),
  ].join('\n');
  const r = run(['policy', 'simulate'], input);
  assert.equal(r.status, 1);
  const lines = r.stdout
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l) as { id?: string; decision?: string; error?: string });
  assert.equal(lines.length, 3);
  assert.equal(lines[0]?.decision, 'allowed');
  assert.match(lines[1]?.error ?? '', /^line 2 is not valid JSON/);
  assert.equal(lines[2]?.decision, 'implicitDeny');
  assert.equal(lines[2]?.id, 'c');
});

test('simulate reads one pretty-printed object too, and --trace adds the trace', () => {
  const req = {
    principal: 'arn:aws:iam::111122223333:user/alice',
    action: 's3:GetObject',
    resource: 'arn:aws:s3:::b/k',
    identityPolicies: [
      { Version: '2012-10-17', Statement: { Effect: 'Allow', Action: 's3:*', Resource: '*' } },
    ],
  };
  const r = run(['policy', 'simulate', '--trace'], JSON.stringify(req, null, 2));
  assert.equal(r.status, 0);
  const out = JSON.parse(r.stdout) as { decision: string; trace: unknown[] };
  assert.equal(out.decision, 'allowed');
  assert.equal(out.trace.length, 1);
});

test('the README example explains four IRSA decisions', () => {
  const r = run(
    ['policy', 'explain'],
    spawnSync('cat', [join(examples, 'irsa-requests.jsonl')], { encoding: 'utf8' }).stdout,
  );
  assert.equal(r.status, 0);
  assert.match(r.stdout, /\[team-a-assumes-its-role\] allowed/);
  assert.match(
    r.stdout,
    /\[team-b-cannot-assume-it\] implicitDeny: .*\n {2}aws: Not authorized to perform sts:AssumeRoleWithWebIdentity/,
  );
  assert.match(
    r.stdout,
    /expected `system:serviceaccount:team-a:app`, the request has `system:serviceaccount:team-b:app`/,
  );
  assert.match(r.stdout, /\[team-a-cannot-read-team-b\] implicitDeny/);
});

test('validate: findings as text or JSON; exit 1 only when IAM would refuse the document', () => {
  const ok = run(['policy', 'validate', '--kind', 'trust', join(examples, 'trust-policy.json')]);
  assert.equal(ok.status, 0);
  assert.match(ok.stdout, /warning MISSING_AUDIENCE_CONDITION at \/Statement\/0\/Principal\/Federated/);
  const dir = mkdtempSync(join(tmpdir(), 'openirsa-'));
  const bad = join(dir, 'bad.json');
  writeFileSync(
    bad,
    '{"Version":"2012-10-17","Statement":{"Effect":"allow","Action":"s3:GetObject","Resource":"*"}}',
  );
  const r = run(['policy', 'validate', '--json', bad]);
  assert.equal(r.status, 1);
  const out = JSON.parse(r.stdout) as { kind: string; findings: { code: string; severity: string }[] };
  assert.equal(out.kind, 'identity');
  assert.deepEqual(
    out.findings.map((f) => [f.severity, f.code]),
    [['error', 'INVALID_EFFECT']],
  );
  assert.equal(run(['policy', 'validate', join(dir, 'missing.json')]).status, 2);
  assert.equal(run(['policy', 'validate', '--kind', 'nope', bad]).status, 2);
});

test('a repeated element in a policy given inline as an object is still an error', () => {
  const line =
    '{"principal":"arn:aws:iam::111122223333:user/u","action":"s3:GetObject","resource":"arn:aws:s3:::b/k",' +
    '"identityPolicies":[{"Version":"2012-10-17","Statement":[{"Effect":"Deny","Effect":"Allow","Action":"s3:GetObject","Resource":"*"}]}]}';
  const r = run(['policy', 'simulate'], line);
  const out = JSON.parse(r.stdout) as {
    decision: string;
    reason: string;
    policyErrors: { code: string; path: string }[];
  };
  assert.equal(out.decision, 'implicitDeny');
  assert.equal(out.reason, 'policyErrors');
  assert.deepEqual(out.policyErrors[0], {
    policy: 'identityPolicies/0',
    severity: 'error',
    code: 'DUPLICATE_KEY',
    message: '`Effect` appears more than once',
    path: '/Statement/0/Effect',
  });
});
