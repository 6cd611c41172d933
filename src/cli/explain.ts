import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import type { AuditEvent } from '../audit/event.js';
import { EXIT_FINDINGS, EXIT_OK, UsageError, type CommandIo } from './io.js';

export const explainRequestHelp = `usage: openirsa explain (REQUEST_ID | --last-denied) [--data DIR] [--json]

Says why the server allowed or denied a request: the decision for each authorization it needed, the
statements that decided, and for a denial the explanation (which policy, which statement, which
condition, which values). REQUEST_ID is the x-amzn-RequestId of the response, or the RequestId in its
error body; --last-denied takes the newest request that was denied (a client such as
\`aws s3 ls\` does not print the request id). Reads the audit log in DIR/audit (default
$OPENIRSA_DATA, else ./.openirsa). --json prints the audit event itself.

Options:
  --last-denied   the newest denied request instead of REQUEST_ID
  --data DIR      the data directory whose audit log is read (default $OPENIRSA_DATA, else ./.openirsa)
  --json          print the audit event (CloudTrail-shaped JSON) instead of the explanation
  -h, --help      print this help

Example:
  openirsa explain 3f1c9a4e-8b2d-4c1a-9e7f-2a6b5d4c3e21
  openirsa explain --last-denied

Exit status: 0 when the request is found (allowed or denied), 1 when it is not, 2 on usage errors.
`;

/** `openirsa explain REQUEST_ID`: the decision and explanation the audit log holds for a request. */
export async function explainRequest(
  args: string[],
  io: CommandIo,
  env: Readonly<Record<string, string | undefined>> = process.env,
): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    strict: true,
    allowPositionals: true,
    options: {
      data: { type: 'string' },
      json: { type: 'boolean' },
      'last-denied': { type: 'boolean', default: false },
    },
  });
  const [requestId, ...extra] = positionals;
  const lastDenied = values['last-denied'];
  if (lastDenied ? positionals.length > 0 : requestId === undefined || extra.length > 0)
    throw new UsageError('name one request id, or --last-denied: openirsa explain REQUEST_ID');
  const dir = join(values.data ?? env.OPENIRSA_DATA ?? './.openirsa', 'audit');
  const event = requestId === undefined ? await findLastDenied(dir) : await findEvent(dir, requestId);
  if (event === undefined) {
    io.stderr(
      requestId === undefined
        ? `openirsa: no denied request in the audit log at ${dir}\n`
        : `openirsa: no request \`${requestId}\` in the audit log at ${dir}\n`,
    );
    return EXIT_FINDINGS;
  }
  if (values.json) {
    io.stdout(`${JSON.stringify(event)}\n`);
    return EXIT_OK;
  }
  io.stdout(render(event));
  return EXIT_OK;
}

/** Newest day first; within a day the last event with that id (ids are unique anyway). */
async function findEvent(dir: string, requestId: string): Promise<AuditEvent | undefined> {
  for (const file of await auditFiles(dir)) {
    const text = await readFile(join(dir, file), 'utf8');
    if (!text.includes(requestId)) continue;
    for (const line of text.split('\n').reverse()) {
      if (!line.includes(requestId)) continue;
      try {
        const event = JSON.parse(line) as AuditEvent;
        if (event.requestID === requestId) return event;
      } catch {
        // A torn last line (the server stopped mid-write): skip it.
      }
    }
  }
  return undefined;
}

/** The newest event whose decision is not `allowed`: newest day first, last line first. */
async function findLastDenied(dir: string): Promise<AuditEvent | undefined> {
  for (const file of await auditFiles(dir)) {
    const text = await readFile(join(dir, file), 'utf8');
    for (const line of text.split('\n').reverse()) {
      if (line === '') continue;
      try {
        const event = JSON.parse(line) as AuditEvent;
        if (event.openirsa.decision !== 'allowed') return event;
      } catch {
        // A torn last line (the server stopped mid-write): skip it.
      }
    }
  }
  return undefined;
}

/** The day files of the audit log, newest first (none when the directory does not exist). */
async function auditFiles(dir: string): Promise<string[]> {
  try {
    return (await readdir(dir))
      .filter((f) => /^\d{4}-\d{2}-\d{2}\.jsonl$/.test(f))
      .sort()
      .reverse();
  } catch {
    return [];
  }
}

function render(e: AuditEvent): string {
  const who = e.userIdentity.arn ?? e.userIdentity.identityProvider ?? e.userIdentity.type;
  const lines = [
    `${e.openirsa.decision}: ${e.eventSource.replace('.amazonaws.com', '')}:${e.eventName} by ${who} at ${e.eventTime} from ${e.sourceIPAddress}`,
  ];
  if (e.errorCode) lines.push(`  answered: ${e.errorCode}: ${e.errorMessage ?? ''}`);
  for (const a of e.openirsa.authorizations) {
    const by = a.matchedStatements.map(
      (s) =>
        `${s.policy}${s.policyName ? ` \`${s.policyName}\`` : ''} ${s.sid ? `\`${s.sid}\`` : `#${s.statementIndex}`}`,
    );
    lines.push(
      `  ${a.action} on ${a.resource}: ${a.decision}${a.reason ? ` (${a.reason})` : ''}${by.length ? `, by ${by.join(', ')}` : ''}`,
    );
  }
  if (e.openirsa.explanation) lines.push(...e.openirsa.explanation.split('\n').map((l) => `  ${l}`));
  return `${lines.join('\n')}\n`;
}
