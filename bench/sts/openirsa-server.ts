/**
 * `openirsa up` as bench/sts runs it, shared by run.ts (against the limit) and ab.ts (two builds side by
 * side): its own process and data directory, with a service account `team-a/app` whose role
 * `team-a-app` trusts its tokens; and the CPU a process or one of its threads has spent.
 */
import type { ChildProcess } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { teamAppRoleManifest } from '../../test/shared/irsa-manifests.js';
import { freePort, runNode, startChild } from '../shared/processes.js';
export { cpuMicrosOf, serverPids } from '../shared/processes.js';

export const ACCOUNT = '000000000000';
export const ROLE_ARN = `arn:aws:iam::${ACCOUNT}:role/team-a-app`;
export const FORM_HEADERS = { 'content-type': 'application/x-www-form-urlencoded; charset=utf-8' };

/** The AssumeRoleWithWebIdentity request of a bench server (its `form`), as the load sends it. */
export function arwwiRequest(server: { readonly port: number; readonly form: string }) {
  return {
    port: server.port,
    method: 'POST',
    path: '/',
    headers: FORM_HEADERS,
    body: server.form,
    expectStatus: 200,
  } as const;
}

function manifests(port: number): string {
  return `apiVersion: v1
kind: ServiceAccount
metadata: {name: app, namespace: team-a, annotations: {eks.amazonaws.com/role-arn: "${ROLE_ARN}"}}
---
${teamAppRoleManifest(ACCOUNT, port, '{Effect: Allow, Action: ["s3:GetObject", "s3:ListBucket"], Resource: ["arn:aws:s3:::team-a", "arn:aws:s3:::team-a/*"]}')}`;
}

/** A running `openirsa up`, ready, with a token of `team-a/app` and the AssumeRoleWithWebIdentity form. */
export interface BenchServer {
  readonly child: ChildProcess;
  readonly pid: number;
  readonly port: number;
  readonly endpoint: string;
  readonly data: string;
  readonly token: string;
  /** The AssumeRoleWithWebIdentity request body for `token`. */
  readonly form: string;
}

/**
 * Starts `node [nodeArgs] cli up` with its data under `dir`, waits for its health route and mints a
 * token with the same build's `token` command.
 */
export async function startOpenirsa(
  cli: string,
  dir: string,
  nodeArgs: readonly string[] = [],
  /** More `up` options, such as `--workers 2`. */
  upArgs: readonly string[] = [],
): Promise<BenchServer> {
  const port = await freePort();
  const data = join(dir, 'data');
  const manifest = join(dir, 'irsa.yaml');
  await writeFile(manifest, manifests(port));
  const up = await startChild(
    [...nodeArgs, cli, 'up', '--port', String(port), '--data', data, '-f', manifest, ...upArgs],
    /listening|endpoint/i,
  );
  const endpoint = `http://127.0.0.1:${port}`;
  for (let i = 0; i < 100; i++) {
    const health = await fetch(`${endpoint}/_openirsa/health`).catch(() => undefined);
    if (health?.status === 200) break;
    await new Promise((r) => setTimeout(r, 50));
  }
  const token = (
    await runNode([cli, 'token', '--service-account', 'team-a/app', '--endpoint', endpoint, '--data', data])
  ).trim();
  const form = new URLSearchParams({
    Action: 'AssumeRoleWithWebIdentity',
    Version: '2011-06-15',
    RoleArn: ROLE_ARN,
    RoleSessionName: 'bench',
    WebIdentityToken: token,
  }).toString();
  if (up.child.pid === undefined) throw new Error('a bench server has no pid');
  return { child: up.child, pid: up.child.pid, port, endpoint, data, token, form };
}
