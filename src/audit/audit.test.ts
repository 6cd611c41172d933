import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { fixedClock } from '../shared/clock.js';
import type { AuditEvent } from './event.js';
import { JsonlFileSink } from './jsonl-file-sink.js';
import { MemoryRing } from './memory-ring.js';
import { teeSink } from './sink.js';

function event(requestID: string, eventName = 'GetObject'): AuditEvent {
  return {
    eventVersion: '1.08',
    eventTime: '2026-12-04T10:00:00Z',
    eventSource: 's3.amazonaws.com',
    eventName,
    awsRegion: 'us-east-1',
    sourceIPAddress: '127.0.0.1',
    userIdentity: {
      type: 'AssumedRole',
      arn: 'arn:aws:sts::111122223333:assumed-role/R/s',
      accountId: '111122223333',
    },
    requestParameters: { bucketName: 'b', key: 'k' },
    errorCode: 'AccessDenied',
    errorMessage: 'Access Denied',
    requestID,
    eventID: `e-${requestID}`,
    eventType: 'AwsApiCall',
    recipientAccountId: '111122223333',
    openirsa: { decision: 'implicitDeny', authorizations: [], explanation: 'why' },
  };
}

test('the memory ring finds events by request id and forgets the oldest past capacity', () => {
  const ring = new MemoryRing(2);
  ring.write(event('a'));
  ring.write(event('b'));
  ring.write(event('c'));
  assert.equal(ring.get('a'), undefined);
  assert.equal(ring.get('c')?.requestID, 'c');
  assert.deepEqual(
    ring.recent().map((e) => e.requestID),
    ['c', 'b'],
  );
  assert.throws(() => new MemoryRing(0), TypeError);
});

test('the file sink appends JSON lines, in order, to one file per UTC day, private to the owner', async () => {
  const dir = join(mkdtempSync(join(tmpdir(), 'openirsa-audit-')), 'audit');
  const clock = fixedClock(Date.UTC(2026, 11, 4, 23, 59, 59));
  const sink = new JsonlFileSink({ dir, clock });
  for (let i = 0; i < 50; i++) sink.write(event(`r${i}`));
  await sink.flush();
  clock.advance(2000);
  sink.write(event('next-day'));
  await sink.close();
  sink.write(event('after-close'));
  assert.deepEqual(readdirSync(dir).sort(), ['2026-12-04.jsonl', '2026-12-05.jsonl']);
  const lines = readFileSync(join(dir, '2026-12-04.jsonl'), 'utf8').trim().split('\n');
  assert.deepEqual(
    lines.map((l) => (JSON.parse(l) as AuditEvent).requestID),
    Array.from({ length: 50 }, (_, i) => `r${i}`),
  );
  assert.equal(statSync(join(dir, '2026-12-04.jsonl')).mode & 0o777, 0o600);
  assert.equal(sink.dropped, 1);
});

test('a full queue drops events and counts them instead of blocking', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'openirsa-audit-'));
  const sink = new JsonlFileSink({ dir, clock: fixedClock(0), maxPending: 3 });
  for (let i = 0; i < 10; i++) sink.write(event(`r${i}`));
  await sink.close();
  const written = readFileSync(join(dir, '1970-01-01.jsonl'), 'utf8').trim().split('\n').length;
  assert.equal(written + sink.dropped, 10);
  assert.ok(sink.dropped > 0);
});

test('tee writes every event to every sink', async () => {
  const a = new MemoryRing();
  const b = new MemoryRing();
  const both = teeSink(a, b);
  both.write(event('x'));
  await both.flush();
  assert.ok(a.get('x') && b.get('x'));
});

test('the file sink writes events still waiting for their batch when it closes: a clean shutdown loses none', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'openirsa-audit-'));
  // A batch window far longer than the test: only close() can have written these.
  const sink = new JsonlFileSink({ dir, clock: fixedClock(0), lingerMs: 600_000 });
  for (let i = 0; i < 5; i++) sink.write(event(`r${i}`));
  assert.deepEqual(readdirSync(dir), []);
  await sink.close();
  const lines = readFileSync(join(dir, '1970-01-01.jsonl'), 'utf8').trim().split('\n');
  assert.deepEqual(
    lines.map((l) => (JSON.parse(l) as AuditEvent).requestID),
    ['r0', 'r1', 'r2', 'r3', 'r4'],
  );
  assert.equal(sink.dropped, 0);
});

