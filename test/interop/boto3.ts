/**
 * Running python3 AWS clients (boto3, AWS CLI v1) from the interop tests, isolated from this machine's
 * AWS setup: no EC2 instance metadata, no config or shared credentials file, a HOME of the test's own.
 */
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type { Credentials } from './support.js';

const execFileAsync = promisify(execFile);

/** Whether python3 can import boto3 (a test that needs it skips, saying so, when it cannot). */
export function hasBoto3(): Promise<boolean> {
  return execFileAsync('python3', ['-c', 'import boto3']).then(
    () => true,
    () => false,
  );
}

/** The whole environment of a python3 client: PATH, `home`, the isolation above, then `extra`. */
export function isolatedEnv(
  home: string,
  extra: Readonly<Record<string, string>> = {},
): Record<string, string> {
  return {
    PATH: process.env.PATH ?? '/usr/bin:/bin',
    HOME: home,
    AWS_EC2_METADATA_DISABLED: 'true',
    AWS_CONFIG_FILE: '/dev/null',
    AWS_SHARED_CREDENTIALS_FILE: '/dev/null',
    ...extra,
  };
}

/** Runs `python3 -c script` in `env` and returns what it printed. */
export async function runPython(script: string, env: Readonly<Record<string, string>>): Promise<string> {
  const { stdout } = await execFileAsync('python3', ['-c', script], { env });
  return stdout;
}

/**
 * The environment of a python3 client (boto3, AWS CLI v1) whose default credential chain finds
 * `credentials` in AWS_ACCESS_KEY_ID and its siblings, with config and credentials files that do not
 * exist under `home`.
 */
export function credentialsEnv(
  home: string,
  credentials: Credentials,
  region: string,
): Record<string, string> {
  return isolatedEnv(home, {
    AWS_ACCESS_KEY_ID: credentials.accessKeyId,
    AWS_SECRET_ACCESS_KEY: credentials.secretAccessKey,
    ...(credentials.sessionToken !== undefined ? { AWS_SESSION_TOKEN: credentials.sessionToken } : {}),
    AWS_DEFAULT_REGION: region,
    AWS_CONFIG_FILE: join(home, 'none'),
    AWS_SHARED_CREDENTIALS_FILE: join(home, 'none'),
  });
}
