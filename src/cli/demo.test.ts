import assert from 'node:assert/strict';
import { test } from 'node:test';
import { demoManifests, demoTryIt, DEMO_SOURCE } from './demo.js';

test('the demo manifests load without problems: namespace, service account, role, two buckets', () => {
  const file = demoManifests('000000000000', 'http://127.0.0.1:4566');
  assert.equal(file.file, DEMO_SOURCE);
  assert.deepEqual(file.problems, []);
  assert.equal(file.rejected, false);
  const kinds = file.manifests.map(
    (m) => `${m.manifest.kind}/${'name' in m.manifest ? m.manifest.name : ''}`,
  );
  assert.deepEqual(kinds, [
    'Namespace/team-a',
    'ServiceAccount/app',
    'Role/team-a-app',
    'Bucket/team-a-data',
    'Bucket/team-b-data',
  ]);
});

test("the role trusts team-a/app's tokens of the server's issuer, named without its scheme", () => {
  const file = demoManifests('111122223333', 'http://127.0.0.1:39999/');
  const role = file.manifests.find((m) => m.manifest.kind === 'Role')?.manifest;
  assert.ok(role?.kind === 'Role');
  const trust = JSON.parse(role.trustPolicy) as {
    Statement: { Principal: { Federated: string }; Condition: { StringEquals: Record<string, string> } }[];
  };
  const statement = trust.Statement[0];
  assert.equal(statement?.Principal.Federated, 'arn:aws:iam::111122223333:oidc-provider/127.0.0.1:39999');
  assert.deepEqual(statement?.Condition.StringEquals, {
    '127.0.0.1:39999:sub': 'system:serviceaccount:team-a:app',
    '127.0.0.1:39999:aud': 'sts.amazonaws.com',
  });
  const sa = file.manifests.find((m) => m.manifest.kind === 'ServiceAccount')?.manifest;
  assert.ok(sa?.kind === 'ServiceAccount');
  assert.equal(sa.roleArn, 'arn:aws:iam::111122223333:role/team-a-app');
});

test('the try-it commands name --endpoint and --data only when they are not the defaults', () => {
  const defaults = demoTryIt({
    endpoint: 'http://127.0.0.1:4566',
    dataDir: './.openirsa',
    defaultEndpoint: true,
    defaultDataDir: true,
  }).join('\n');
  assert.match(defaults, /npx openirsa exec --service-account team-a\/app -- aws s3 ls s3:\/\/team-a-data/);
  assert.match(defaults, /npx openirsa exec --service-account team-a\/app -- aws s3 ls s3:\/\/team-b-data/);
  assert.match(defaults, /npx openirsa explain --last-denied {2}/);
  assert.doesNotMatch(defaults, /--endpoint|--data/);
  const other = demoTryIt({
    endpoint: 'http://127.0.0.1:5000',
    dataDir: '/tmp/d',
    defaultEndpoint: false,
    defaultDataDir: false,
  }).join('\n');
  assert.match(other, /exec --endpoint http:\/\/127\.0\.0\.1:5000 --data \/tmp\/d --service-account/);
  assert.match(other, /explain --last-denied --data \/tmp\/d/);
  assert.match(other, /exec --old-sdk --endpoint /);
});
