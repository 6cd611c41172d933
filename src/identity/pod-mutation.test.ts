import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  DEFAULT_WEBHOOK_SETTINGS,
  mutatePod,
  reviewAdmission,
  type ServiceAccountIdentity,
} from './pod-mutation.js';

const role = 'arn:aws:iam::111122223333:role/s3-reader';
const accounts = new Map<string, ServiceAccountIdentity>([['default/default', { roleArn: role }]]);
const lookup = (ns: string, name: string) => accounts.get(`${ns}/${name}`);
const pod = (spec: object, metadata: object = {}) => ({
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name: 'p', ...metadata },
  spec,
});
const container = { name: 'balajilovesoreos', image: 'amazonlinux' };

test('the webhook test fixture: a pod without volumes gets the volume, the env and the mount, in this order', () => {
  const m = mutatePod(pod({ containers: [container] }), 'default', lookup);
  assert.deepEqual(m?.patch, [
    {
      op: 'add',
      path: '/spec/volumes',
      value: [
        {
          name: 'aws-iam-token',
          projected: {
            sources: [
              {
                serviceAccountToken: {
                  audience: 'sts.amazonaws.com',
                  expirationSeconds: 86400,
                  path: 'token',
                },
              },
            ],
          },
        },
      ],
    },
    {
      op: 'add',
      path: '/spec/containers',
      value: [
        {
          name: 'balajilovesoreos',
          image: 'amazonlinux',
          env: [
            { name: 'AWS_ROLE_ARN', value: role },
            {
              name: 'AWS_WEB_IDENTITY_TOKEN_FILE',
              value: '/var/run/secrets/eks.amazonaws.com/serviceaccount/token',
            },
          ],
          volumeMounts: [
            {
              name: 'aws-iam-token',
              readOnly: true,
              mountPath: '/var/run/secrets/eks.amazonaws.com/serviceaccount',
            },
          ],
        },
      ],
    },
  ]);
});

test('with a default region the region variables come first; existing volumes get the token volume prepended', () => {
  const m = mutatePod(pod({ containers: [container], volumes: [{ name: 'data' }] }), 'default', lookup, {
    ...DEFAULT_WEBHOOK_SETTINGS,
    region: 'seattle',
    regionalSts: true,
  });
  assert.equal(m?.patch[0]?.path, '/spec/volumes/0');
  const env = (m?.patch[1]?.value as { env: { name: string }[] }[])[0]?.env.map((e) => e.name);
  assert.deepEqual(env, [
    'AWS_STS_REGIONAL_ENDPOINTS',
    'AWS_DEFAULT_REGION',
    'AWS_REGION',
    'AWS_ROLE_ARN',
    'AWS_WEB_IDENTITY_TOKEN_FILE',
  ]);
});

test('Windows pods get a Windows token path but keep the Unix mount path', () => {
  const m = mutatePod(
    pod({ containers: [container], nodeSelector: { 'kubernetes.io/os': 'windows' } }),
    'default',
    lookup,
  );
  assert.equal(m?.tokenFilePath, 'C:\\var\\run\\secrets\\eks.amazonaws.com\\serviceaccount\\token');
  const c = (m?.patch[1]?.value as { volumeMounts: { mountPath: string }[] }[])[0];
  assert.equal(c?.volumeMounts[0]?.mountPath, '/var/run/secrets/eks.amazonaws.com/serviceaccount');
});

test('expiration: pod annotation beats service account beats flag, and nothing is below 600 s', () => {
  accounts.set('default/sa', { roleArn: role, tokenExpirationSeconds: 7200, audience: 'custom' });
  assert.equal(
    mutatePod(pod({ containers: [container], serviceAccountName: 'sa' }), 'default', lookup)
      ?.tokenExpirationSeconds,
    7200,
  );
  const annotated = pod(
    { containers: [container], serviceAccountName: 'sa' },
    { annotations: { 'eks.amazonaws.com/token-expiration': '0' } },
  );
  const m = mutatePod(annotated, 'default', lookup);
  assert.equal(m?.tokenExpirationSeconds, 600);
  assert.equal(m?.audience, 'custom');
});

test('a container that already defines everything is left alone, but the volume is still added', () => {
  const has = {
    ...container,
    env: [
      { name: 'AWS_REGION', value: 'x' },
      { name: 'AWS_STS_REGIONAL_ENDPOINTS', value: 'regional' },
      { name: 'AWS_ROLE_ARN', valueFrom: {} },
    ],
  };
  const m = mutatePod(pod({ containers: [has] }), 'default', lookup);
  assert.equal(m?.patch[0]?.path, '/spec/volumes');
  assert.deepEqual(m?.patch[1]?.value, [has]);
});

test('one of the two web-identity variables suppresses both; an existing mount is not repeated', () => {
  const c = {
    ...container,
    env: [{ name: 'AWS_WEB_IDENTITY_TOKEN_FILE', value: '/x' }],
    volumeMounts: [{ name: 'aws-iam-token', mountPath: '/y' }],
  };
  const out = (
    mutatePod(pod({ containers: [c] }), 'default', lookup)?.patch[1]?.value as {
      env: unknown[];
      volumeMounts: unknown[];
    }[]
  )[0];
  assert.deepEqual(out?.env, c.env);
  assert.deepEqual(out?.volumeMounts, c.volumeMounts);
});

