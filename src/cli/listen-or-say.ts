import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { listen } from '../server/listen.js';
import type { Logger } from '../shared/logger.js';

/**
 * `listen`, with the expected failures (port in use, no permission, not a local address) said in one
 * line instead of a stack trace: `undefined` then, and the command exits 1.
 */
export async function listenOrSay(
  server: Server,
  port: number,
  host: string,
  logger: Logger,
): Promise<AddressInfo | undefined> {
  try {
    return await listen(server, port, host);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    const why = code !== undefined ? LISTEN_FAILURES[code] : undefined;
    if (why === undefined) throw e;
    logger.error('cannot listen', { host, port, code }, `openirsa: cannot listen on ${host}:${port}: ${why}`);
    return undefined;
  }
}

/** What `listen` failures mean to the person who chose the port and host. */
const LISTEN_FAILURES: Readonly<Record<string, string>> = {
  EADDRINUSE: 'the port is in use (another openirsa? `--port 0` picks a free one)',
  EACCES: 'permission denied (ports below 1024 need privileges; choose another `--port`)',
  EADDRNOTAVAIL: "the address is not one of this machine's (check `--host`)",
};
