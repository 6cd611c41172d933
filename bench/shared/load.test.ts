import assert from 'node:assert/strict';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import { createServer as createNetServer, type AddressInfo, type Server as NetServer } from 'node:net';
import { test } from 'node:test';
import { AnswerParser, encodeRequest, runLoad, type Answer, type LoadRequest } from './load.js';

function answer(status: number, body: string, extra = ''): Buffer {
  const bytes = Buffer.from(body);
  return Buffer.from(
    `HTTP/1.1 ${status} Whatever\r\nContent-Type: text/xml\r\n${extra}content-LENGTH: ${bytes.length}\r\n\r\n${body}`,
  );
}

/** Pushes `bytes` and takes what they complete. */
function feed(parser: AnswerParser, bytes: Buffer): Answer | undefined {
  parser.push(bytes);
  return parser.take();
}

test('an answer split at any byte reads as the whole answer, once, and the parser is ready for the next', () => {
  const whole = answer(200, '<ok>é</ok>');
  const parser = new AnswerParser();
  for (let at = 0; at <= whole.length; at++) {
    const first = feed(parser, whole.subarray(0, at));
    if (at < whole.length) assert.equal(first, undefined, `complete after only ${at} bytes`);
    const got = at < whole.length ? feed(parser, whole.subarray(at)) : first;
    assert.equal(got?.status, 200, `split at ${at}`);
    assert.equal(got.body.toString(), '<ok>é</ok>');
    assert.equal(parser.buffered, 0);
  }
  // Byte by byte, then another answer on the same parser.
  let got: Answer | undefined;
  for (const byte of answer(403, 'no')) got = feed(parser, Buffer.from([byte]));
  assert.deepEqual({ status: got?.status, body: got?.body.toString() }, { status: 403, body: 'no' });
  assert.equal(feed(parser, answer(200, ''))?.status, 200);
});

test('a chunked body ends after its last chunk and trailers; 204 has no body; what follows stays buffered', () => {
  const chunked = Buffer.from(
    'HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n3;ext=1\r\nabc\r\n10\r\n0123456789abcdef\r\n0\r\nx-amz-checksum-crc32: AAAAAA==\r\n\r\n',
  );
  const parser = new AnswerParser();
  for (let at = 0; at < chunked.length; at++) {
    const got = feed(parser, chunked.subarray(at, at + 1));
    assert.equal(got !== undefined, at === chunked.length - 1, `at ${at}`);
    if (got !== undefined) assert.equal(got.body.toString().includes('0123456789abcdef'), true);
  }
  // A 204 has no body, whatever its headers say (a chunked coding, a Content-Length).
  const both = Buffer.concat([
    Buffer.from('HTTP/1.1 204 No Content\r\nTransfer-Encoding: chunked\r\nContent-Length: 9\r\n\r\n'),
    answer(200, 'x'),
  ]);
  assert.deepEqual(feed(parser, both)?.body.length, 0);
  assert.equal(parser.buffered, answer(200, 'x').length);
  assert.equal(parser.take()?.body.toString(), 'x');
});

test('an answer to HEAD has no body, whatever Content-Length it announces', () => {
  const parser = new AnswerParser();
  parser.push(Buffer.concat([answer(200, 'x'.repeat(4096)).subarray(0, -4096), answer(404, 'gone')]));
  const head = parser.take(true);
  assert.deepEqual({ status: head?.status, length: head?.body.length }, { status: 200, length: 0 });
  assert.equal(parser.take(false)?.body.toString(), 'gone');
});

test('the parser refuses what it cannot frame: no or bad Content-Length, other codings, bad chunks, no status', () => {
  const refused = (text: string | Buffer) => () => feed(new AnswerParser(), Buffer.from(text));
  assert.throws(refused('HTTP/1.1 200 OK\r\nTransfer-Encoding: gzip\r\n\r\n'), /reads no gzip body/);
  assert.throws(refused('HTTP/1.1 200 OK\r\nConnection: close\r\n\r\n'), /without Content-Length/);
  assert.throws(refused(answer(200, 'x', 'Content-Length: 2\r\n')), /bad Content-Length/);
  assert.throws(refused('HTTP/1.1 200 OK\r\nContent-Length: -1\r\n\r\n'), /bad Content-Length/);
  assert.throws(
    refused('HTTP/1.1 200 OK\r\nno colon here\r\nContent-Length: 0\r\n\r\n'),
    /not a header line/,
  );
  const chunkedHead = 'HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n';
  assert.throws(refused(`${chunkedHead}3zz\r\nabc\r\n0\r\n\r\n`), /bad chunk size/);
  assert.throws(refused(`${chunkedHead}3\r\nabcXY0\r\n\r\n`), /not ended by CRLF/);
  assert.throws(refused('SSH-2.0 hello\r\n\r\n'), /not an HTTP\/1.1/);
  assert.throws(refused(`HTTP/1.1 200 OK\r\n${'x'.repeat(70_000)}`), /over 64 KiB/);
});

