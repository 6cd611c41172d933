import type { Clock } from '../shared/clock.js';

/** What a command touches of the outside world, injected so tests run commands in-process. */
export interface CommandIo {
  readonly stdin: () => Promise<string>;
  readonly stdout: (text: string) => void;
  readonly stderr: (text: string) => void;
  readonly readFile: (path: string) => Promise<string>;
  readonly clock: Clock;
}

/** Exit codes scripts can rely on. */
export const EXIT_OK = 0;
/** The input had problems: a malformed request, a policy with errors. */
export const EXIT_FINDINGS = 1;
/** The command line itself was wrong. */
export const EXIT_USAGE = 2;

export class UsageError extends Error {
  override readonly name = 'UsageError';
}
