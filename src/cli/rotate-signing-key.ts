import { parseArgs } from 'node:util';
import { postAdmin, refusalOf, type AdminDeps } from './admin-client.js';
import { EXIT_FINDINGS, EXIT_OK, type CommandIo } from './io.js';

export const rotateHelp = `usage: openirsa rotate-signing-key [--endpoint URL] [--data DIR]

Makes a new signing key of the built-in issuer active (of the algorithm \`up --signing-algorithm\`
chose, RS256 by default). Tokens signed by the old key keep verifying: its public key stays in the
JWKS until every token it signed has expired (the longest token lifetime, 24 hours, plus 60 seconds of
clock-skew leeway), and is then deleted. Prints the key ids, never key material.

Options:
  --endpoint URL    the server (default $OPENIRSA_ENDPOINT, else http://127.0.0.1:4566)
  --data DIR        its data directory, for the admin credentials
                    (default $OPENIRSA_DATA, else ./.openirsa)
  -h, --help        print this help

Example:
  openirsa rotate-signing-key --endpoint http://127.0.0.1:4566 --data ./.openirsa

Exit status: 0 when the key was rotated, 1 when the server refused or cannot be reached, 2 on usage
errors.
`;

const ROTATE_ROUTE = '/_openirsa/rotate-signing-key';

/** `openirsa rotate-signing-key`: asks the server's admin route (root only) to rotate. */
export async function rotateSigningKey(
  args: string[],
  io: CommandIo,
  deps: AdminDeps = { env: process.env, fetch },
): Promise<number> {
  const { values } = parseArgs({
    args,
    strict: true,
    allowPositionals: false,
    options: { endpoint: { type: 'string' }, data: { type: 'string' } },
  });
  const reply = await postAdmin(
    ROTATE_ROUTE,
    '{}',
    {
      ...(values.endpoint !== undefined ? { endpoint: values.endpoint } : {}),
      ...(values.data !== undefined ? { data: values.data } : {}),
    },
    io,
    deps,
  );
  if (!reply.ok) return reply.exitCode;
  const { active, retired } = reply.json as {
    active?: { kid?: unknown; alg?: unknown };
    retired?: { kid?: unknown; publishedUntil?: unknown };
  };
  if (reply.status !== 200 || typeof active?.kid !== 'string' || typeof retired?.kid !== 'string') {
    io.stderr(`openirsa: the server refused the rotation (HTTP ${reply.status}): ${refusalOf(reply.json)}\n`);
    return EXIT_FINDINGS;
  }
  io.stdout(
    [
      `active   ${active.kid} (${String(active.alg)})`,
      `retired  ${retired.kid}, in the JWKS until ${String(retired.publishedUntil)}`,
      '',
    ].join('\n'),
  );
  return EXIT_OK;
}
