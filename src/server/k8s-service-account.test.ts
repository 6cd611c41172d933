import assert from 'node:assert/strict';
import { test } from 'node:test';
import { isServiceAccountKey, reduceServiceAccount } from './k8s-service-account.js';

const object = {
  kind: 'ServiceAccount',
  apiVersion: 'v1',
  metadata: {
    name: 'app',
    namespace: 'team-a',
    uid: 'u-1',
    resourceVersion: '42',
    annotations: {
      'eks.amazonaws.com/role-arn': 'arn:aws:iam::111122223333:role/app',
      'eks.amazonaws.com/audience': 'sts.amazonaws.com',
      'kubectl.kubernetes.io/last-applied-configuration': '{"big":"document"}',
    },
    managedFields: [{ manager: 'kubectl' }],
  },
  secrets: [{ name: 'app-token' }],
};

test('a ServiceAccount is reduced to its name, namespace, resourceVersion and prefixed annotations', () => {
  assert.deepEqual(reduceServiceAccount(object, 'eks.amazonaws.com'), {
    apiVersion: 'v1',
    kind: 'ServiceAccount',
    metadata: {
      name: 'app',
      namespace: 'team-a',
      resourceVersion: '42',
      annotations: {
        'eks.amazonaws.com/role-arn': 'arn:aws:iam::111122223333:role/app',
        'eks.amazonaws.com/audience': 'sts.amazonaws.com',
      },
    },
  });
  // Another prefix keeps other annotations; a list item has no kind; no annotations is none.
  const other = reduceServiceAccount(
    { metadata: { ...object.metadata, annotations: undefined } },
    'example.com',
  );
  assert.deepEqual(other?.metadata.annotations, {});
  // The prefix is a whole domain: `eks.amazonaws.co` is not `eks.amazonaws.com`.
  assert.deepEqual(reduceServiceAccount(object, 'eks.amazonaws.co')?.metadata.annotations, {});
});

test('anything that is not a well-formed ServiceAccount is dropped, not half-read', () => {
  const bad: unknown[] = [
    null,
    'text',
    [],
    {},
    { metadata: null },
    { metadata: { name: 'app' } },
    { metadata: { name: 'App', namespace: 'team-a' } },
    { metadata: { name: 'app', namespace: 'team.a' } },
    { metadata: { name: 'a'.repeat(254), namespace: 'team-a' } },
    { metadata: { name: 'app', namespace: 'team-a', annotations: ['x'] } },
    { metadata: { name: 'app', namespace: 'team-a', annotations: { 'eks.amazonaws.com/role-arn': 7 } } },
    { kind: 'Secret', metadata: { name: 'app', namespace: 'team-a' } },
  ];
  for (const value of bad)
    assert.equal(reduceServiceAccount(value, 'eks.amazonaws.com'), undefined, JSON.stringify(value));
  // An oversized resourceVersion is left out (the informer then lists again instead of resuming).
  const long = reduceServiceAccount(
    { metadata: { name: 'app', namespace: 'team-a', resourceVersion: '9'.repeat(65) } },
    'eks.amazonaws.com',
  );
  assert.equal(long?.metadata.resourceVersion, undefined);
});

test('a lookup key must be a namespace (DNS label) and a name (DNS subdomain)', () => {
  assert.equal(isServiceAccountKey('team-a', 'app.v2'), true);
  assert.equal(isServiceAccountKey('team-a', '../secrets'), false);
  assert.equal(isServiceAccountKey('team.a', 'app'), false);
  assert.equal(isServiceAccountKey('', 'app'), false);
});
