import { parseArgs } from 'node:util';
import { PolicyCache } from '../policy/compile.js';
import { simulate, type SimulationResult } from '../policy/simulate.js';
import { EXIT_FINDINGS, EXIT_OK, type CommandIo } from './io.js';
import { readRequests } from './policy-input.js';

export const simulateHelp = `usage: openirsa policy simulate [--trace] < requests

Decides IAM requests the way AWS does. Reads one JSON request, or JSON Lines (one request a line), on
standard input; writes one JSON result a line, in order, on standard output.

A request:
  { "id": "optional",
    "principal": "arn:aws:sts::123456789012:assumed-role/ROLE/SESSION" | "arn:aws:iam::123456789012:user/NAME"
                 | "arn:aws:iam::123456789012:root" | "anonymous" | {"federated": "PROVIDER"} | {"service": "NAME"}
                 | {"arn": "...", "roleArn": "arn:aws:iam::123456789012:role/PATH/ROLE", "roleId": "AROA..."},
    "action": "s3:GetObject", "resource": "arn:aws:s3:::bucket/key" | "*",
    "resourceAccount": "123456789012",
    "context": {"aws:SourceIp": "203.0.113.9", "aws:TagKeys": ["a", "b"]},
    "identityPolicies": [POLICY, ...], "resourcePolicy": POLICY,
    "permissionsBoundary": POLICY, "sessionPolicy": POLICY }
  POLICY is a policy document, its JSON text, or {"name": "...", "document": ...}. For sts:AssumeRole*
  on a role ARN, resourcePolicy is the role's trust policy.

A result:
  { "id", "decision": "allowed" | "explicitDeny" | "implicitDeny", "reason", "matchedStatements": [...],
    "missingContextKeys": [...], "explanation": "...", "issues"?: [...], "policyErrors"?: [...] }
  or { "id", "error": "..." } for a malformed request (the next line is still read).

Options:
  --trace      add each result's per-statement trace
  -h, --help   print this help

Example:
  echo '{"principal":"arn:aws:iam::123456789012:user/alice","action":"s3:GetObject",
         "resource":"arn:aws:s3:::b/k","identityPolicies":[{"Version":"2012-10-17",
         "Statement":{"Effect":"Allow","Action":"s3:Get*","Resource":"arn:aws:s3:::b/*"}}]}' \\
    | openirsa policy simulate

Exit status: 0 when every request was decided (a denial too: read \`decision\`), 1 when some request was malformed, 2 on usage errors.
`;

export async function policySimulate(args: string[], io: CommandIo): Promise<number> {
  const { values } = parseArgs({ args, options: { trace: { type: 'boolean' } }, allowPositionals: false });
  const entries = readRequests(await io.stdin());
  const cache = new PolicyCache(256);
  let malformed = false;
  for (const entry of entries) {
    let result: SimulationResult;
    if (!entry.ok) result = { error: entry.error };
    else {
      const req =
        values.trace && entry.value !== null && typeof entry.value === 'object' && !Array.isArray(entry.value)
          ? { ...entry.value, trace: true }
          : entry.value;
      result = simulate(req, { clock: io.clock, cache });
    }
    if (result.error !== undefined) malformed = true;
    io.stdout(`${JSON.stringify(result)}\n`);
  }
  return malformed ? EXIT_FINDINGS : EXIT_OK;
}
