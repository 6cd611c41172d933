import assert from 'node:assert/strict';
import { test } from 'node:test';
import { startupSummary, type StartupFacts } from './startup-summary.js';

const FACTS: StartupFacts = {
  created: true,
  endpoint: 'http://127.0.0.1:4566',
  port: 4566,
  issuer: 'http://127.0.0.1:4566',
  account: '000000000000',
  region: 'us-east-1',
  credentialsFile: '/d/credentials',
  dataDir: '/d',
  auditDir: '/d/audit',
  health: 'http://127.0.0.1:4566/_openirsa/health',
};

test('the text summary: endpoint, issuer, account/region, credentials, data, audit, health, the next command', () => {
  assert.equal(
    startupSummary(FACTS).text,
    [
      'openirsa is up (new data directory)',
      '  endpoint     http://127.0.0.1:4566',
      '  issuer       http://127.0.0.1:4566',
      '  account      000000000000 (region us-east-1)',
      '  credentials  /d/credentials (profile openirsa)',
      '  data         /d',
      '  audit log    /d/audit',
      '  health       http://127.0.0.1:4566/_openirsa/health',
      '',
      'Try it:',
      '  AWS_SHARED_CREDENTIALS_FILE=/d/credentials AWS_PROFILE=openirsa AWS_DEFAULT_REGION=us-east-1 \\',
      '    aws --endpoint-url http://127.0.0.1:4566 sts get-caller-identity',
      '',
      'Ctrl-C stops it.',
      '',
    ].join('\n'),
  );
});

test('the json summary is one event whose fields hold every fact and the next command', () => {
  const s = startupSummary({
    ...FACTS,
    created: false,
    proxy: { url: 'http://127.0.0.1:9', caFile: '/d/ca/ca.pem' },
  });
  assert.equal(s.msg, 'openirsa is up');
  assert.deepEqual(s.fields, {
    endpoint: 'http://127.0.0.1:4566',
    port: 4566,
    issuer: 'http://127.0.0.1:4566',
    account: '000000000000',
    region: 'us-east-1',
    credentialsFile: '/d/credentials',
    profile: 'openirsa',
    dataDir: '/d',
    newDataDir: false,
    auditDir: '/d/audit',
    health: 'http://127.0.0.1:4566/_openirsa/health',
    proxy: 'http://127.0.0.1:9',
    proxyCaFile: '/d/ca/ca.pem',
    next: 'AWS_SHARED_CREDENTIALS_FILE=/d/credentials AWS_PROFILE=openirsa AWS_DEFAULT_REGION=us-east-1 aws --endpoint-url http://127.0.0.1:4566 sts get-caller-identity',
  });
  assert.match(s.text, /^openirsa is up\n/);
  assert.match(s.text, /\n {2}proxy {8}http:\/\/127\.0\.0\.1:9 \(CA \/d\/ca\/ca\.pem\)\n/);
  assert.match(s.text, /\n {2}HTTPS_PROXY=http:\/\/127\.0\.0\.1:9 AWS_CA_BUNDLE=\/d\/ca\/ca\.pem \\\n/);
});

test('manifests: counts by kind and action, each object listed while there are few', () => {
  const objects = [
    { kind: 'Role', name: 'app', action: 'created' },
    { kind: 'ServiceAccount', name: 'a/app', action: 'unchanged' },
    { kind: 'Role', name: 'b', action: 'created' },
  ];
  const s = startupSummary({ ...FACTS, manifests: { files: 2, objects }, watching: ['/m'] });
  assert.match(
    s.text,
    /\n {2}manifests {4}3 objects from 2 files: Role 2, ServiceAccount 1 \(2 created, 1 unchanged\)\n {4}Role app: created\n {4}ServiceAccount a\/app: unchanged\n {4}Role b: created\n {2}watching {5}\/m\n/,
  );
  assert.deepEqual(s.fields.manifests, {
    files: 2,
    objects: 3,
    byKind: { Role: 2, ServiceAccount: 1 },
    byAction: { created: 2, unchanged: 1 },
  });
  assert.deepEqual(s.fields.watching, ['/m']);
});

test('many manifest objects are counted, not listed: the summary stays short', () => {
  const objects = Array.from({ length: 40 }, (_, i) => ({ kind: 'Role', name: `r${i}`, action: 'created' }));
  const s = startupSummary({ ...FACTS, manifests: { files: 1, objects } });
  assert.match(s.text, /manifests {4}40 objects from 1 file: Role 40 \(40 created\)\n\n/);
  assert.doesNotMatch(s.text, /Role r0/);
  assert.ok(s.text.split('\n').length < 20);
});

test('no manifests applied from an empty directory still says so', () => {
  const s = startupSummary({ ...FACTS, manifests: { files: 0, objects: [] } });
  assert.match(s.text, /manifests {4}0 objects from 0 files\n/);
});

test('the demo commands follow the try-it block', () => {
  const s = startupSummary({ ...FACTS, demo: ['Demo: x', '  do y'] });
  assert.match(s.text, /sts get-caller-identity\n\nDemo: x\n {2}do y\n\nCtrl-C stops it\.\n$/);
  assert.deepEqual(s.fields.demo, ['Demo: x', '  do y']);
});
