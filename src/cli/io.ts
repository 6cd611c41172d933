import type { Clock } from '../shared/clock.js';

/** What a command touches of the outside world, injected so tests run commands in-process. */
export interface CommandIo {
  readonly stdin: () => Promise<string>;
  readonly stdout: (text: string) => void;
  readonly stderr: (text: string) => void;
  readonly readFile: (path: string) => Promise<string>;
  readonly clock: Clock;
}

/*
 * Exit codes scripts can rely on, the same for every command (README, "Exit codes"). A command that
 * decides (`policy simulate`, `policy explain`) exits 0 for a denial as for an allow: deciding worked,
 * and the decision is in its output. `explain` exits 1 when the request is not in the audit log.
 * `exec` exits with its COMMAND's status (128+N for signal N).
 */
/** Success. */
export const EXIT_OK = 0;
/**
 * The command ran and failed: bad input (a malformed request, a policy or manifest with errors), a
 * refusal or an unreachable server, a port in use, a request id not found.
 */
export const EXIT_FINDINGS = 1;
/** The same code as `EXIT_FINDINGS`, by the name of a failure that is not about input. */
export const EXIT_FAILURE = EXIT_FINDINGS;
/** The command line itself was wrong (or a file it names cannot be read). */
export const EXIT_USAGE = 2;
/** A bug: an error nobody expected; its stack is printed. sysexits.h's EX_SOFTWARE. */
export const EXIT_INTERNAL = 70;

export class UsageError extends Error {
  override readonly name = 'UsageError';
}
