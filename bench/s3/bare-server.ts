/**
 * The limit of `bench/s3`: a bare `node:http` server that does the least durable work of *a file per
 * object* and nothing else — a PUT streams its body into a temporary file that is fsynced, renamed into
 * place, and the directory fsynced (the answer comes once the bytes and their name survive a power cut),
 * a GET streams a file back, and a ListObjectsV2 (`GET /bucket?list-type=2`) answers a page of keys from a
 * sorted in-memory array. No authentication, no metadata, no checksums. (s3rver, the other peer, fsyncs
 * nothing.)
 *
 * It is the limit of that layout, not of every durable PUT: openirsa keeps objects of at most 64 KiB in
 * its store (docs/storage.md), where a small PUT's durable work is a WAL append whose fsync is shared by
 * every PUT of a group commit, with no file created. For small PUTs openirsa's ratio to this limit can
 * therefore exceed 100 %; for large objects (files in both) the limit stays a true bound.
 *
 *   node dist/bench/s3/bare-server.js DIR LIST_KEYS
 *
 * LIST_KEYS keys named as `listKey` names them. It prints `port N` once it listens on 127.0.0.1.
 */
import { createReadStream, createWriteStream } from 'node:fs';
import { open, rename, rm, stat } from 'node:fs/promises';
import { createServer, type IncomingMessage } from 'node:http';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { listKey } from './keys.js';

const [dir, countText] = process.argv.slice(2);
if (dir === undefined || countText === undefined) throw new Error('usage: bare-server.js DIR LIST_KEYS');
const root: string = dir;
const keys = Array.from({ length: Number(countText) }, (_, i) => listKey(i));

function escapeXml(text: string): string {
  return text.replace(/[<>&'"]/g, (c) => `&#${c.charCodeAt(0)};`);
}

function listPage(bucket: string, query: URLSearchParams): string {
  const after = query.get('start-after') ?? '';
  const max = Math.min(1000, Number(query.get('max-keys') ?? '1000'));
  let lo = 0;
  let hi = keys.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if ((keys[mid] ?? '') <= after) lo = mid + 1;
    else hi = mid;
  }
  const page = keys.slice(lo, lo + max);
  const contents = page
    .map(
      (k) =>
        `<Contents><Key>${escapeXml(k)}</Key><LastModified>2026-12-04T00:00:00.000Z</LastModified><ETag>&quot;d41d8cd98f00b204e9800998ecf8427e&quot;</ETag><Size>0</Size><StorageClass>STANDARD</StorageClass></Contents>`,
    )
    .join('');
  return `<?xml version="1.0" encoding="UTF-8"?>\n<ListBucketResult xmlns="http://s3.amazonaws.com/doc/2006-03-01/"><Name>${bucket}</Name><Prefix></Prefix><KeyCount>${page.length}</KeyCount><MaxKeys>${max}</MaxKeys><IsTruncated>${lo + max < keys.length}</IsTruncated>${contents}</ListBucketResult>`;
}

let tmpCounter = 0;

/** Temporary file (fsynced as it closes), rename, directory fsync. */
async function durablePut(body: IncomingMessage, file: string): Promise<void> {
  const tmp = join(root, `.tmp-${process.pid}-${tmpCounter++}`);
  try {
    await pipeline(body, createWriteStream(tmp, { flush: true }));
    await rename(tmp, file);
  } catch (error) {
    await rm(tmp, { force: true });
    throw error;
  }
  const handle = await open(root, 'r');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}

const server = createServer((req, res) => {
  const url = new URL(req.url ?? '/', 'http://localhost');
  const [, bucket = '', ...rest] = url.pathname.split('/');
  const file = join(dir, encodeURIComponent(`${bucket}/${rest.join('/')}`));
  const fail = (status: number) => {
    if (!res.headersSent) res.writeHead(status, { 'Content-Length': '0' });
    res.end();
  };
  if (req.method === 'PUT') {
    durablePut(req, file).then(
      () => res.writeHead(200, { ETag: '"0"', 'Content-Length': '0' }).end(),
      () => fail(500),
    );
    return;
  }
  if (req.method === 'GET' && url.searchParams.get('list-type') === '2') {
    const text = listPage(bucket, url.searchParams);
    res
      .writeHead(200, { 'Content-Type': 'application/xml', 'Content-Length': Buffer.byteLength(text) })
      .end(text);
    return;
  }
  if (req.method === 'GET') {
    stat(file).then(
      (s) => {
        res.writeHead(200, { 'Content-Type': 'application/octet-stream', 'Content-Length': s.size });
        pipeline(createReadStream(file), res).catch(() => fail(500));
      },
      () => fail(404),
    );
    return;
  }
  req.resume();
  fail(405);
});
server.keepAliveTimeout = 60_000;
server.listen(0, '127.0.0.1', () => {
  const address = server.address();
  process.stdout.write(`port ${typeof address === 'object' && address !== null ? address.port : 0}\n`);
});
