/**
 * What the e2e tests share: the built CLI's path, readiness of an `openirsa up` child process, and the
 * root credentials `openirsa up` writes into its data directory.
 */
import { readFile } from 'node:fs/promises';
import { request } from 'node:http';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export { freePort } from '../shared/free-port.js';

/** `dist/src/cli/main.js`, the CLI as `npx openirsa` runs it. */
export const cli = fileURLToPath(new URL('../../src/cli/main.js', import.meta.url));

/** Polls GET /_openirsa/health until it answers 200 (or the process exits). */
export async function waitForHealth(port: number, exitCode: () => number | null): Promise<void> {
  for (let i = 0; i < 500; i++) {
    if (exitCode() !== null) throw new Error('openirsa up exited before it was healthy');
    const ok = await new Promise<boolean>((resolve) => {
      request({ host: '127.0.0.1', port, path: '/_openirsa/health' }, (res) => {
        res.resume();
        resolve(res.statusCode === 200);
      })
        .on('error', () => resolve(false))
        .end();
    });
    if (ok) return;
    await new Promise((r) => setTimeout(r, 20));
  }
  throw new Error('openirsa up never became healthy');
}

/** The account root's keys from `<data>/credentials` (empty strings where a line is missing). */
export async function rootCredentials(
  data: string,
): Promise<{ accessKeyId: string; secretAccessKey: string }> {
  const text = await readFile(join(data, 'credentials'), 'utf8');
  return {
    accessKeyId: /aws_access_key_id = (\S+)/.exec(text)?.[1] ?? '',
    secretAccessKey: /aws_secret_access_key = (\S+)/.exec(text)?.[1] ?? '',
  };
}

/** AWS's documented example keys, and a profile that exists nowhere. */
const DECOYS = {
  AWS_ACCESS_KEY_ID: 'AKIAIOSFODNN7EXAMPLE',
  AWS_SECRET_ACCESS_KEY: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY',
  AWS_PROFILE: 'someone-else',
} as const;

/**
 * PATH, `home` and no EC2 instance metadata, plus static keys and a profile that the command under test
 * must not use: a run that still finds the web identity proves the credential chain chose it.
 */
export function decoyCredentialsEnv(home: string): Record<string, string> {
  const path = process.env.PATH ?? '/usr/bin:/bin';
  return { PATH: path, HOME: home, AWS_EC2_METADATA_DISABLED: 'true', ...DECOYS };
}
