import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/** Loopback only unless told otherwise (DESIGN.md, "Security stance"). */
export const DEFAULT_HOST = '127.0.0.1';

/** Starts listening; resolves with the bound address (port 0 picks a free port). */
export function listen(server: Server, port: number, host: string = DEFAULT_HOST): Promise<AddressInfo> {
  return new Promise((resolve, reject) => {
    const onError = (error: Error) => reject(error);
    server.once('error', onError);
    server.listen(port, host, () => {
      server.off('error', onError);
      resolve(server.address() as AddressInfo);
    });
  });
}

/** Stops accepting, drops idle keep-alive connections, and resolves once the server is closed. */
export function close(server: Server): Promise<void> {
  return new Promise((resolve, reject) => {
    server.close((error) => (error ? reject(error) : resolve()));
    server.closeIdleConnections();
  });
}
