import assert from 'node:assert/strict';
import type { IncomingMessage } from 'node:http';
import { PassThrough } from 'node:stream';
import { test } from 'node:test';
import { readBody } from './body.js';

/** A stream standing in for a request: readBody reads its events, and `headers` only for the default. */
function request(headers: Record<string, string> = {}): PassThrough & IncomingMessage {
  return Object.assign(new PassThrough(), { headers }) as unknown as PassThrough & IncomingMessage;
}

test('the body is every chunk in order, in one buffer', async () => {
  const req = request();
  const read = readBody(req, 100, undefined);
  req.write('Action=');
  req.write('GetCallerIdentity');
  req.end('&Version=2011-06-15');
  const result = await read;
  assert.ok(result.ok);
  assert.equal(result.body.toString(), 'Action=GetCallerIdentity&Version=2011-06-15');
  assert.equal(req.listenerCount('data'), 0, 'the data listener is gone once the body is read');
});

test('an empty body is an empty buffer', async () => {
  const req = request();
  const read = readBody(req, 100, '0');
  req.end();
  assert.deepEqual(await read, { ok: true, body: Buffer.alloc(0) });
});

test('a declared Content-Length over the bound is refused before any byte is read', async () => {
  const req = request({ 'content-length': '101' });
  assert.deepEqual(await readBody(req, 100), { ok: false, reason: 'tooLarge' });
  assert.equal(req.listenerCount('data'), 0);
  // A declared length at the bound, or one that is not a number, is read.
  const at = request({ 'content-length': '100' });
  const read = readBody(at, 100);
  at.end('x');
  assert.ok((await read).ok);
});

test('a body that grows past the bound stops being buffered the moment it does', async () => {
  const req = request();
  const read = readBody(req, 10, undefined);
  req.write('0123456789');
  req.write('!');
  assert.deepEqual(await read, { ok: false, reason: 'tooLarge' });
  assert.equal(req.listenerCount('data'), 0);
  // What comes after changes nothing.
  req.end('more');
});

test('a request destroyed or failing before its end is aborted; an error after the end changes nothing', async () => {
  const closed = request();
  const first = readBody(closed, 100, undefined);
  closed.write('Action=');
  closed.destroy();
  assert.deepEqual(await first, { ok: false, reason: 'aborted' });

  const failed = request();
  const second = readBody(failed, 100, undefined);
  failed.destroy(new Error('socket hang up'));
  assert.deepEqual(await second, { ok: false, reason: 'aborted' });

  const late = request();
  const third = readBody(late, 100, undefined);
  late.end('a=b');
  const result = await third;
  assert.ok(result.ok);
  // Still listened to: an error now is not thrown as an unhandled 'error' event.
  late.emit('error', new Error('late'));
  assert.equal(result.body.toString(), 'a=b');
});
