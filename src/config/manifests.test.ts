import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { loadManifestPaths } from './load-manifests.js';
import { parseManifestFile } from './manifests.js';

const TRUST = `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Federated":"arn:aws:iam::111122223333:oidc-provider/oidc.example.com"},"Action":"sts:AssumeRoleWithWebIdentity","Condition":{"StringEquals":{"oidc.example.com:sub":"system:serviceaccount:team-a:app","oidc.example.com:aud":"sts.amazonaws.com"}}}]}`;

const GOOD = `apiVersion: v1
kind: Namespace
metadata: {name: team-a}
---
apiVersion: v1
kind: ServiceAccount
metadata:
  name: app
  namespace: team-a
  annotations:
    eks.amazonaws.com/role-arn: arn:aws:iam::111122223333:role/team-a-reader
    eks.amazonaws.com/audience: sts.amazonaws.com
    eks.amazonaws.com/sts-regional-endpoints: "true"
    eks.amazonaws.com/token-expiration: "300"
---
apiVersion: iam.services.k8s.aws/v1alpha1
kind: Role
metadata: {name: team-a-reader}
spec:
  name: team-a-reader
  assumeRolePolicyDocument: '${TRUST}'
  inlinePolicies:
    read:
      Version: "2012-10-17"
      Statement:
        - Effect: Allow
          Action: ["s3:GetObject", "s3:ListBucket"]
          Resource: ["arn:aws:s3:::team-a-data", "arn:aws:s3:::team-a-data/*"]
  policies: [arn:aws:iam::aws:policy/ReadOnlyAccess]
  maxSessionDuration: 7200
  tags: [{key: team, value: a}]
---
apiVersion: iam.services.k8s.aws/v1alpha1
kind: OpenIDConnectProvider
metadata: {name: cluster}
spec:
  url: https://oidc.example.com
  clientIDs: [sts.amazonaws.com]
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: ignored}
---
`;

test('Namespace, ServiceAccount with webhook annotations, ACK Role and OIDC provider are read', () => {
  const r = parseManifestFile(GOOD, 'good.yaml');
  assert.equal(r.rejected, false);
  assert.deepEqual(
    r.manifests.map((m) => [m.documentIndex, m.manifest.kind]),
    [
      [0, 'Namespace'],
      [1, 'ServiceAccount'],
      [2, 'Role'],
      [3, 'OpenIDConnectProvider'],
    ],
  );
  const sa = r.manifests[1]?.manifest;
  assert.ok(sa?.kind === 'ServiceAccount');
  assert.equal(sa.roleArn, 'arn:aws:iam::111122223333:role/team-a-reader');
  assert.equal(sa.regionalSts, true);
  assert.equal(sa.tokenExpirationSeconds, 600, 'the webhook raises expirations below 600 s to 600');
  const role = r.manifests[2]?.manifest;
  assert.ok(role?.kind === 'Role');
  assert.equal(role.path, '/');
  assert.deepEqual(role.tags, { team: 'a' });
  const read = JSON.parse(role.inlinePolicies.read ?? '{}') as { Statement: { Effect: string }[] };
  assert.equal(read.Statement[0]?.Effect, 'Allow');
  assert.deepEqual(
    r.problems.map((p) => [p.severity, p.documentIndex, p.message]),
    [['warning', 4, '`apps/v1` `Deployment` is not a kind openirsa applies; skipped']],
  );
});

test('an invalid document rejects the whole file, naming the file, the document and the field', () => {
  const bad = GOOD.replace('"s3:GetObject"', '"s3:GetObject", 42').replace(
    'maxSessionDuration: 7200',
    'maxSessionDuration: 60',
  );
  const r = parseManifestFile(bad, 'bad.yaml');
  assert.equal(r.rejected, true);
  assert.deepEqual(r.manifests, []);
  const errors = r.problems.filter((p) => p.severity === 'error');
  assert.deepEqual(
    errors.map((p) => [p.file, p.documentIndex, p.path]),
    [
      ['bad.yaml', 2, 'spec.inlinePolicies.read#/Statement/0/Action/1'],
      ['bad.yaml', 2, 'spec.maxSessionDuration'],
    ],
  );
  assert.match(errors[1]?.message ?? '', /from 3600 to 43200, found `60`/);
});

test('a trust policy IAM would refuse is an error at its JSON pointer', () => {
  const text = `apiVersion: iam.services.k8s.aws/v1alpha1\nkind: Role\nmetadata: {name: r}\nspec:\n  name: r\n  assumeRolePolicyDocument: '{"Version":"2012-10-17","Statement":[{"Effect":"allow","Principal":"*","Action":"sts:AssumeRole"}]}'\n`;
  const r = parseManifestFile(text, 'r.yaml');
  assert.equal(r.rejected, true);
  assert.equal(r.problems[0]?.path, 'spec.assumeRolePolicyDocument#/Statement/0/Effect');
});

test('YAML syntax errors and duplicate keys are errors with a line', () => {
  const r = parseManifestFile(
    'apiVersion: v1\nkind: Namespace\nkind: Namespace\nmetadata: {name: a}\n',
    'dup.yaml',
  );
  assert.equal(r.rejected, true);
  assert.match(r.problems[0]?.message ?? '', /^YAML syntax error at line 3/);
  assert.equal(parseManifestFile('a: [', 'x.yaml').rejected, true);
});

test('annotation values the webhook ignores are warnings, not errors', () => {
  const text = `apiVersion: v1\nkind: ServiceAccount\nmetadata:\n  name: app\n  annotations:\n    eks.amazonaws.com/sts-regional-endpoints: "yes"\n    eks.amazonaws.com/token-expiration: "soon"\n    eks.amazonaws.com/role-arn: "team-a"\n`;
  const r = parseManifestFile(text, 'sa.yaml');
  assert.equal(r.rejected, false);
  const sa = r.manifests[0]?.manifest;
  assert.ok(sa?.kind === 'ServiceAccount');
  assert.equal(sa.namespace, 'default');
  assert.equal(sa.regionalSts, undefined);
  assert.equal(sa.tokenExpirationSeconds, undefined);
  assert.equal(r.problems.length, 3);
  assert.ok(r.problems.every((p) => p.severity === 'warning'));
});

test('directories load recursively in name order, each file judged on its own', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'openirsa-manifests-'));
  mkdirSync(join(dir, 'b'));
  writeFileSync(join(dir, 'a.yaml'), 'apiVersion: v1\nkind: Namespace\nmetadata: {name: one}\n');
  writeFileSync(join(dir, 'b', 'c.yml'), 'apiVersion: v1\nkind: Namespace\nmetadata: {name: Bad_Name}\n');
  writeFileSync(join(dir, 'notes.txt'), 'not a manifest');
  const files = await loadManifestPaths([dir]);
  assert.deepEqual(
    files.map((f) => [f.file.slice(dir.length), f.rejected, f.manifests.length]),
    [
      ['/a.yaml', false, 1],
      ['/b/c.yml', true, 0],
    ],
  );
});
