import assert from 'node:assert/strict';
import { createPrivateKey, X509Certificate } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { connect, createServer as createTlsServer } from 'node:tls';
import { test } from 'node:test';
import { fixedClock } from '../shared/clock.js';
import { randomIds } from '../shared/ids.js';
import { mintWebhookCertificate, WEBHOOK_CERTIFICATE_VALIDITY_MS } from './webhook-certificate.js';

const NAMES = [
  'openirsa-webhook',
  'openirsa-webhook.openirsa',
  'openirsa-webhook.openirsa.svc',
  'openirsa-webhook.openirsa.svc.cluster.local',
];
const NOW = Date.parse('2026-01-01T00:00:00Z');

test('the leaf carries every Service name, is signed by the CA, and its key matches', () => {
  const minted = mintWebhookCertificate(NAMES, { clock: fixedClock(NOW), ids: randomIds });
  const leaf = new X509Certificate(minted.certPem);
  const ca = new X509Certificate(minted.caPem);
  assert.equal(ca.ca, true);
  assert.equal(leaf.ca, false);
  assert.ok(leaf.verify(ca.publicKey));
  assert.ok(leaf.checkIssued(ca));
  assert.ok(leaf.checkPrivateKey(createPrivateKey(minted.keyPem)));
  for (const name of NAMES) assert.equal(leaf.checkHost(name), name);
  assert.equal(leaf.checkHost('openirsa-webhook.other.svc'), undefined);
  assert.equal(Date.parse(leaf.validTo), Math.floor((NOW + WEBHOOK_CERTIFICATE_VALIDITY_MS) / 1000) * 1000);
  assert.ok(Date.parse(leaf.validFrom) < NOW);
});

test('two mints have different CAs: one never validates the other one leaf', () => {
  const a = mintWebhookCertificate(NAMES, { clock: fixedClock(NOW), ids: randomIds });
  const b = mintWebhookCertificate(NAMES, { clock: fixedClock(NOW), ids: randomIds });
  assert.notEqual(a.caPem, b.caPem);
  assert.equal(new X509Certificate(a.certPem).verify(new X509Certificate(b.caPem).publicKey), false);
});

test('a TLS client that trusts only the caBundle accepts the webhook for its Service name', async () => {
  const minted = mintWebhookCertificate(NAMES, { clock: { now: () => Date.now() }, ids: randomIds });
  const server = createTlsServer({ cert: minted.certPem, key: minted.keyPem }, (socket) => socket.end('ok'));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  try {
    const answer = await new Promise<string>((resolve, reject) => {
      const socket = connect({
        host: '127.0.0.1',
        port,
        ca: minted.caPem,
        servername: 'openirsa-webhook.openirsa.svc',
      });
      let text = '';
      socket.on('data', (c: Buffer) => (text += c.toString()));
      socket.on('end', () => resolve(text));
      socket.on('error', reject);
    });
    assert.equal(answer, 'ok');
  } finally {
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }
});

test('names that are not DNS names, and no names, are programming errors', () => {
  const deps = { clock: fixedClock(NOW), ids: randomIds };
  assert.throws(() => mintWebhookCertificate([], deps), TypeError);
  assert.throws(() => mintWebhookCertificate(['Bad Name'], deps), TypeError);
});
