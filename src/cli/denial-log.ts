import type { AuditEvent } from '../audit/event.js';
import type { AuditSink } from '../audit/sink.js';
import type { Logger } from '../shared/logger.js';

/**
 * An audit sink that logs each denied request as one line: what was denied, to whom, the error code,
 * the request id and (json only) the explanation, so that a denial is seen where the server runs and
 * `openirsa explain` is one copy away. The audit files are written by their own sink, unchanged.
 * Carries nothing the audit event does not: no credentials, tokens or bodies.
 */
export function denialLogSink(logger: Logger, explainCommand: (requestId: string) => string): AuditSink {
  return {
    write: (event) => {
      if (event.openirsa.decision === 'allowed') return;
      // An audit sink never throws (sink.ts): a failed log line must not fail the request.
      try {
        logDenial(logger, event, explainCommand(event.requestID));
      } catch {
        // Nothing to report to: the logger itself failed.
      }
    },
    flush: () => Promise.resolve(),
    close: () => Promise.resolve(),
  };
}

function logDenial(logger: Logger, e: AuditEvent, explain: string): void {
  const service = e.eventSource.replace(/\.amazonaws\.com$/, '');
  const action = `${service}:${e.eventName}`;
  const { arn, identityProvider, type } = e.userIdentity;
  // An unauthenticated caller is recorded as type `Unknown`; the explanation calls it anonymous.
  const principal = arn ?? identityProvider ?? (type === 'Unknown' ? 'anonymous' : type);
  logger.info(
    'request denied',
    {
      requestId: e.requestID,
      action,
      principal,
      decision: e.openirsa.decision,
      ...(e.errorCode !== undefined ? { errorCode: e.errorCode } : {}),
      ...(e.openirsa.explanation !== undefined ? { explanation: e.openirsa.explanation } : {}),
      sourceIp: e.sourceIPAddress,
    },
    `openirsa: denied ${action} by ${principal}${e.errorCode !== undefined ? ` (${e.errorCode})` : ''}; \`${explain}\` says why`,
  );
}
