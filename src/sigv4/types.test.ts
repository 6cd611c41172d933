import assert from 'node:assert/strict';
import { createServer, type IncomingMessage } from 'node:http';
import { connect, type AddressInfo } from 'node:net';
import { test } from 'node:test';
import { distinctHeaders, headersFromRaw } from './types.js';

/** The request node:http parses from `head`, sent over a real loopback socket. */
async function received(head: string): Promise<IncomingMessage> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  try {
    const got = new Promise<IncomingMessage>((resolve) =>
      server.once('request', (req: IncomingMessage, res) => {
        resolve(req);
        res.end();
      }),
    );
    const socket = connect((server.address() as AddressInfo).port, '127.0.0.1');
    socket.on('error', () => undefined);
    socket.end(head);
    const req = await got;
    socket.destroy();
    return req;
  } finally {
    server.close();
  }
}

test('headers from rawHeaders equal the flattened headersDistinct: case folded, repeats listed in order', async () => {
  const req = await received(
    'POST / HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Amz-Date: 20261204T000000Z\r\nMy-Header: a\r\nmy-header: b\r\n' +
      'MY-HEADER: c\r\nContent-Length: 0\r\n\r\n',
  );
  const flat = headersFromRaw(req.rawHeaders);
  assert.deepEqual({ ...flat }, { ...distinctHeaders(req.headersDistinct) });
  assert.deepEqual(flat['my-header'], ['a', 'b', 'c']);
  assert.equal(flat['x-amz-date'], '20261204T000000Z');
});

test('a header named __proto__ or constructor is a header like any other', () => {
  const flat = headersFromRaw(['__proto__', 'x', 'Constructor', 'y', 'toString', 'z']);
  assert.equal(flat['__proto__'], 'x');
  assert.equal(flat['constructor'], 'y');
  assert.equal(flat['tostring'], 'z');
  // Its prototype is an empty frozen object without one: nothing of Object.prototype is reached.
  assert.equal(Object.getPrototypeOf(Object.getPrototypeOf(flat)), null);
  assert.equal(flat['hasownproperty'], undefined);
});

test('flat headers pass through distinctHeaders as they are; one-element lists become strings', () => {
  const flat = { a: 'x', b: ['1', '2'] };
  assert.equal(distinctHeaders(flat), flat);
  assert.deepEqual(distinctHeaders({ a: ['x'], b: ['1', '2'] }), flat);
});

test("headersFromRaw's objects pass through distinctHeaders unscanned; a copy of one is still flattened", () => {
  const built = headersFromRaw(['Host', 'h', 'X-A', '1', 'x-a', '2']);
  assert.equal(distinctHeaders(built), built);
  const copied: Record<string, string | readonly string[]> = { ...built, one: ['only'] };
  const flattened = distinctHeaders(copied);
  assert.notEqual(flattened, copied);
  assert.deepEqual(flattened, { host: 'h', 'x-a': ['1', '2'], one: 'only' });
});

test('headersFromRaw objects reach no Object.prototype member, whatever the names', () => {
  const flat = headersFromRaw(['Host', 'h']);
  for (const name of [
    '__proto__',
    'constructor',
    'toString',
    'hasOwnProperty',
    'valueOf',
    '__defineGetter__',
  ]) {
    assert.equal(flat[name], undefined, name);
  }
  assert.deepEqual(Object.keys(flat), ['host']);
  const proto = headersFromRaw(['__proto__', 'x']);
  assert.deepEqual(Object.keys(proto), ['__proto__']);
  assert.equal(Object.getPrototypeOf(Object.getPrototypeOf(proto)), null);
});