test('the file sink writes a batch on its own once the batch window has passed', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'openirsa-audit-'));
  const sink = new JsonlFileSink({ dir, clock: fixedClock(0), lingerMs: 1 });
  sink.write(event('a'));
  const file = join(dir, '1970-01-01.jsonl');
  // The file is opened before its first batch is written: wait for a whole line, not for the file.
  const written = () =>
    readdirSync(dir).includes('1970-01-01.jsonl') && readFileSync(file, 'utf8').endsWith('\n');
  for (let i = 0; i < 200 && !written(); i++) {
    await new Promise((r) => setTimeout(r, 5));
  }
  assert.equal((JSON.parse(readFileSync(file, 'utf8')) as AuditEvent).requestID, 'a');
  sink.write(event('b'));
  await sink.close();
  assert.deepEqual(
    readFileSync(file, 'utf8')
      .trim()
      .split('\n')
      .map((l) => (JSON.parse(l) as AuditEvent).requestID),
    ['a', 'b'],
  );
});

test('a batch that cannot be written is counted as dropped, and the sink keeps writing later batches', async () => {
  const root = mkdtempSync(join(tmpdir(), 'openirsa-audit-'));
  const dir = join(root, 'audit');
  const sink = new JsonlFileSink({ dir, clock: fixedClock(0), lingerMs: 600_000 });
  // The day file's name is taken by a directory: opening it for appending fails.
  mkdirSync(join(dir, '1970-01-01.jsonl'), { recursive: true });
  sink.write(event('lost-1'));
  sink.write(event('lost-2'));
  await sink.flush();
  assert.equal(sink.dropped, 2);
  assert.ok(sink.lastError !== undefined);
  rmSync(join(dir, '1970-01-01.jsonl'), { recursive: true });
  sink.write(event('kept'));
  await sink.close();
  assert.equal(
    (JSON.parse(readFileSync(join(dir, '1970-01-01.jsonl'), 'utf8')) as AuditEvent).requestID,
    'kept',
  );
  assert.equal(sink.dropped, 2);
});

test('a large batch reaches the file whole, in order, multi-byte characters intact', async () => {
  const root = mkdtempSync(join(tmpdir(), 'openirsa-audit-'));
  const dir = join(root, 'audit');
  const sink = new JsonlFileSink({ dir, clock: fixedClock(0), lingerMs: 600_000, maxPending: 20_000 });
  for (let i = 0; i < 10_000; i++) sink.write(event(`r-${i}-é😀`));
  await sink.close();
  const lines = readFileSync(join(dir, '1970-01-01.jsonl'), 'utf8').split('\n');
  assert.equal(lines.pop(), '');
  assert.equal(lines.length, 10_000);
  lines.forEach((line, i) => assert.equal((JSON.parse(line) as AuditEvent).requestID, `r-${i}-é😀`));
  assert.equal(sink.dropped, 0);
  rmSync(root, { recursive: true });
});

test('events that arrive while a batch is written wait for the next batch window, not a write of their own', async (t) => {
  t.mock.timers.enable({ apis: ['setTimeout'] });
  const dir = mkdtempSync(join(tmpdir(), 'openirsa-audit-'));
  const sink = new JsonlFileSink({ dir, clock: fixedClock(0), lingerMs: 5 });
  const file = join(dir, '1970-01-01.jsonl');
  const ids = (): string[] =>
    readdirSync(dir).includes('1970-01-01.jsonl')
      ? readFileSync(file, 'utf8')
          .split('\n')
          .filter((l) => l !== '')
          .map((l) => (JSON.parse(l) as AuditEvent).requestID)
      : [];
  // setImmediate is real: the file system's callbacks still run while setTimeout is mocked.
  const turns = async (n: number) => {
    for (let i = 0; i < n; i++) await new Promise((r) => setImmediate(r));
  };
  sink.write(event('a'));
  t.mock.timers.tick(5); // the first window ends: the batch [a] is being written
  sink.write(event('b'));
  sink.write(event('c'));
  // Waited for by the wall clock (setTimeout is mocked; performance.now is not): a loaded machine's
  // threadpool can take longer than any fixed number of turns to open and write the file.
  const within = (ms: number) => {
    const until = performance.now() + ms;
    return () => performance.now() < until;
  };
  for (const more = within(10_000); ids().length === 0 && more();) await turns(1);
  // A bounded look for a write that must not happen (b and c written at once): a slow threadpool could
  // hide it from these 50 turns, but never makes a correct sink fail here.
  await turns(50);
  assert.deepEqual(ids(), ['a'], 'b and c wait for their window');
  t.mock.timers.tick(5);
  for (const more = within(10_000); ids().length < 3 && more();) await turns(1);
  assert.deepEqual(ids(), ['a', 'b', 'c']);
  sink.write(event('d'));
  await sink.close();
  assert.deepEqual(ids(), ['a', 'b', 'c', 'd']);
  assert.equal(sink.dropped, 0);
});
