import assert from 'node:assert/strict';
import { request, createServer, type ServerResponse } from 'node:http';
import { connect, type AddressInfo } from 'node:net';
import { test } from 'node:test';
import { headerList, ResponseBatch, writeResponse } from './response-batch.js';

/** A stand-in ServerResponse that records what is written on it, in one log shared by several. */
function recorder(name: string, log: string[], throwOnHead = false): ServerResponse {
  return {
    writeHead(status: number, headers: Record<string, string | number> | (string | number)[]) {
      if (throwOnHead) throw new Error(`${name} refused its headers`);
      log.push(`${name} head ${status} ${JSON.stringify(headers)}`);
      return this;
    },
    end(body: string) {
      log.push(`${name} end ${body}`);
      return this;
    },
    destroy() {
      log.push(`${name} destroyed`);
      return this;
    },
  } as unknown as ServerResponse;
}

test('answers queued in one turn are written after it, in the order queued, with their Content-Length', async () => {
  const log: string[] = [];
  const batch = new ResponseBatch(() => assert.fail('no write fails'));
  batch.send(recorder('a', log), { status: 200, headers: { 'Content-Type': 'text/xml' }, body: '<a/>' });
  batch.send(recorder('b', log), { status: 403, headers: {}, body: 'é' });
  await Promise.resolve();
  // Not before the turn is over: microtasks of the turn still run first.
  assert.deepEqual(log, []);
  await new Promise((resolve) => setImmediate(resolve));
  assert.deepEqual(log, [
    'a head 200 ["Content-Type","text/xml","Content-Length",4]',
    'a end <a/>',
    // Content-Length counts UTF-8 bytes, not characters.
    'b head 403 ["Content-Length",2]',
    'b end é',
  ]);
  // A later turn is a batch of its own.
  batch.send(recorder('c', log), { status: 200, headers: {}, body: '' });
  await new Promise((resolve) => setImmediate(resolve));
  assert.equal(log.at(-1), 'c end ');
});

test('a write that throws is handed to the failure handler and the other answers are still written', async () => {
  const log: string[] = [];
  const failures: string[] = [];
  const batch = new ResponseBatch((_res, error) => {
    failures.push(error instanceof Error ? error.message : String(error));
  });
  batch.send(recorder('a', log, true), { status: 200, headers: {}, body: 'x' });
  batch.send(recorder('b', log), { status: 200, headers: {}, body: 'y' });
  await new Promise((resolve) => setImmediate(resolve));
  assert.deepEqual(failures, ['a refused its headers']);
  assert.deepEqual(log, ['b head 200 ["Content-Length",1]', 'b end y']);
});

test('a failure handler that throws too resets that connection instead of ending the process', async () => {
  const log: string[] = [];
  const batch = new ResponseBatch(() => {
    throw new Error('the handler failed as well');
  });
  batch.send(recorder('a', log, true), { status: 200, headers: {}, body: 'x' });
  batch.send(recorder('b', log), { status: 200, headers: {}, body: 'y' });
  await new Promise((resolve) => setImmediate(resolve));
  assert.deepEqual(log, ['a destroyed', 'b head 200 ["Content-Length",1]', 'b end y']);
});

test('over a real socket the client reads the same status, headers and body', async () => {
  const batch = new ResponseBatch(() => assert.fail('no write fails'));
  const server = createServer((_req, res) => {
    batch.send(res, { status: 201, headers: { 'x-amzn-RequestId': 'r-1' }, body: 'hello' });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  try {
    const { port } = server.address() as AddressInfo;
    const answer = await new Promise<{
      status: number;
      id: string | undefined;
      length: string | undefined;
      body: string;
    }>((resolve, reject) => {
      request({ host: '127.0.0.1', port, path: '/' }, (res) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => (body += chunk));
        res.on('end', () =>
          resolve({
            status: res.statusCode ?? 0,
            id: res.headers['x-amzn-requestid'] as string | undefined,
            length: res.headers['content-length'],
            body,
          }),
        );
      })
        .on('error', reject)
        .end();
    });
    assert.deepEqual(answer, { status: 201, id: 'r-1', length: '5', body: 'hello' });
  } finally {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  }
});