test('skip-containers (CSV) leaves the named init and regular containers untouched; a CSV error skips none', () => {
  const spec = { initContainers: [{ name: 'init' }], containers: [container, { name: 'side' }] };
  const m = mutatePod(
    pod(spec, { annotations: { 'eks.amazonaws.com/skip-containers': 'init,"side"' } }),
    'default',
    lookup,
  );
  assert.deepEqual(m?.patch[2], { op: 'add', path: '/spec/initContainers', value: [{ name: 'init' }] });
  assert.deepEqual((m?.patch[1]?.value as object[])[1], { name: 'side' });
  const broken = mutatePod(
    pod(spec, { annotations: { 'eks.amazonaws.com/skip-containers': 'init,"side' } }),
    'default',
    lookup,
  );
  assert.ok('env' in ((broken?.patch[1]?.value as object[])[1] ?? {}));
});

test('a pod whose service account names no role is admitted unchanged; re-admission adds nothing twice', () => {
  const r = reviewAdmission(
    {
      apiVersion: 'admission.k8s.io/v1',
      kind: 'AdmissionReview',
      request: { uid: 'u1', namespace: 'other', object: pod({ containers: [container] }) },
    },
    lookup,
  );
  assert.deepEqual(r, {
    apiVersion: 'admission.k8s.io/v1',
    kind: 'AdmissionReview',
    response: { uid: 'u1', allowed: true },
  });
  const first = mutatePod(pod({ containers: [container] }), 'default', lookup)!;
  const patched = { spec: { volumes: first.patch[0]!.value, containers: first.patch[1]!.value } };
  const again = mutatePod(pod(patched.spec), 'default', lookup)!;
  assert.equal(again.patch.length, 1, 'no second volume');
  assert.deepEqual(again.patch[0]?.value, patched.spec.containers);
});

test('the AdmissionReview answer echoes type meta and carries the patch base64-encoded', () => {
  const r = reviewAdmission(
    {
      apiVersion: 'admission.k8s.io/v1',
      kind: 'AdmissionReview',
      request: { uid: 'u2', namespace: 'default', object: pod({ containers: [container] }) },
    },
    lookup,
  ) as {
    response: { uid: string; allowed: boolean; patch: string; patchType: string };
  };
  assert.equal(r.response.uid, 'u2');
  assert.equal(r.response.patchType, 'JSONPatch');
  const ops = JSON.parse(Buffer.from(r.response.patch, 'base64').toString()) as { path: string }[];
  assert.deepEqual(
    ops.map((o) => o.path),
    ['/spec/volumes', '/spec/containers'],
  );
  assert.deepEqual(reviewAdmission({ kind: 'AdmissionReview' }, lookup), {
    apiVersion: 'admission.k8s.io/v1',
    kind: 'AdmissionReview',
    response: { allowed: false, result: { message: 'bad content' } },
  });
});

test('--aws-endpoint-url adds the four endpoint variables after the web identity, keeping those a container defines', () => {
  const settings = { ...DEFAULT_WEBHOOK_SETTINGS, endpointUrl: 'http://openirsa.openirsa.svc:4566' };
  const names = (c: unknown) =>
    ((c as { env?: { name: string; value?: string }[] }).env ?? []).map(
      (e) => `${e.name}=${e.value ?? '<ref>'}`,
    );
  const containers = (m: ReturnType<typeof mutatePod>) =>
    m?.patch.find((p) => p.path === '/spec/containers')?.value as unknown[];
  const plain = mutatePod(pod({ containers: [container] }), 'default', lookup, settings);
  assert.deepEqual(names(containers(plain)[0]), [
    `AWS_ROLE_ARN=${role}`,
    'AWS_WEB_IDENTITY_TOKEN_FILE=/var/run/secrets/eks.amazonaws.com/serviceaccount/token',
    'AWS_ENDPOINT_URL=http://openirsa.openirsa.svc:4566',
    'AWS_ENDPOINT_URL_STS=http://openirsa.openirsa.svc:4566',
    'AWS_ENDPOINT_URL_IAM=http://openirsa.openirsa.svc:4566',
    'AWS_ENDPOINT_URL_S3=http://openirsa.openirsa.svc:4566',
  ]);
  const own = mutatePod(
    pod(
      {
        initContainers: [{ name: 'init', env: [{ name: 'AWS_ENDPOINT_URL', value: 'http://mine:1' }] }],
        containers: [
          {
            name: 's3',
            env: [{ name: 'AWS_ENDPOINT_URL_S3', valueFrom: { configMapKeyRef: { name: 'c', key: 'k' } } }],
          },
          { name: 'skipped' },
        ],
      },
      { annotations: { 'eks.amazonaws.com/skip-containers': 'skipped' } },
    ),
    'default',
    lookup,
    settings,
  );
  // Its own global endpoint: no per-service variable would silently override it.
  assert.deepEqual(names(containers(own)[0]), [
    'AWS_ENDPOINT_URL_S3=<ref>',
    `AWS_ROLE_ARN=${role}`,
    'AWS_WEB_IDENTITY_TOKEN_FILE=/var/run/secrets/eks.amazonaws.com/serviceaccount/token',
    'AWS_ENDPOINT_URL=http://openirsa.openirsa.svc:4566',
    'AWS_ENDPOINT_URL_STS=http://openirsa.openirsa.svc:4566',
    'AWS_ENDPOINT_URL_IAM=http://openirsa.openirsa.svc:4566',
  ]);
  assert.deepEqual(names(containers(own)[1]), [], 'skip-containers is respected');
  const init = own?.patch.find((p) => p.path === '/spec/initContainers')?.value as unknown[];
  assert.deepEqual(names(init[0]), [
    'AWS_ENDPOINT_URL=http://mine:1',
    `AWS_ROLE_ARN=${role}`,
    'AWS_WEB_IDENTITY_TOKEN_FILE=/var/run/secrets/eks.amazonaws.com/serviceaccount/token',
  ]);
  // Without the flag nothing changes (the upstream fixture above).
  assert.ok(
    !JSON.stringify(mutatePod(pod({ containers: [container] }), 'default', lookup)).includes('ENDPOINT'),
  );
});
