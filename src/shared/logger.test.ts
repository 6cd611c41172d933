import assert from 'node:assert/strict';
import { test } from 'node:test';
import { fixedClock } from './clock.js';
import { createLogger, parseLogFormat, type LogFormat } from './logger.js';

const T0 = Date.UTC(2026, 11, 4, 12, 0, 0, 250);
const JWT =
  'eyJhbGciOiJSUzI1NiIsImtpZCI6ImsxIn0.eyJzdWIiOiJzeXN0ZW06c2VydmljZWFjY291bnQ6YTpiIn0.c2lnbmF0dXJlLWJ5dGVz';

function capture(format: LogFormat) {
  const out: string[] = [];
  const err: string[] = [];
  const logger = createLogger(
    format,
    { stdout: (t) => out.push(t), stderr: (t) => err.push(t) },
    fixedClock(T0),
  );
  return { logger, out, err };
}

test('json: one object a line with time (RFC 3339), level and msg first, then the fields', () => {
  const c = capture('json');
  c.logger.error('request failed with an internal error', { requestId: 'r-1', errorCode: 'InternalFailure' });
  assert.deepEqual(c.out, []);
  assert.equal(c.err.length, 1);
  assert.equal(
    c.err[0],
    '{"time":"2026-12-04T12:00:00.250Z","level":"error","msg":"request failed with an internal error","requestId":"r-1","errorCode":"InternalFailure"}\n',
  );
});

test('info goes to stdout, warn and error to stderr, in both formats', () => {
  for (const format of ['text', 'json'] as const) {
    const c = capture(format);
    c.logger.info('a');
    c.logger.warn('b');
    c.logger.error('c');
    assert.equal(c.out.length, 1, format);
    assert.equal(c.err.length, 2, format);
  }
});

test('json ignores the friendly text; text prints it verbatim instead of msg and fields', () => {
  const json = capture('json');
  json.logger.info('stopping', { reason: 'signal' }, 'openirsa: stopping');
  assert.deepEqual(JSON.parse(json.out[0] ?? ''), {
    time: '2026-12-04T12:00:00.250Z',
    level: 'info',
    msg: 'stopping',
    reason: 'signal',
  });
  const text = capture('text');
  text.logger.info('stopping', { reason: 'signal' }, 'openirsa: stopping');
  assert.deepEqual(text.out, ['openirsa: stopping\n']);
});

test('text without a friendly rendering: openirsa: msg, then key=value (quoted when needed)', () => {
  const c = capture('text');
  c.logger.warn('certificate not reloaded', { file: '/etc/tls.crt', error: 'bad PEM data', n: 2, empty: '' });
  assert.deepEqual(c.err, [
    'openirsa: warning: certificate not reloaded file=/etc/tls.crt error="bad PEM data" n=2 empty=""\n',
  ]);
  c.logger.error('boom', { absent: undefined, nested: { a: [1, 'x'] } });
  assert.equal(c.err[1], 'openirsa: boom nested="{\\"a\\":[1,\\"x\\"]}"\n');
});

test('secret keys are redacted whatever they hold, at any depth, in both formats', () => {
  const json = capture('json');
  json.logger.error('x', {
    SecretAccessKey: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY',
    nested: { sessionToken: 'IQoJb3JpZ2luX2VjEXAMPLE', keep: 'ok' },
    list: [{ authorization: 'AWS4-HMAC-SHA256 Credential=...' }],
  });
  const line = json.err[0] ?? '';
  assert.doesNotMatch(line, /wJalr|IQoJb3|AWS4-HMAC/);
  assert.deepEqual(JSON.parse(line), {
    time: '2026-12-04T12:00:00.250Z',
    level: 'error',
    msg: 'x',
    SecretAccessKey: '[redacted]',
    nested: { sessionToken: '[redacted]', keep: 'ok' },
    list: [{ authorization: '[redacted]' }],
  });
  const text = capture('text');
  text.logger.error('x', { token: 'anything' });
  assert.deepEqual(text.err, ['openirsa: x token=[redacted]\n']);
});

test('a JWT inside any string (msg, field, friendly text) is redacted', () => {
  const json = capture('json');
  json.logger.error(`bad token ${JWT}`, { detail: `got ${JWT}.` });
  assert.doesNotMatch(json.err[0] ?? '', /eyJ/);
  assert.match(json.err[0] ?? '', /"msg":"bad token \[redacted JWT\]","detail":"got \[redacted JWT\]\."/);
  const text = capture('text');
  text.logger.info('m', {}, `openirsa: token ${JWT}`);
  assert.deepEqual(text.out, ['openirsa: token [redacted JWT]\n']);
});

test('fields named time, level or msg do not overwrite the line own members', () => {
  const c = capture('json');
  c.logger.info('m', { time: 'x', level: 'y', msg: 'z' });
  assert.deepEqual(JSON.parse(c.out[0] ?? ''), {
    time: '2026-12-04T12:00:00.250Z',
    level: 'info',
    msg: 'm',
    _time: 'x',
    _level: 'y',
    _msg: 'z',
  });
});

test('errors become their stack or message; long strings and deep nesting are bounded', () => {
  const c = capture('json');
  const deep: Record<string, unknown> = {};
  let at = deep;
  for (let i = 0; i < 10; i++) {
    const next: Record<string, unknown> = {};
    at.d = next;
    at = next;
  }
  c.logger.error('m', { error: new Error('nope'), long: 'a'.repeat(10_000), deep, big: 10n });
  const parsed = JSON.parse(c.err[0] ?? '') as { error: string; long: string; deep: unknown; big: string };
  assert.match(parsed.error, /^Error: nope\n/);
  assert.equal(parsed.long.length, 8192 + '...[cut]'.length);
  assert.match(JSON.stringify(parsed.deep), /"\[too deep\]"/);
  assert.equal(parsed.big, '10');
});

test('parseLogFormat takes text and json only', () => {
  assert.equal(parseLogFormat('text'), 'text');
  assert.equal(parseLogFormat('json'), 'json');
  assert.equal(parseLogFormat('JSON'), undefined);
  assert.equal(parseLogFormat(''), undefined);
});
