import assert from 'node:assert/strict';
import { test } from 'node:test';
import { fixedClock } from '../shared/clock.js';
import { sequentialIds } from '../shared/ids.js';
import { openSqliteStore } from '../store/sqlite/sqlite-store.js';
import type { Store } from '../store/types.js';
import { applyManifests } from './apply-manifests.js';
import { formatManifestProblem } from './format-problem.js';
import { parseManifestFile } from './manifests.js';

const ACCOUNT = '111122223333';
const TRUST = `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Federated":"arn:aws:iam::111122223333:oidc-provider/oidc.example.com"},"Action":"sts:AssumeRoleWithWebIdentity","Condition":{"StringEquals":{"oidc.example.com:sub":"system:serviceaccount:team-a:app"}}}]}`;
const POLICY_ARN = `arn:aws:iam::${ACCOUNT}:policy/shared-read`;

function manifests(options: { read?: string; write?: boolean; attach?: boolean; policyAction?: string }) {
  const inline = [
    `    read:
      Version: "2012-10-17"
      Statement: [{Effect: Allow, Action: "${options.read ?? 's3:GetObject'}", Resource: "*"}]`,
    ...(options.write === false
      ? []
      : [
          `    write:
      Version: "2012-10-17"
      Statement: [{Effect: Allow, Action: "s3:PutObject", Resource: "*"}]`,
        ]),
  ].join('\n');
  return `apiVersion: v1
kind: Namespace
metadata: {name: team-a}
---
apiVersion: v1
kind: ServiceAccount
metadata:
  name: app
  namespace: team-a
  annotations:
    eks.amazonaws.com/role-arn: arn:aws:iam::${ACCOUNT}:role/team-a-app
---
apiVersion: iam.services.k8s.aws/v1alpha1
kind: OpenIDConnectProvider
metadata: {name: cluster}
spec:
  url: https://oidc.example.com
  clientIDs: [sts.amazonaws.com]
---
apiVersion: iam.services.k8s.aws/v1alpha1
kind: Role
metadata: {name: team-a-app}
spec:
  name: team-a-app
  assumeRolePolicyDocument: '${TRUST}'
  inlinePolicies:
${inline}
  policies: [${options.attach === false ? '' : POLICY_ARN}]
---
apiVersion: iam.services.k8s.aws/v1alpha1
kind: Policy
metadata: {name: shared-read}
spec:
  name: shared-read
  policyDocument:
    Version: "2012-10-17"
    Statement: [{Effect: Allow, Action: "${options.policyAction ?? 'sqs:ReceiveMessage'}", Resource: "*"}]
`;
}

async function newStore(): Promise<Store> {
  const store = openSqliteStore({ path: ':memory:' });
  await store.accounts.create({ id: ACCOUNT, createdAt: 0 });
  return store;
}

const ctx = () => ({ accountId: ACCOUNT, partition: 'aws', clock: fixedClock(1_000), ids: sequentialIds() });

test('applying manifests creates the service account, OIDC provider, policy and IRSA role', async () => {
  const store = await newStore();
  try {
    const r = await applyManifests(store, [parseManifestFile(manifests({}), 'a.yaml')], ctx());
    assert.deepEqual(r.problems, []);
    assert.deepEqual(
      r.applied.map((a) => [a.kind, a.name, a.action]),
      [
        ['Namespace', 'team-a', 'unchanged'],
        ['OpenIDConnectProvider', 'https://oidc.example.com', 'created'],
        ['Policy', 'shared-read', 'created'],
        ['Role', 'team-a-app', 'created'],
        ['ServiceAccount', 'team-a/app', 'created'],
      ],
    );
    const role = await store.roles.get(ACCOUNT, 'team-a-app');
    assert.equal(role?.arn, `arn:aws:iam::${ACCOUNT}:role/team-a-app`);
    assert.match(role?.id ?? '', /^AROA/);
    assert.equal(role?.trustPolicy, TRUST);
    const inline = await store.roles.listPolicies(ACCOUNT, 'team-a-app');
    assert.deepEqual(
      inline.items.map((p) => p.name),
      ['read', 'write'],
    );
    const attached = await store.roles.listAttachedPolicies(ACCOUNT, 'team-a-app');
    assert.deepEqual(
      attached.items.map((p) => p.arn),
      [POLICY_ARN],
    );
    const provider = await store.oidcProviders.get(
      ACCOUNT,
      `arn:aws:iam::${ACCOUNT}:oidc-provider/oidc.example.com`,
    );
    assert.deepEqual(provider?.clientIds, ['sts.amazonaws.com']);
    const sa = await store.serviceAccounts.get('team-a', 'app');
    assert.equal(sa?.annotations['eks.amazonaws.com/role-arn'], `arn:aws:iam::${ACCOUNT}:role/team-a-app`);
    const policy = await store.managedPolicies.get(ACCOUNT, POLICY_ARN);
    assert.match(policy?.id ?? '', /^ANPA/);
  } finally {
    await store.close();
  }
});

