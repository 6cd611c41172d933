import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { ApiRequestError, getJson, loadKubeConfig } from './k8s-api.js';

/** A plain-http API server on 127.0.0.1 and a kubeconfig file that points at it. */
async function serve(
  handler: Parameters<typeof createServer>[1],
): Promise<{ server: Server; kubeconfig: string; dir: string }> {
  const server = createServer(handler);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const dir = await mkdtemp(join(tmpdir(), 'openirsa-k8s-api-'));
  const kubeconfig = join(dir, 'config');
  await writeFile(
    kubeconfig,
    `apiVersion: v1\nkind: Config\nclusters: [{name: c, cluster: {server: "http://127.0.0.1:${port}", insecure-skip-tls-verify: true}}]\nusers: [{name: u, user: {token: t}}]\ncontexts: [{name: x, context: {cluster: c, user: u}}]\ncurrent-context: x\n`,
  );
  return { server, kubeconfig, dir };
}

test('getJson answers the status and the parsed body', async () => {
  const { server, kubeconfig, dir } = await serve((req, res) => {
    res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ path: req.url }));
  });
  try {
    const kc = await loadKubeConfig({ kind: 'file', path: kubeconfig });
    const answer = await getJson(kc, '/api/v1/x?limit=1', { timeoutMs: 2000, maxBytes: 1000 });
    assert.deepEqual(answer, { status: 200, body: { path: '/api/v1/x?limit=1' } });
  } finally {
    server.closeAllConnections();
    server.close();
    await rm(dir, { recursive: true, force: true });
  }
});

test('getJson gives up at its deadline even while the server keeps trickling bytes', async () => {
  // One byte every 40 ms: never idle for the 300 ms the request may take, yet never done.
  const { server, kubeconfig, dir } = await serve((_req, res) => {
    res.writeHead(200, { 'content-type': 'application/json' });
    res.write('[');
    const drip = setInterval(() => res.write('0,'), 40);
    res.on('close', () => clearInterval(drip));
  });
  try {
    const kc = await loadKubeConfig({ kind: 'file', path: kubeconfig });
    const started = Date.now();
    await assert.rejects(getJson(kc, '/slow', { timeoutMs: 300, maxBytes: 1_000_000 }), (error: unknown) => {
      assert.ok(error instanceof ApiRequestError);
      assert.equal(error.message, 'no answer within 300 ms');
      return true;
    });
    // Well before an idle timeout could have fired (it never would: bytes keep coming).
    assert.ok(Date.now() - started < 3000);
  } finally {
    server.closeAllConnections();
    server.close();
    await rm(dir, { recursive: true, force: true });
  }
});

test('getJson refuses a body over maxBytes', async () => {
  const { server, kubeconfig, dir } = await serve((_req, res) => {
    res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ pad: 'x'.repeat(500) }));
  });
  try {
    const kc = await loadKubeConfig({ kind: 'file', path: kubeconfig });
    await assert.rejects(getJson(kc, '/big', { timeoutMs: 2000, maxBytes: 100 }), {
      name: 'ApiRequestError',
      message: 'the answer is larger than 100 bytes',
    });
  } finally {
    server.closeAllConnections();
    server.close();
    await rm(dir, { recursive: true, force: true });
  }
});
