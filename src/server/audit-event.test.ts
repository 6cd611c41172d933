import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Caller } from '../iam/caller.js';
import { AuditEvents, type AuditFacts } from './audit-event.js';

const roleSession: Caller = {
  kind: 'assumedRole',
  accountId: '111122223333',
  partition: 'aws',
  arn: 'arn:aws:sts::111122223333:assumed-role/r/s',
  roleArn: 'arn:aws:iam::111122223333:role/r',
  roleId: 'AROAEXAMPLE',
  roleName: 'r',
  sessionName: 's',
  accessKeyId: 'ASIAEXAMPLE',
  issuedAt: Date.UTC(2026, 11, 4, 12, 0, 0, 250),
  expiresAt: Date.UTC(2026, 11, 4, 13, 0, 0),
};

function facts(caller: Caller, time: number): AuditFacts {
  return {
    time,
    service: 'sts',
    action: 'GetCallerIdentity',
    region: 'us-east-1',
    sourceIp: '127.0.0.1',
    caller,
    requestId: 'req',
    eventId: 'evt',
    decision: { decision: 'allowed', authorizations: [] },
  };
}

test("a role session's userIdentity is built once, frozen, and the same in each of its events", () => {
  const events = new AuditEvents();
  const auditEvent = (f: AuditFacts) => events.build(f);
  const t = Date.UTC(2026, 11, 4, 12, 30, 0);
  const first = auditEvent(facts(roleSession, t)).userIdentity;
  const second = auditEvent(facts(roleSession, t + 5000)).userIdentity;
  assert.equal(second, first);
  assert.ok(Object.isFrozen(first));
  assert.ok(first.sessionContext !== undefined && Object.isFrozen(first.sessionContext.attributes));
  assert.deepEqual(first, {
    type: 'AssumedRole',
    principalId: 'AROAEXAMPLE:s',
    arn: 'arn:aws:sts::111122223333:assumed-role/r/s',
    accountId: '111122223333',
    accessKeyId: 'ASIAEXAMPLE',
    sessionContext: {
      sessionIssuer: {
        type: 'Role',
        principalId: 'AROAEXAMPLE',
        arn: 'arn:aws:iam::111122223333:role/r',
        accountId: '111122223333',
        userName: 'r',
      },
      attributes: { creationDate: '2026-12-04T12:00:00.250Z', mfaAuthenticated: 'false' },
    },
  });
  // An equal caller object of another session has its own.
  assert.notEqual(auditEvent(facts({ ...roleSession }, t)).userIdentity, first);
});

test('eventTime is whole seconds, and follows the clock from one second to the next (and back)', () => {
  const events = new AuditEvents();
  const auditEvent = (f: AuditFacts) => events.build(f);
  const t = Date.UTC(2026, 11, 4, 12, 30, 0);
  assert.equal(auditEvent(facts(roleSession, t + 999)).eventTime, '2026-12-04T12:30:00Z');
  assert.equal(auditEvent(facts(roleSession, t + 1000)).eventTime, '2026-12-04T12:30:01Z');
  assert.equal(auditEvent(facts(roleSession, t + 1999)).eventTime, '2026-12-04T12:30:01Z');
  assert.equal(auditEvent(facts(roleSession, t - 1)).eventTime, '2026-12-04T12:29:59Z');
  assert.equal(auditEvent(facts({ kind: 'anonymous' }, t)).userIdentity.type, 'Unknown');
});

test('two builders share nothing: a long-term identity is reused within one, built anew in another', () => {
  const root: Caller = {
    kind: 'root',
    accountId: '111122223333',
    partition: 'aws',
    arn: 'arn:aws:iam::111122223333:root',
    accessKeyId: 'AKIAEXAMPLE',
  };
  const [a, b] = [new AuditEvents(), new AuditEvents()];
  const t = Date.UTC(2026, 11, 4, 12, 30, 0);
  const first = a.build(facts({ ...root }, t)).userIdentity;
  // The same identity from a new Caller object (as each request of a long-term key builds one).
  assert.equal(a.build(facts({ ...root }, t)).userIdentity, first);
  const other = b.build(facts({ ...root }, t)).userIdentity;
  assert.notEqual(other, first);
  assert.deepEqual(other, first);
  // Another root key replaces the remembered one; its events carry their own key.
  const next = a.build(facts({ ...root, accessKeyId: 'AKIAOTHER' }, t)).userIdentity;
  assert.equal(next.accessKeyId, 'AKIAOTHER');
  assert.equal(first.accessKeyId, 'AKIAEXAMPLE');
  // A role session's identity stays with its builder too.
  assert.notEqual(b.build(facts(roleSession, t)).userIdentity, a.build(facts(roleSession, t)).userIdentity);
});