test('applying the same manifests twice reports every object unchanged and keeps ids', async () => {
  const store = await newStore();
  try {
    const files = [parseManifestFile(manifests({}), 'a.yaml')];
    await applyManifests(store, files, ctx());
    const before = await store.roles.get(ACCOUNT, 'team-a-app');
    const uid = (await store.serviceAccounts.get('team-a', 'app'))?.uid;
    const again = await applyManifests(store, files, ctx());
    assert.deepEqual(
      again.applied.map((a) => a.action),
      ['unchanged', 'unchanged', 'unchanged', 'unchanged', 'unchanged'],
    );
    assert.equal((await store.roles.get(ACCOUNT, 'team-a-app'))?.id, before?.id);
    assert.equal((await store.serviceAccounts.get('team-a', 'app'))?.uid, uid);
  } finally {
    await store.close();
  }
});

test('a role whose manifest drops an inline policy and an attached policy loses them', async () => {
  const store = await newStore();
  try {
    await applyManifests(store, [parseManifestFile(manifests({}), 'a.yaml')], ctx());
    const r = await applyManifests(
      store,
      [parseManifestFile(manifests({ write: false, attach: false, read: 's3:ListBucket' }), 'a.yaml')],
      ctx(),
    );
    assert.deepEqual(r.problems, []);
    assert.deepEqual(
      r.applied.find((a) => a.kind === 'Role'),
      { kind: 'Role', name: 'team-a-app', action: 'updated' },
    );
    const inline = await store.roles.listPolicies(ACCOUNT, 'team-a-app');
    assert.deepEqual(
      inline.items.map((p) => p.name),
      ['read'],
    );
    assert.match(inline.items[0]?.document ?? '', /s3:ListBucket/);
    assert.deepEqual((await store.roles.listAttachedPolicies(ACCOUNT, 'team-a-app')).items, []);
  } finally {
    await store.close();
  }
});

test('a changed policy document becomes a new default version, at most five kept', async () => {
  const store = await newStore();
  try {
    for (let i = 0; i < 7; i++) {
      const r = await applyManifests(
        store,
        [parseManifestFile(manifests({ policyAction: `sqs:Action${i}` }), 'a.yaml')],
        ctx(),
      );
      assert.equal(r.applied.find((a) => a.kind === 'Policy')?.action, i === 0 ? 'created' : 'updated');
    }
    const versions = await store.managedPolicies.listVersions(ACCOUNT, POLICY_ARN);
    assert.deepEqual(
      versions.map((v) => [v.versionId, v.isDefault]),
      [
        ['v7', true],
        ['v6', false],
        ['v5', false],
        ['v4', false],
        ['v3', false],
      ],
    );
    assert.match(versions[0]?.document ?? '', /sqs:Action6/);
  } finally {
    await store.close();
  }
});

test('a rejected file applies nothing and its problem names file, document and field', async () => {
  const store = await newStore();
  try {
    const badRole = `${manifests({})}---
apiVersion: iam.services.k8s.aws/v1alpha1
kind: Role
metadata: {name: other}
spec:
  name: other
  assumeRolePolicyDocument: '${TRUST}'
  maxSessionDuration: 5
`;
    const parsed = parseManifestFile(badRole, 'bad.yaml');
    assert.equal(parsed.rejected, true);
    const r = await applyManifests(store, [parsed], ctx());
    assert.deepEqual(r.applied, []);
    assert.deepEqual(r.problems.map(formatManifestProblem), [
      'bad.yaml: document 6: spec.maxSessionDuration: must be a whole number of seconds from 3600 to 43200, found `5`',
    ]);
    assert.equal(await store.roles.get(ACCOUNT, 'team-a-app'), undefined);
    assert.equal(await store.serviceAccounts.get('team-a', 'app'), undefined);
  } finally {
    await store.close();
  }
});

test('a role naming a managed policy that does not exist is an error at its field, and nothing is written', async () => {
  const store = await newStore();
  try {
    const text = manifests({}).replace(
      `policies: [${POLICY_ARN}]`,
      'policies: [arn:aws:iam::aws:policy/ReadOnlyAccess]',
    );
    const r = await applyManifests(store, [parseManifestFile(text, 'a.yaml')], ctx());
    assert.deepEqual(r.applied, []);
    assert.deepEqual(r.problems.map(formatManifestProblem), [
      'a.yaml: document 4: spec.policies[0]: managed policy `arn:aws:iam::aws:policy/ReadOnlyAccess` does not exist in the account',
    ]);
    assert.equal(await store.managedPolicies.get(ACCOUNT, POLICY_ARN), undefined);
    assert.equal(await store.roles.get(ACCOUNT, 'team-a-app'), undefined);
  } finally {
    await store.close();
  }
});

test('a rejected file contributes only its problems; the other files still apply', async () => {
  const store = await newStore();
  try {
    const good = parseManifestFile(manifests({}), 'good.yaml');
    const bad = parseManifestFile(
      'apiVersion: v1\nkind: ServiceAccount\nmetadata: {name: Bad_Name}\n',
      'bad.yaml',
    );
    assert.equal(bad.rejected, true);
    const r = await applyManifests(store, [bad, good], ctx());
    assert.equal(r.applied.length, 5);
    assert.deepEqual(
      r.problems.map((p) => [p.file, p.documentIndex, p.path]),
      [['bad.yaml', 0, 'metadata.name']],
    );
    assert.ok((await store.roles.get(ACCOUNT, 'team-a-app')) !== undefined);
  } finally {
    await store.close();
  }
});
