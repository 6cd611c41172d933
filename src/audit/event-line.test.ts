import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { AuditEvent, UserIdentity } from './event.js';
import { AuditLineEncoder, internJson } from './event-line.js';
import { seededRandom as random } from '../shared/seeded-random.js';

const encoder = new AuditLineEncoder();
const auditEventLine = (event: AuditEvent): string => encoder.line(event);

/** Characters JSON escapes or that are easy to get wrong, among plain ones. */
const TRICKY = [
  '"',
  '\\',
  '\n',
  '\r',
  '\t',
  '\u0000',
  '\u001f',
  '\u007f',
  '\u2028',
  '\ud83d\ude00',
  '\ud800',
  '\udfff',
  'é',
  '/',
  '<',
];

/** Strings seen before: half the values repeat, as members do from event to event, some in place. */
const POOL: string[] = [];

function text(next: () => number): string {
  if (POOL.length > 0 && next() < 0.5) return POOL[Math.floor(next() * POOL.length)] ?? '';
  const s = fresh(next);
  if (POOL.length < 8) POOL.push(s);
  return s;
}

function fresh(next: () => number): string {
  const n = Math.floor(next() * 12);
  let s = '';
  for (let i = 0; i < n; i++) {
    const r = next();
    if (r < 0.3) s += TRICKY[Math.floor(next() * TRICKY.length)] ?? '';
    else if (r < 0.35) s += String.fromCharCode(Math.floor(next() * 0x10000));
    else s += String.fromCharCode(0x20 + Math.floor(next() * 0x5f));
  }
  return s;
}

function maybe<T>(next: () => number, value: T): T | undefined {
  return next() < 0.5 ? value : undefined;
}

function identity(next: () => number): UserIdentity {
  return {
    type: 'AssumedRole',
    principalId: text(next),
    arn: text(next),
    accountId: text(next),
    ...(next() < 0.5 ? { userName: text(next) } : {}),
    sessionContext: {
      sessionIssuer: { type: 'Role', arn: text(next), accountId: text(next), userName: text(next) },
      attributes: { creationDate: text(next), mfaAuthenticated: 'false' },
    },
  };
}

function randomEvent(next: () => number, shared: UserIdentity): AuditEvent {
  const base = {
    eventVersion: '1.08',
    eventTime: text(next),
    eventSource: text(next),
    eventName: text(next),
    awsRegion: text(next),
    sourceIPAddress: text(next),
    // Present, absent, or present with the value undefined (JSON.stringify leaves that out).
    ...(next() < 0.6 ? { userAgent: maybe(next, text(next)) } : {}),
    userIdentity: next() < 0.5 ? shared : identity(next),
    requestParameters:
      next() < 0.5 ? null : { [text(next)]: text(next), n: next() * 1e6, list: [1, text(next), null] },
    ...(next() < 0.3 ? { responseElements: next() < 0.5 ? null : { v: text(next) } } : {}),
    ...(next() < 0.4 ? { errorCode: text(next), errorMessage: text(next) } : {}),
    requestID: text(next),
    eventID: text(next),
    ...(next() < 0.3 ? { readOnly: next() < 0.5 } : {}),
    ...(next() < 0.3 ? { resources: [{ ARN: text(next), type: maybe(next, text(next)) }] } : {}),
    eventType: 'AwsApiCall',
    recipientAccountId: text(next),
    openirsa: {
      decision: 'allowed',
      authorizations: [
        { action: text(next), resource: text(next), decision: 'explicitDeny', matchedStatements: [] },
      ],
      ...(next() < 0.5 ? { explanation: text(next) } : {}),
    },
  } as const;
  return base;
}

test('an audit line is the bytes of JSON.stringify plus a newline, over random events with characters to escape', () => {
  const next = random(7);
  const shared = internJson(identity(next));
  for (let i = 0; i < 3000; i++) {
    const event = randomEvent(next, shared);
    assert.equal(auditEventLine(event), `${JSON.stringify(event)}\n`);
  }
});

test('members keep the order they were written in, whatever it is', () => {
  const event = {
    requestID: 'r',
    eventVersion: '1.08',
    openirsa: { decision: 'allowed', authorizations: [] },
  };
  assert.equal(auditEventLine(event as unknown as AuditEvent), `${JSON.stringify(event)}\n`);
});

test('an event with toJSON is written as JSON.stringify writes it', () => {
  const event = { requestID: 'r', toJSON: () => ({ replaced: true }) };
  assert.equal(auditEventLine(event as unknown as AuditEvent), '{"replaced":true}\n');
});

test('an interned value is frozen to the bottom, so its kept JSON cannot go stale', () => {
  const value = internJson({ type: 'AssumedRole', sessionContext: { attributes: { creationDate: 'd' } } });
  assert.ok(Object.isFrozen(value));
  assert.ok(Object.isFrozen(value.sessionContext));
  assert.ok(Object.isFrozen(value.sessionContext.attributes));
  assert.throws(() => {
    value.sessionContext.attributes.creationDate = 'x';
  }, TypeError);
  const event = { requestID: 'r', userIdentity: value };
  assert.equal(auditEventLine(event as unknown as AuditEvent), `${JSON.stringify(event)}\n`);
});

test('a member repeated from the previous event, or moved to another place, is written as JSON.stringify writes it', () => {
  const encoder = new AuditLineEncoder();
  const a = {
    requestID: 'r1',
    userAgent: 'ua "quoted"',
    eventName: 'GetCallerIdentity',
    awsRegion: 'us-east-1',
  };
  const b = { requestID: 'r2', eventName: 'ua "quoted"', awsRegion: 'us-east-1' };
  const c = { requestID: 'r3', userAgent: undefined, eventName: 'GetCallerIdentity', awsRegion: 'us-east-1' };
  for (const event of [a, a, b, a, c, c, a, b, b]) {
    assert.equal(encoder.line(event as unknown as AuditEvent), `${JSON.stringify(event)}\n`);
  }
});
