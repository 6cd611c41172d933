import { appendFile, mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { Clock } from '../shared/clock.js';
import type { AuditEvent } from './event.js';
import type { AuditSink } from './sink.js';

export interface JsonlFileSinkOptions {
  /** The directory, `<data>/audit`; created on first write with mode 0700. */
  readonly dir: string;
  readonly clock: Clock;
  /** Events held in memory while a write is in flight; beyond it new events are dropped and counted. */
  readonly maxPending?: number;
}

/**
 * Appends events as JSON lines to `<dir>/YYYY-MM-DD.jsonl` (UTC day of the write), one file a day so
 * that old days can be shipped or deleted whole. Writes are batched: while one append is in flight the
 * next events queue, and go out together, in order.
 */
export class JsonlFileSink implements AuditSink {
  private pending: string[] = [];
  private inFlight: Promise<void> | undefined;
  private madeDir = false;
  private closed = false;
  /** Events dropped because the queue was full or the sink closed. */
  dropped = 0;
  /** The last write error, if any (the sink keeps going). */
  lastError: Error | undefined;

  constructor(private readonly options: JsonlFileSinkOptions) {}

  write(event: AuditEvent): void {
    if (this.closed || this.pending.length >= (this.options.maxPending ?? 10_000)) {
      this.dropped++;
      return;
    }
    this.pending.push(`${JSON.stringify(event)}\n`);
    this.inFlight ??= this.drain();
  }

  private async drain(): Promise<void> {
    try {
      while (this.pending.length > 0) {
        const batch = this.pending.join('');
        this.pending = [];
        if (!this.madeDir) {
          await mkdir(this.options.dir, { recursive: true, mode: 0o700 });
          this.madeDir = true;
        }
        const day = new Date(this.options.clock.now()).toISOString().slice(0, 10);
        try {
          await appendFile(join(this.options.dir, `${day}.jsonl`), batch, { mode: 0o600 });
        } catch (e) {
          this.lastError = e instanceof Error ? e : new Error(String(e));
          this.dropped += batch.split('\n').length - 1;
        }
      }
    } finally {
      this.inFlight = undefined;
    }
  }

  async flush(): Promise<void> {
    while (this.inFlight) await this.inFlight;
  }

  async close(): Promise<void> {
    await this.flush();
    this.closed = true;
  }
}
