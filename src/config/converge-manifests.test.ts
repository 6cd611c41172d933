import assert from 'node:assert/strict';
import { test } from 'node:test';
import { fixedClock } from '../shared/clock.js';
import { sequentialIds } from '../shared/ids.js';
import { openSqliteStore } from '../store/sqlite/sqlite-store.js';
import type { Store } from '../store/types.js';
import { convergeManifests, type ConvergeOptions } from './converge-manifests.js';
import { parseManifestFile } from './manifests.js';

const ACCOUNT = '111122223333';
const POLICY_ARN = `arn:aws:iam::${ACCOUNT}:policy/shared-read`;
const TRUST = `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Federated":"arn:aws:iam::${ACCOUNT}:oidc-provider/oidc.example.com"},"Action":"sts:AssumeRoleWithWebIdentity"}]}`;

const ROLE = `apiVersion: iam.services.k8s.aws/v1alpha1
kind: Role
metadata: {name: app}
spec:
  name: app
  assumeRolePolicyDocument: '${TRUST}'
  policies: [${POLICY_ARN}]
  inlinePolicies:
    read: {Version: "2012-10-17", Statement: [{Effect: Allow, Action: "s3:GetObject", Resource: "*"}]}
`;
const POLICY = `apiVersion: iam.services.k8s.aws/v1alpha1
kind: Policy
metadata: {name: shared-read}
spec:
  name: shared-read
  policyDocument: {Version: "2012-10-17", Statement: [{Effect: Allow, Action: "s3:ListBucket", Resource: "*"}]}
`;
const SA = `apiVersion: v1
kind: ServiceAccount
metadata: {name: app, namespace: team-a}
`;
const PROVIDER = `apiVersion: iam.services.k8s.aws/v1alpha1
kind: OpenIDConnectProvider
metadata: {name: cluster}
spec: {url: "https://oidc.example.com", clientIDs: [sts.amazonaws.com]}
`;

async function withStore(fn: (store: Store, options: (prune: boolean) => ConvergeOptions) => Promise<void>) {
  const store = openSqliteStore({ path: ':memory:' });
  const clock = fixedClock(Date.UTC(2026, 0, 1));
  await store.accounts.create({ id: ACCOUNT, createdAt: clock.now() });
  try {
    await fn(store, (prune) => ({
      accountId: ACCOUNT,
      partition: 'aws',
      clock,
      ids: sequentialIds(),
      roots: ['/m'],
      prune,
    }));
  } finally {
    await store.close();
  }
}

const file = (name: string, ...docs: string[]) => parseManifestFile(docs.join('---\n'), `/m/${name}`);
const summary = (r: { objects: readonly { kind: string; name: string; action: string }[] }) =>
  r.objects.map((o) => `${o.kind} ${o.name}: ${o.action}`).sort();

test('re-applying the same files with prune changes and deletes nothing', () =>
  withStore(async (store, options) => {
    const files = [file('a.yaml', POLICY, ROLE), file('b.yaml', SA, PROVIDER)];
    const first = await convergeManifests(store, files, options(true));
    assert.equal(first.ok, true);
    assert.deepEqual(summary(first), [
      'OpenIDConnectProvider https://oidc.example.com: created',
      'Policy shared-read: created',
      'Role app: created',
      'ServiceAccount team-a/app: created',
    ]);
    const again = await convergeManifests(store, files, options(true));
    assert.ok(again.objects.every((o) => o.action === 'unchanged'));
    assert.equal((await store.manifestObjects.list(ACCOUNT)).length, 4);
  }));