test('sendWith answers run in the same batch, in queue order, and one that throws stops neither the process nor the others', async () => {
  const log: string[] = [];
  const failures: string[] = [];
  const batch = new ResponseBatch((_res, error) => {
    failures.push(error instanceof Error ? error.message : String(error));
  });
  batch.send(recorder('a', log), { status: 200, headers: {}, body: 'x' });
  batch.sendWith(recorder('b', log), (res) => {
    res.writeHead(404, { 'Content-Length': '3' }).end('bbb');
  });
  batch.sendWith(recorder('c', log), () => {
    throw new Error('c could not be written');
  });
  batch.sendWith(recorder('d', log), (res) => {
    res.writeHead(200, { 'Content-Length': '1' }).end('d');
  });
  await Promise.resolve();
  assert.deepEqual(log, [], 'not before the turn is over');
  await new Promise((resolve) => setImmediate(resolve));
  assert.deepEqual(failures, ['c could not be written']);
  assert.deepEqual(log, [
    'a head 200 ["Content-Length",1]',
    'a end x',
    'b head 404 {"Content-Length":"3"}',
    'b end bbb',
    'd head 200 {"Content-Length":"1"}',
    'd end d',
  ]);
  // A failure handler that throws as well: that connection is reset, the next answer still goes.
  const strict = new ResponseBatch(() => {
    throw new Error('the handler failed as well');
  });
  strict.sendWith(recorder('e', log), () => {
    throw new Error('e failed');
  });
  strict.sendWith(recorder('f', log), (res) => {
    res.writeHead(204, {}).end('');
  });
  await new Promise((resolve) => setImmediate(resolve));
  assert.deepEqual(log.slice(-3), ['e destroyed', 'f head 204 {}', 'f end ']);
});

test('the header list carries every header once, in order, and exactly one Content-Length, the given one', () => {
  assert.deepEqual(headerList(200, { 'Content-Type': 'text/xml', 'x-amzn-RequestId': 'r-1' }, 12), [
    'Content-Type',
    'text/xml',
    'x-amzn-RequestId',
    'r-1',
    'Content-Length',
    12,
  ]);
  // A Content-Length already among the headers, in any case, gives way to the given one.
  assert.deepEqual(headerList(206, { 'content-LENGTH': '99', ETag: '"e"', 'Content-Length': '7' }, '3'), [
    'ETag',
    '"e"',
    'Content-Length',
    '3',
  ]);
  assert.deepEqual(headerList(200, {}, 0), ['Content-Length', 0]);
  // None at all where RFC 9110 §8.6 forbids it; a 304 keeps it (the length a 200 would have had).
  assert.deepEqual(headerList(204, { 'x-amz-request-id': 'r', 'Content-Length': '0' }, 0), [
    'x-amz-request-id',
    'r',
  ]);
  assert.deepEqual(headerList(101, {}, 0), []);
  assert.deepEqual(headerList(304, {}, 12), ['Content-Length', 12]);
});

test('over a real socket an answer whose headers named a Content-Length carries only the true one', async () => {
  const server = createServer((_req, res) => {
    writeResponse(res, { status: 200, headers: { 'content-length': '1', 'X-Other': 'o' }, body: 'héllo' });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  try {
    const { port } = server.address() as AddressInfo;
    const raw = await new Promise<string>((resolve, reject) => {
      const socket = connect(port, '127.0.0.1', () =>
        socket.end('GET / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n'),
      );
      let text = '';
      socket.setEncoding('latin1');
      socket.on('data', (chunk: string) => (text += chunk));
      socket.on('end', () => resolve(text));
      socket.on('error', reject);
    });
    const head = raw.slice(0, raw.indexOf('\r\n\r\n')).toLowerCase();
    assert.equal(head.split('\r\n').filter((line) => line.startsWith('content-length:')).length, 1);
    assert.match(head, /\r\ncontent-length: 6\r\n/);
    assert.match(head, /\r\nx-other: o\r\n/);
    assert.equal(Buffer.from(raw.slice(raw.indexOf('\r\n\r\n') + 4), 'latin1').toString('utf8'), 'héllo');
  } finally {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  }
});

test('a 204 answer goes out without Content-Length, and the connection still frames the next answer', async () => {
  let n = 0;
  const server = createServer((_req, res) => {
    n++;
    writeResponse(
      res,
      n === 1 ? { status: 204, headers: {}, body: '' } : { status: 200, headers: {}, body: 'ok' },
    );
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  try {
    const { port } = server.address() as AddressInfo;
    const raw = await new Promise<string>((resolve, reject) => {
      const socket = connect(port, '127.0.0.1', () =>
        socket.end(
          'GET /a HTTP/1.1\r\nHost: x\r\n\r\nGET /b HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n',
        ),
      );
      let text = '';
      socket.setEncoding('latin1');
      socket.on('data', (chunk: string) => (text += chunk));
      socket.on('end', () => resolve(text));
      socket.on('error', reject);
    });
    const [first, second] = raw.split(/(?=HTTP\/1\.1 200)/);
    assert.match(first ?? '', /^HTTP\/1\.1 204 /);
    assert.doesNotMatch((first ?? '').toLowerCase(), /content-length/);
    assert.ok(first?.endsWith('\r\n\r\n'), 'nothing after the 204 head');
    assert.match(second ?? '', /\r\ncontent-length: 2\r\n[\s\S]*\r\n\r\nok$/i);
  } finally {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  }
});
