import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { AuditEvent } from '../audit/event.js';
import { fixedClock } from '../shared/clock.js';
import { createLogger, type LogFormat } from '../shared/logger.js';
import { denialLogSink } from './denial-log.js';

function event(decision: AuditEvent['openirsa']['decision']): AuditEvent {
  return {
    eventVersion: '1.08',
    eventTime: '2026-12-04T12:00:00Z',
    eventSource: 'sts.amazonaws.com',
    eventName: 'AssumeRoleWithWebIdentity',
    awsRegion: 'us-east-1',
    sourceIPAddress: '127.0.0.1',
    userIdentity: { type: 'WebIdentityUser', identityProvider: 'http://127.0.0.1:4566' },
    requestParameters: null,
    ...(decision !== 'allowed'
      ? { errorCode: 'AccessDenied', errorMessage: 'Not authorized to perform sts:AssumeRoleWithWebIdentity' }
      : {}),
    requestID: 'req-1',
    eventID: 'ev-1',
    eventType: 'AwsApiCall',
    recipientAccountId: '000000000000',
    openirsa: {
      decision,
      authorizations: [],
      ...(decision !== 'allowed' ? { explanation: 'no statement of the trust policy matched' } : {}),
    },
  };
}

function sink(format: LogFormat) {
  const out: string[] = [];
  const logger = createLogger(
    format,
    { stdout: (t) => out.push(t), stderr: (t) => out.push(t) },
    fixedClock(0),
  );
  return { out, sink: denialLogSink(logger, (id) => `openirsa explain ${id} --data ./d`) };
}

test('a denied request is one text line naming action, caller, error code and the explain command', () => {
  const t = sink('text');
  t.sink.write(event('implicitDeny'));
  assert.deepEqual(t.out, [
    'openirsa: denied sts:AssumeRoleWithWebIdentity by http://127.0.0.1:4566 (AccessDenied); `openirsa explain req-1 --data ./d` says why\n',
  ]);
});

test('in json the denial carries requestId, errorCode, decision and the explanation as fields', () => {
  const t = sink('json');
  t.sink.write(event('explicitDeny'));
  assert.deepEqual(JSON.parse(t.out[0] ?? ''), {
    time: '1970-01-01T00:00:00.000Z',
    level: 'info',
    msg: 'request denied',
    requestId: 'req-1',
    action: 'sts:AssumeRoleWithWebIdentity',
    principal: 'http://127.0.0.1:4566',
    decision: 'explicitDeny',
    errorCode: 'AccessDenied',
    explanation: 'no statement of the trust policy matched',
    sourceIp: '127.0.0.1',
  });
});

test('an unauthenticated caller is named anonymous', () => {
  const t = sink('text');
  t.sink.write({ ...event('implicitDeny'), userIdentity: { type: 'Unknown' } });
  assert.match(
    t.out[0] ?? '',
    /^openirsa: denied sts:AssumeRoleWithWebIdentity by anonymous \(AccessDenied\)/,
  );
});

test('an allowed request logs nothing', () => {
  const t = sink('json');
  t.sink.write(event('allowed'));
  assert.deepEqual(t.out, []);
});
