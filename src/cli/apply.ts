import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { readManifestSources, type ManifestSource } from '../config/load-manifests.js';
import { postAdmin, refusalOf, type AdminDeps } from './admin-client.js';
import { printConvergeResult, readConvergeResult } from './apply-report.js';
import { EXIT_FINDINGS, EXIT_OK, UsageError, type CommandIo } from './io.js';

export const applyHelp = `usage: openirsa apply -f FILE_OR_DIR ... [--prune] [--endpoint URL] [--data DIR]

Sends manifests to a running openirsa, which applies them as \`up -f\` does: objects missing are
created, objects that differ are updated. A file with an error is reported with its document and
field, and then nothing at all is applied. Prints what changed, object by object.

  -f, --file P      a manifest file or directory (repeatable; directories are read recursively:
                    *.yaml, *.yml, *.json)
  --prune           also delete what earlier applies of these paths created whose documents are
                    gone: roles (with their inline policies and attachments), policies not attached
                    elsewhere (else DeleteConflict is reported and the policy kept), OIDC providers,
                    service accounts. Objects not created by manifests are never deleted.
  --endpoint URL    the server (default $OPENIRSA_ENDPOINT, else http://127.0.0.1:4566)
  --data DIR        its data directory, for the admin credentials
                    (default $OPENIRSA_DATA, else ./.openirsa)
  -h, --help        print this help

Example:
  openirsa apply -f ./manifests --prune

Exit status: 0 when everything was applied, 1 on manifest problems or prune conflicts, 2 on usage errors.
`;

/** The admin route of `openirsa apply` (server/ops-routes.ts). */
const APPLY_ROUTE = '/_openirsa/apply';

/** `openirsa apply`: the manifests under the given paths, converged by the server (root only). */
export async function apply(
  args: string[],
  io: CommandIo,
  deps: AdminDeps = { env: process.env, fetch },
): Promise<number> {
  const { values } = parseArgs({
    args,
    strict: true,
    allowPositionals: false,
    options: {
      file: { type: 'string', short: 'f', multiple: true, default: [] },
      prune: { type: 'boolean', default: false },
      endpoint: { type: 'string' },
      data: { type: 'string' },
    },
  });
  if (values.file.length === 0) throw new UsageError('`-f FILE_OR_DIR` is required');
  if (values.file.some((f) => f === ''))
    throw new UsageError('`-f` expects a file or directory, got an empty string');
  const roots = values.file.map((f) => resolve(f));
  let files: ManifestSource[];
  try {
    files = await readManifestSources(roots);
  } catch (e) {
    const { code, path } = e as NodeJS.ErrnoException;
    io.stderr(
      `openirsa: cannot read manifests${path !== undefined ? ` \`${path}\`` : ''}: ${code ?? String(e)}\n`,
    );
    return EXIT_FINDINGS;
  }
  const body = JSON.stringify({ roots, files, prune: values.prune });
  const reply = await postAdmin(
    APPLY_ROUTE,
    body,
    {
      ...(values.endpoint !== undefined ? { endpoint: values.endpoint } : {}),
      ...(values.data !== undefined ? { data: values.data } : {}),
    },
    io,
    deps,
  );
  if (!reply.ok) return reply.exitCode;
  const result = readConvergeResult(reply.json);
  if (result === undefined) {
    io.stderr(`openirsa: the server refused the apply (HTTP ${reply.status}): ${refusalOf(reply.json)}\n`);
    return EXIT_FINDINGS;
  }
  return printConvergeResult(result, io) ? EXIT_OK : EXIT_FINDINGS;
}
