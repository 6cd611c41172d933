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

/** A value of any kind JSON.stringify meets, nested up to `depth` levels, with places that repeat. */
function anyValue(next: () => number, depth: number, shared: object): unknown {
  const r = next();
  if (r < 0.3) return text(next);
  if (r < 0.38) return [0, -0, 1.5, -2e21, 1e-7, NaN, Infinity, -Infinity][Math.floor(next() * 8)];
  if (r < 0.42) return next() < 0.5;
  if (r < 0.46) return null;
  if (r < 0.5) return [undefined, () => 1, Symbol('s')][Math.floor(next() * 3)];
  if (r < 0.52) return shared;
  if (r < 0.53) return new Date(Math.floor(next() * 2e12));
  if (r < 0.54) return new Map([['k', 'v']]);
  if (depth <= 0) return text(next);
  const n = Math.floor(next() * 5);
  if (r < 0.75) return Array.from({ length: n }, () => anyValue(next, depth - 1, shared));
  const o: Record<string, unknown> = {};
  for (let i = 0; i < n; i++)
    o[next() < 0.2 ? String(Math.floor(next() * 3)) : text(next)] = anyValue(next, depth - 1, shared);
  return o;
}

test('nested objects and arrays, numbers, values JSON leaves out, Dates and Maps are written as JSON.stringify writes them', () => {
  const next = random(11);
  const encoder = new AuditLineEncoder();
  const shared = internJson({ type: 'Root', list: [1, 'a"b', null] });
  for (let i = 0; i < 3000; i++) {
    const event = {
      requestID: text(next),
      requestParameters: anyValue(next, 4, shared),
      openirsa: anyValue(next, 4, shared),
      ...(next() < 0.3 ? { [text(next)]: anyValue(next, 2, shared) } : {}),
    };
    assert.equal(encoder.line(event as unknown as AuditEvent), `${JSON.stringify(event)}\n`);
  }
});

test('a nested toJSON, a class instance, a null prototype and a sparse array are written as JSON.stringify writes them', () => {
  const encoder = new AuditLineEncoder();
  class Point {
    constructor(readonly x: number) {}
  }
  const bare = Object.assign(Object.create(null) as object, { a: 'b' });
  const values: unknown[] = [
    { toJSON: (key: string) => `key ${key}` },
    new Point(1),
    bare,
    // eslint-disable-next-line no-sparse-arrays -- the hole is the case
    [1, , 3],
    new Uint8Array([1, 2]),
    Object.assign([1], { extra: 'x' }),
  ];
  for (const value of values) {
    const event = { requestID: 'r', nested: { value } };
    assert.equal(encoder.line(event as unknown as AuditEvent), `${JSON.stringify(event)}\n`);
  }
});

test('what JSON.stringify refuses (a BigInt, a cycle) throws, and the encoder keeps working after it', () => {
  const encoder = new AuditLineEncoder();
  const cyclic: Record<string, unknown> = { a: 'b' };
  cyclic['self'] = cyclic;
  assert.throws(() => encoder.line({ requestID: 'r', n: { big: 1n } } as unknown as AuditEvent), TypeError);
  assert.throws(() => encoder.line({ requestID: 'r', c: cyclic } as unknown as AuditEvent), TypeError);
  const event = { requestID: 'r2', n: { big: 'no' } };
  assert.equal(encoder.line(event as unknown as AuditEvent), `${JSON.stringify(event)}\n`);
});

test('an event nested deeper than the encoder remembers, or wider, is written as JSON.stringify writes it', () => {
  const encoder = new AuditLineEncoder();
  let deep: unknown = 'leaf';
  for (let i = 0; i < 40; i++) deep = i % 2 === 0 ? { d: deep } : [deep];
  const wide = Object.fromEntries(
    Array.from({ length: 100 }, (_, i) => [`k${i}`, i % 3 === 0 ? 'same' : `v${i}`]),
  );
  for (const event of [
    { requestID: 'r', deep },
    { requestID: 'r', wide },
    { requestID: 'r', wide },
  ]) {
    assert.equal(encoder.line(event as unknown as AuditEvent), `${JSON.stringify(event)}\n`);
  }
});

test('past its budget of remembered nested values, the encoder still writes what JSON.stringify writes', () => {
  const encoder = new AuditLineEncoder();
  const next = random(5);
  // Each event nests at other places than the ones before, until the budget is spent many times over.
  for (let i = 0; i < 3000; i++) {
    const list: unknown[] = Array.from({ length: 1 + (i % 31) }, (_, j) =>
      j === i % 31 ? { [`k${i % 7}`]: [text(next), { v: text(next) }] } : j,
    );
    const event = { requestID: `r${i}`, openirsa: { deep: { list } } };
    assert.equal(encoder.line(event as unknown as AuditEvent), `${JSON.stringify(event)}\n`);
  }
});
