import type { AuditEvent } from './event.js';

/**
 * Where audit events go. `write` never blocks the request and never throws: a sink that cannot keep
 * up drops events and counts them, since losing an audit line must not fail a request.
 */
export interface AuditSink {
  write(event: AuditEvent): void;
  /** Resolves when everything written so far has reached its destination. */
  flush(): Promise<void>;
  close(): Promise<void>;
}

/** Several sinks as one. */
export function teeSink(...sinks: readonly AuditSink[]): AuditSink {
  return {
    write: (event) => {
      for (const s of sinks) s.write(event);
    },
    flush: async () => {
      await Promise.all(sinks.map((s) => s.flush()));
    },
    close: async () => {
      await Promise.all(sinks.map((s) => s.close()));
    },
  };
}
