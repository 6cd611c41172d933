import assert from 'node:assert/strict';
import { test } from 'node:test';
import { fixedClock } from '../shared/clock.js';
import { sequentialIds } from '../shared/ids.js';
import { openSqliteStore } from '../store/sqlite/sqlite-store.js';
import { applyManifests } from './apply-manifests.js';
import { parseManifestFile } from './manifests.js';

const ACCOUNT = '111122223333';

const bucket = (spec: string) => `apiVersion: s3.services.k8s.aws/v1alpha1
kind: Bucket
metadata: {name: data}
spec:
${spec}`;

const POLICY_MAP = `  policy:
    Version: "2012-10-17"
    Statement:
      - {Effect: Allow, Principal: {AWS: "arn:aws:iam::444455556666:root"}, Action: "s3:GetObject", Resource: "arn:aws:s3:::team-data/*"}`;

test('a Bucket with a YAML-map policy and publicAccessBlock is created, then unchanged, then updated', async () => {
  const store = openSqliteStore({ path: ':memory:' });
  await store.accounts.create({ id: ACCOUNT, createdAt: 0 });
  const ctx = { accountId: ACCOUNT, partition: 'aws', clock: fixedClock(1_000), ids: sequentialIds() };
  const text = bucket(
    `  name: team-data\n${POLICY_MAP}\n  publicAccessBlock: {blockPublicPolicy: true, restrictPublicBuckets: true}`,
  );
  const parsed = parseManifestFile(text, 'b.yaml');
  assert.deepEqual(parsed.problems, []);
  const first = await applyManifests(store, [parsed], ctx);
  assert.deepEqual(first.applied, [{ kind: 'Bucket', name: 'team-data', action: 'created' }]);
  const stored = await store.buckets.get('team-data');
  assert.equal(stored?.accountId, ACCOUNT);
  const policy = JSON.parse(stored?.policy ?? '{}') as { Statement: { Action: string }[] };
  assert.equal(policy.Statement[0]?.Action, 's3:GetObject');
  assert.deepEqual(stored?.publicAccessBlock, {
    blockPublicAcls: false,
    ignorePublicAcls: false,
    blockPublicPolicy: true,
    restrictPublicBuckets: true,
  });
  const again = await applyManifests(store, [parsed], ctx);
  assert.deepEqual(again.applied, [{ kind: 'Bucket', name: 'team-data', action: 'unchanged' }]);
  const bare = await applyManifests(store, [parseManifestFile(bucket('  name: team-data'), 'b.yaml')], ctx);
  assert.deepEqual(bare.applied, [{ kind: 'Bucket', name: 'team-data', action: 'updated' }]);
  const after = await store.buckets.get('team-data');
  assert.equal(after?.policy, undefined);
  assert.equal(after?.publicAccessBlock, undefined);
  await store.close();
});

test('bad names, public policies under blockPublicPolicy and bad settings reject the file; unknown fields warn', () => {
  const problems = (spec: string) =>
    parseManifestFile(bucket(spec), 'b.yaml').problems.map((p) => [p.severity, p.path]);
  assert.deepEqual(problems('  name: Bad_Name'), [['error', 'spec.name']]);
  const publicPolicy = `  policy: '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":"*","Action":"s3:GetObject","Resource":"arn:aws:s3:::ok-name/*"}]}'`;
  assert.deepEqual(
    problems(`  name: ok-name\n${publicPolicy}\n  publicAccessBlock: {blockPublicPolicy: true}`),
    [['error', 'spec.policy']],
  );
  assert.deepEqual(problems(`  name: ok-name\n${publicPolicy}`), []);
  assert.deepEqual(problems('  name: ok-name\n  publicAccessBlock: {blockPublicPolicy: "yes"}'), [
    ['error', 'spec.publicAccessBlock.blockPublicPolicy'],
  ]);
  assert.deepEqual(problems('  name: ok-name\n  tagging: {tagSet: []}'), [['warning', 'spec.tagging']]);
  assert.equal(parseManifestFile(bucket('  name: Bad_Name'), 'b.yaml').rejected, true);
});

test('a bucket owned by another account is an error, and nothing of the apply is written', async () => {
  const store = openSqliteStore({ path: ':memory:' });
  await store.accounts.create({ id: ACCOUNT, createdAt: 0 });
  await store.accounts.create({ id: '444455556666', createdAt: 0 });
  await store.buckets.create({ name: 'taken', accountId: '444455556666', region: 'us-east-1', createdAt: 0 });
  const ctx = { accountId: ACCOUNT, partition: 'aws', clock: fixedClock(1_000), ids: sequentialIds() };
  const text = `${bucket('  name: fresh')}\n---\n${bucket('  name: taken')}`;
  const result = await applyManifests(store, [parseManifestFile(text, 'b.yaml')], ctx);
  assert.deepEqual(result.applied, []);
  assert.deepEqual(
    result.problems.map((p) => [p.documentIndex, p.path, p.message]),
    [[1, 'spec.name', 'bucket `taken` belongs to another account']],
  );
  assert.equal(await store.buckets.get('fresh'), undefined);
  await store.close();
});