test('documents removed are deleted with prune only: the role with its policies, the policy, the provider, the service account', () =>
  withStore(async (store, options) => {
    await convergeManifests(
      store,
      [file('a.yaml', POLICY, ROLE), file('b.yaml', SA, PROVIDER)],
      options(true),
    );
    const without = await convergeManifests(store, [file('a.yaml', POLICY)], options(false));
    assert.deepEqual(summary(without), ['Policy shared-read: unchanged']);
    assert.ok((await store.roles.get(ACCOUNT, 'app')) !== undefined);

    const pruned = await convergeManifests(store, [file('c.yaml', SA)], options(true));
    assert.deepEqual(summary(pruned), [
      `OpenIDConnectProvider arn:aws:iam::${ACCOUNT}:oidc-provider/oidc.example.com: deleted`,
      `Policy ${POLICY_ARN}: deleted`,
      'Role app: deleted',
      'ServiceAccount team-a/app: unchanged',
    ]);
    assert.equal(await store.roles.get(ACCOUNT, 'app'), undefined);
    assert.equal(await store.managedPolicies.get(ACCOUNT, POLICY_ARN), undefined);
    // The service account moved to c.yaml: its record follows it.
    assert.deepEqual(
      (await store.manifestObjects.list(ACCOUNT)).map((r) => `${r.kind} ${r.key} ${r.source}`),
      ['ServiceAccount team-a/app /m/c.yaml'],
    );
  }));

test('objects a manifest did not create are never deleted, and records outside the roots are kept', () =>
  withStore(async (store, options) => {
    await store.serviceAccounts.upsert({
      namespace: 'team-a',
      name: 'app',
      annotations: {},
      uid: 'u',
      at: 1,
    });
    await convergeManifests(store, [file('b.yaml', SA)], options(true));
    assert.deepEqual(await store.manifestObjects.list(ACCOUNT), []);
    await convergeManifests(store, [], options(true));
    assert.ok((await store.serviceAccounts.get('team-a', 'app')) !== undefined);

    await convergeManifests(store, [file('p.yaml', PROVIDER)], options(true));
    const elsewhere = await convergeManifests(store, [], { ...options(true), roots: ['/other'] });
    assert.deepEqual(elsewhere.objects, []);
    assert.equal((await store.oidcProviders.list(ACCOUNT)).length, 1);
  }));

test('a removed policy still attached to a role the manifests do not own is a DeleteConflict, reported and kept', () =>
  withStore(async (store, options) => {
    await convergeManifests(store, [file('a.yaml', POLICY)], options(true));
    await store.roles.create({
      accountId: ACCOUNT,
      name: 'other',
      id: 'AROAOTHER',
      path: '/',
      arn: `arn:aws:iam::${ACCOUNT}:role/other`,
      trustPolicy: TRUST,
      maxSessionDuration: 3600,
      tags: [],
      createdAt: 1,
    });
    await store.roles.attachPolicy(ACCOUNT, 'other', POLICY_ARN);
    const r = await convergeManifests(store, [], options(true));
    assert.equal(r.ok, true);
    assert.deepEqual(r.conflicts, [
      {
        kind: 'Policy',
        name: POLICY_ARN,
        source: '/m/a.yaml',
        code: 'DeleteConflict',
        message: 'Cannot delete a policy attached to entities.',
      },
    ]);
    assert.ok((await store.managedPolicies.get(ACCOUNT, POLICY_ARN)) !== undefined);
    assert.equal((await store.manifestObjects.list(ACCOUNT)).length, 1);
  }));

test('a rejected file, or an error applying, writes nothing and prunes nothing', () =>
  withStore(async (store, options) => {
    await convergeManifests(store, [file('b.yaml', SA)], options(true));
    const rejected = await convergeManifests(store, [file('bad.yaml', 'kind: [')], options(true));
    assert.equal(rejected.ok, false);
    assert.ok(rejected.problems.some((p) => p.severity === 'error' && p.file === '/m/bad.yaml'));
    assert.ok((await store.serviceAccounts.get('team-a', 'app')) !== undefined);

    // The role names a policy that does not exist: applying fails, and the prune of b.yaml is undone.
    const failed = await convergeManifests(store, [file('a.yaml', ROLE)], options(true));
    assert.equal(failed.ok, false);
    assert.deepEqual(
      failed.problems.map((p) => `${p.file} ${p.documentIndex} ${p.path}`),
      ['/m/a.yaml 0 spec.policies[0]'],
    );
    assert.ok((await store.serviceAccounts.get('team-a', 'app')) !== undefined);
    assert.equal(await store.roles.get(ACCOUNT, 'app'), undefined);
    assert.equal((await store.manifestObjects.list(ACCOUNT)).length, 1);
  }));
