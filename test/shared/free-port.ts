/**
 * A TCP port on 127.0.0.1 that was free a moment ago, for a process whose URL (the issuer's
 * `http://127.0.0.1:PORT`) must be known before it starts. Shared by the e2e tests and the benches.
 */
import { createServer, type AddressInfo } from 'node:net';

/** Listens on port 0, reads the port the kernel chose, and closes again. */
export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}
