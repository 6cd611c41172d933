import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import type { AuditEvent } from '../audit/event.js';
import { fixedClock } from '../shared/clock.js';
import { main } from './main.js';
import { recordingIo } from './testdata/recording-io.js';

const capture = () => recordingIo({ clock: fixedClock(0) });

const denied: AuditEvent = {
  eventVersion: '1.08',
  eventTime: '2026-12-04T10:00:00Z',
  eventSource: 'sts.amazonaws.com',
  eventName: 'AssumeRoleWithWebIdentity',
  awsRegion: 'us-east-1',
  sourceIPAddress: '127.0.0.1',
  userIdentity: {
    type: 'WebIdentityUser',
    identityProvider: 'arn:aws:iam::000000000000:oidc-provider/127.0.0.1:4566',
  },
  requestParameters: null,
  errorCode: 'AccessDenied',
  errorMessage: 'Not authorized to perform sts:AssumeRoleWithWebIdentity',
  requestID: 'req-denied',
  eventID: 'e1',
  eventType: 'AwsApiCall',
  recipientAccountId: '000000000000',
  openirsa: {
    decision: 'implicitDeny',
    authorizations: [
      {
        action: 'sts:AssumeRoleWithWebIdentity',
        resource: 'arn:aws:iam::000000000000:role/app',
        decision: 'implicitDeny',
        reason: 'noTrustAllow',
        matchedStatements: [],
      },
    ],
    explanation:
      'implicitDeny: ...\n  condition StringEquals on `127.0.0.1:4566:sub` failed: expected `system:serviceaccount:default:app`, the request has `system:serviceaccount:default:other`',
  },
};

function dataDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'openirsa-explain-'));
  mkdirSync(join(dir, 'audit'));
  writeFileSync(
    join(dir, 'audit', '2026-12-03.jsonl'),
    `${JSON.stringify({ ...denied, requestID: 'older' })}\n`,
  );
  writeFileSync(join(dir, 'audit', '2026-12-04.jsonl'), `${JSON.stringify(denied)}\n{"torn`);
  return dir;
}

test('explain REQUEST_ID prints the decision, the answer and the explanation the audit log holds', async () => {
  const { io, out } = capture();
  assert.equal(await main(['explain', 'req-denied', '--data', dataDir()], io), 0);
  const text = out.join('');
  assert.match(
    text,
    /^implicitDeny: sts:AssumeRoleWithWebIdentity by arn:aws:iam::000000000000:oidc-provider\/127\.0\.0\.1:4566/,
  );
  assert.match(text, /answered: AccessDenied: Not authorized to perform sts:AssumeRoleWithWebIdentity/);
  assert.match(
    text,
    /sts:AssumeRoleWithWebIdentity on arn:aws:iam::000000000000:role\/app: implicitDeny \(noTrustAllow\)/,
  );
  assert.match(
    text,
    /expected `system:serviceaccount:default:app`, the request has `system:serviceaccount:default:other`/,
  );
});

test('explain finds requests of earlier days, gives JSON with --json, and exits 1 for an unknown id', async () => {
  const dir = dataDir();
  const json = capture();
  assert.equal(await main(['explain', 'older', '--data', dir, '--json'], json.io), 0);
  assert.equal((JSON.parse(json.out.join('')) as AuditEvent).requestID, 'older');
  const missing = capture();
  assert.equal(await main(['explain', 'nope', '--data', dir], missing.io), 1);
  assert.match(missing.err.join(''), /^openirsa: no request `nope` in the audit log at /);
  assert.equal(await main(['explain', '--data', dir], capture().io), 2);
});

test('explain --last-denied takes the newest denied request, skipping allowed ones and torn lines', async () => {
  const dir = dataDir();
  const allowed: AuditEvent = {
    ...denied,
    requestID: 'allowed-later',
    openirsa: { ...denied.openirsa, decision: 'allowed' },
  };
  writeFileSync(
    join(dir, 'audit', '2026-12-04.jsonl'),
    `${JSON.stringify(denied)}\n${JSON.stringify(allowed)}\n{"torn`,
  );
  const last = capture();
  assert.equal(await main(['explain', '--last-denied', '--data', dir, '--json'], last.io), 0);
  assert.equal((JSON.parse(last.out.join('')) as AuditEvent).requestID, 'req-denied');
  // With no denial of that day, the newest denial of an earlier day.
  writeFileSync(join(dir, 'audit', '2026-12-04.jsonl'), `${JSON.stringify(allowed)}\n`);
  const earlier = capture();
  assert.equal(await main(['explain', '--last-denied', '--data', dir, '--json'], earlier.io), 0);
  assert.equal((JSON.parse(earlier.out.join('')) as AuditEvent).requestID, 'older');
  const none = capture();
  const empty = mkdtempSync(join(tmpdir(), 'openirsa-explain-'));
  assert.equal(await main(['explain', '--last-denied', '--data', empty], none.io), 1);
  assert.match(none.err.join(''), /^openirsa: no denied request in the audit log at /);
  // A request id and --last-denied together are a usage error.
  assert.equal(await main(['explain', 'req-denied', '--last-denied', '--data', dir], capture().io), 2);
});
