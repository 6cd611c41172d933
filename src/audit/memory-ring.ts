import type { AuditEvent } from './event.js';
import type { AuditSink } from './sink.js';

/**
 * The last `capacity` events in memory, found by request id: what `openirsa explain REQUEST_ID` asks
 * the server for. Bounded: the oldest event goes when a new one arrives at capacity.
 */
export class MemoryRing implements AuditSink {
  private readonly byId = new Map<string, AuditEvent>();
  constructor(private readonly capacity = 10_000) {
    if (!Number.isInteger(capacity) || capacity < 1)
      throw new TypeError('capacity must be a positive integer');
  }

  write(event: AuditEvent): void {
    this.byId.delete(event.requestID);
    this.byId.set(event.requestID, event);
    if (this.byId.size > this.capacity) {
      const oldest = this.byId.keys().next();
      if (!oldest.done) this.byId.delete(oldest.value);
    }
  }

  get(requestId: string): AuditEvent | undefined {
    return this.byId.get(requestId);
  }

  /** The newest events first, at most `limit`. */
  recent(limit = 100): AuditEvent[] {
    const all = [...this.byId.values()];
    return all.slice(Math.max(0, all.length - limit)).reverse();
  }

  flush(): Promise<void> {
    return Promise.resolve();
  }

  close(): Promise<void> {
    return Promise.resolve();
  }
}