test('a server that never answers fails the run once the grace after the deadline has passed', async () => {
  const server = createNetServer((socket) => socket.resume());
  const port = await listen(server);
  try {
    await assert.rejects(
      runLoad({ port, connections: 2, seconds: 0.05, expectStatus: 200, graceMs: 100 }, [GET]),
      /still missing 100 ms after the end of the load/,
    );
  } finally {
    server.close();
  }
});

test('bytes past the end of an answer, with no request in flight, fail the run', async () => {
  const server = createNetServer((socket) =>
    socket.once('data', () => socket.write(Buffer.concat([answer(200, 'a'), answer(200, 'b')]))),
  );
  const port = await listen(server);
  try {
    await assert.rejects(
      runLoad({ port, connections: 1, seconds: 5, expectStatus: 200, graceMs: 1000 }, [GET]),
      /past the end of its answer/,
    );
  } finally {
    server.close();
  }
});

const GET: LoadRequest = { method: 'GET', path: '/', headers: {}, body: undefined };

async function listen(server: Server | NetServer): Promise<number> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return (server.address() as AddressInfo).port;
}

async function bodyOf(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString();
}

test('a request is sent as given, with Host unless given and its Content-Length, as node:http reads it', async () => {
  const seen: { method?: string; url?: string; headers: IncomingMessage['headers']; body: string }[] = [];
  const server = createServer((req, res) => {
    void bodyOf(req).then((body) => {
      seen.push({ method: req.method, url: req.url, headers: req.headers, body });
      res.end('ok');
    });
  });
  const port = await listen(server);
  try {
    const post: LoadRequest = {
      method: 'POST',
      path: '/?a=b',
      headers: { 'content-type': 'application/x-www-form-urlencoded', 'X-Amz-Date': '20261205T000000Z' },
      body: Buffer.from('Action=GetCallerIdentity&x=é'),
    };
    const get: LoadRequest = {
      method: 'GET',
      path: '/h',
      headers: { Host: 'bucket.localhost' },
      body: undefined,
    };
    assert.equal(encodeRequest(get, port).toString().includes('Content-Length'), false);
    const result = await runLoad({ port, connections: 1, seconds: 0.2, expectStatus: 200 }, [post, get]);
    assert.equal(result.unexpected, 0);
    assert.equal(result.requests, seen.length);
    assert.ok(result.requests >= 2, `only ${result.requests} requests in 0.2 s`);
    assert.deepEqual(
      { ...seen[0], headers: undefined },
      { method: 'POST', url: '/?a=b', headers: undefined, body: 'Action=GetCallerIdentity&x=é' },
    );
    assert.equal(seen[0]?.headers.host, `127.0.0.1:${port}`);
    assert.equal(
      seen[0]?.headers['content-length'],
      String(Buffer.byteLength('Action=GetCallerIdentity&x=é')),
    );
    assert.equal(seen[0]?.headers['x-amz-date'], '20261205T000000Z');
    assert.equal(seen[1]?.headers.host, 'bucket.localhost');
    assert.equal(seen[1]?.method, 'GET');
  } finally {
    server.close();
  }
});

test('answers with another status are counted, the first one quoted; every connection is kept busy', async () => {
  const sockets = new Set<unknown>();
  let served = 0;
  const server = createServer((req, res) => {
    sockets.add(req.socket);
    served++;
    res.statusCode = served % 3 === 0 ? 500 : 200;
    res.end(served % 3 === 0 ? 'broken' : 'fine');
  });
  const port = await listen(server);
  try {
    const result = await runLoad({ port, connections: 4, seconds: 0.2, expectStatus: 200 }, [GET]);
    assert.equal(result.requests, served);
    assert.equal(result.unexpected, Math.floor(served / 3));
    assert.equal(result.firstUnexpected, '500: broken');
    assert.equal(sockets.size, 4);
    assert.ok(result.p50Micros > 0 && result.p99Micros >= result.p50Micros);
  } finally {
    server.close();
  }
});

test('a server that closes a connection in the middle of the load fails the run', async () => {
  const server = createServer((_req, res) => {
    res.setHeader('Connection', 'close');
    res.end('bye');
  });
  const port = await listen(server);
  try {
    await assert.rejects(
      runLoad({ port, connections: 1, seconds: 5, expectStatus: 200 }, [GET]),
      /in the middle of the load/,
    );
  } finally {
    server.close();
  }
});
