import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { AuditEvent } from './event.js';
import { MemoryRing } from './memory-ring.js';
import { seededRandom as random } from '../shared/seeded-random.js';

function event(requestID: string, eventName = 'GetCallerIdentity'): AuditEvent {
  return {
    eventVersion: '1.08',
    eventTime: '2026-12-04T10:00:00Z',
    eventSource: 'sts.amazonaws.com',
    eventName,
    awsRegion: 'us-east-1',
    sourceIPAddress: '127.0.0.1',
    userIdentity: { type: 'Unknown' },
    requestParameters: null,
    requestID,
    eventID: `e-${requestID}`,
    eventType: 'AwsApiCall',
    recipientAccountId: '',
    openirsa: { decision: 'allowed', authorizations: [] },
  };
}

/** The ring as it was before the circular array: a Map kept in write order. The reference. */
class MapRing {
  private readonly byId = new Map<string, AuditEvent>();
  constructor(private readonly capacity: number) {}
  write(e: AuditEvent): void {
    this.byId.delete(e.requestID);
    this.byId.set(e.requestID, e);
    if (this.byId.size > this.capacity) {
      const oldest = this.byId.keys().next();
      if (!oldest.done) this.byId.delete(oldest.value);
    }
  }
  get(id: string): AuditEvent | undefined {
    return this.byId.get(id);
  }
  recent(limit = 100): AuditEvent[] {
    const all = [...this.byId.values()];
    return all.slice(Math.max(0, all.length - limit)).reverse();
  }
}

const LIMITS = [undefined, 0, 1, 2, 3, 7, 100, -1, 2.5, 0.5, Number.NaN, Infinity, -Infinity];

test('the ring answers get and recent exactly as the Map-ordered ring did, over random writes with repeated ids', () => {
  for (let seed = 1; seed <= 60; seed++) {
    const next = random(seed);
    const capacity = 1 + Math.floor(next() * 8);
    const ids = 1 + Math.floor(next() * 20);
    const ring = new MemoryRing(capacity);
    const reference = new MapRing(capacity);
    for (let step = 0; step < 200; step++) {
      // Names repeat often, so a rewritten id is exercised at every position of the ring.
      const e = event(`r${Math.floor(next() * ids)}`, `step${step}`);
      ring.write(e);
      reference.write(e);
      for (let i = 0; i < ids; i++) assert.equal(ring.get(`r${i}`), reference.get(`r${i}`), `seed ${seed}`);
      for (const limit of LIMITS)
        assert.deepEqual(ring.recent(limit), reference.recent(limit), `seed ${seed}`);
    }
  }
});

test('at capacity a write forgets only the oldest event, and recent lists the newest first', () => {
  const ring = new MemoryRing(3);
  for (const id of ['a', 'b', 'c', 'd', 'e']) ring.write(event(id));
  assert.equal(ring.get('a'), undefined);
  assert.equal(ring.get('b'), undefined);
  assert.equal(ring.get('c')?.requestID, 'c');
  assert.deepEqual(
    ring.recent().map((e) => e.requestID),
    ['e', 'd', 'c'],
  );
  assert.deepEqual(
    ring.recent(2).map((e) => e.requestID),
    ['e', 'd'],
  );
});

test('an id written again replaces its event and becomes the newest, so it outlives the others', () => {
  const ring = new MemoryRing(3);
  for (const id of ['a', 'b', 'c']) ring.write(event(id));
  ring.write(event('a', 'again'));
  ring.write(event('d'));
  assert.equal(ring.get('a')?.eventName, 'again');
  assert.equal(ring.get('b'), undefined);
  assert.deepEqual(
    ring.recent().map((e) => e.requestID),
    ['d', 'a', 'c'],
  );
});

test('a ring of one holds the last event', () => {
  const ring = new MemoryRing(1);
  ring.write(event('a'));
  ring.write(event('b'));
  assert.deepEqual(
    ring.recent().map((e) => e.requestID),
    ['b'],
  );
  assert.equal(ring.get('a'), undefined);
  assert.throws(() => new MemoryRing(1.5), TypeError);
  assert.throws(() => new MemoryRing(-1), TypeError);
});
