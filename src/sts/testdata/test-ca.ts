import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

/** A throwaway CA and a server certificate it signed, for `127.0.0.1` and `localhost`; PEM text. */
export interface TestCa {
  readonly dir: string;
  readonly caFile: string;
  readonly caPem: string;
  readonly serverKey: string;
  readonly serverCert: string;
  remove(): Promise<void>;
}

/**
 * Makes a CA and a server certificate with the `openssl` CLI, valid for one day, in a fresh temporary
 * directory. Returns `undefined` when openssl is not installed, so the caller can skip with a message.
 */
export async function makeTestCa(): Promise<TestCa | undefined> {
  try {
    await run('openssl', ['version']);
  } catch {
    return undefined;
  }
  const dir = await mkdtemp(join(tmpdir(), 'openirsa-test-ca-'));
  const p = (name: string) => join(dir, name);
  const ec = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes'];
  await run('openssl', [
    'req',
    '-x509',
    ...ec,
    '-keyout',
    p('ca.key'),
    '-out',
    p('ca.pem'),
    '-days',
    '1',
    '-subj',
    '/CN=openirsa test CA',
    '-addext',
    'basicConstraints=critical,CA:TRUE',
    '-addext',
    'keyUsage=critical,keyCertSign,cRLSign',
  ]);
  await run('openssl', [
    'req',
    ...ec,
    '-keyout',
    p('server.key'),
    '-out',
    p('server.csr'),
    '-subj',
    '/CN=127.0.0.1',
  ]);
  await writeFile(
    p('server.ext'),
    'subjectAltName=IP:127.0.0.1,DNS:localhost\nbasicConstraints=CA:FALSE\nextendedKeyUsage=serverAuth\n',
  );
  await run('openssl', [
    'x509',
    '-req',
    '-in',
    p('server.csr'),
    '-CA',
    p('ca.pem'),
    '-CAkey',
    p('ca.key'),
    '-CAcreateserial',
    '-out',
    p('server.pem'),
    '-days',
    '1',
    '-extfile',
    p('server.ext'),
  ]);
  return {
    dir,
    caFile: p('ca.pem'),
    caPem: await readFile(p('ca.pem'), 'utf8'),
    serverKey: await readFile(p('server.key'), 'utf8'),
    serverCert: await readFile(p('server.pem'), 'utf8'),
    remove: () => rm(dir, { recursive: true, force: true }),
  };
}
