import { parseArgs } from 'node:util';
import { readJson } from '../shared/json.js';
import type { Finding, PolicyKind } from '../policy/types.js';
import { hasErrors, validatePolicy } from '../policy/validate.js';
import { EXIT_FINDINGS, EXIT_OK, UsageError, type CommandIo } from './io.js';

export const validateHelp = `usage: openirsa policy validate [--kind KIND] [--json] FILE...

Checks policy documents the way IAM and IAM Access Analyzer do. Errors are what IAM refuses
(MalformedPolicyDocument, LimitExceeded); security warnings, warnings and suggestions point at
documents that work but probably do not mean what they say. FILE may be - for standard input.

Options:
  --kind KIND   identity | resource | trust | boundary | session (default: guessed from the document:
                trust when it names a principal and allows sts:AssumeRole*, resource when it names a
                principal, else identity)
  --json        one JSON object per file: {"file", "kind", "findings": [...]}
  -h, --help    print this help

Example:
  openirsa policy validate --kind trust trust-policy.json

Exit status: 0 when no file has errors, 1 when some file has errors, 2 on usage errors.
`;

const KINDS: readonly PolicyKind[] = ['identity', 'resource', 'trust', 'boundary', 'session'];

export async function policyValidate(args: string[], io: CommandIo): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    options: { kind: { type: 'string' }, json: { type: 'boolean' } },
    allowPositionals: true,
  });
  if (positionals.length === 0)
    throw new UsageError('name at least one policy file (or - for standard input)');
  const kind = values.kind;
  if (kind !== undefined && !KINDS.includes(kind as PolicyKind)) {
    throw new UsageError(`\`--kind\` must be one of ${KINDS.join(', ')}, found \`${kind}\``);
  }
  let failed = false;
  for (const file of positionals) {
    const text = file === '-' ? await io.stdin() : await io.readFile(file);
    const k = (kind as PolicyKind | undefined) ?? guessKind(text);
    const findings = validatePolicy(text, k);
    if (hasErrors(findings)) failed = true;
    if (values.json) io.stdout(`${JSON.stringify({ file, kind: k, findings })}\n`);
    else io.stdout(render(file, k, findings, kind === undefined));
  }
  return failed ? EXIT_FINDINGS : EXIT_OK;
}

function render(file: string, kind: PolicyKind, findings: readonly Finding[], guessed: boolean): string {
  const head = `${file}: ${kind} policy${guessed ? ' (guessed; say --kind to choose)' : ''}`;
  if (findings.length === 0) return `${head}: no findings\n`;
  const lines = [`${head}: ${summary(findings)}`];
  for (const f of findings) {
    const aws = f.awsError ? ` [IAM: ${f.awsError.code}: ${f.awsError.message}]` : '';
    lines.push(`  ${f.severity} ${f.code} at ${f.path || '/'}: ${f.message}${aws}`);
  }
  return `${lines.join('\n')}\n`;
}

function summary(findings: readonly Finding[]): string {
  const count = (s: string) => findings.filter((f) => f.severity === s).length;
  const parts: string[] = [];
  for (const [s, label] of [
    ['error', 'error'],
    ['securityWarning', 'security warning'],
    ['warning', 'warning'],
    ['suggestion', 'suggestion'],
  ] as const) {
    const n = count(s);
    if (n > 0) parts.push(`${n} ${label}${n === 1 ? '' : 's'}`);
  }
  return parts.join(', ');
}

/** Trust when a statement names a principal and an sts:AssumeRole* action; resource when it names one. */
export function guessKind(text: string): PolicyKind {
  const read = readJson(text);
  if (!read.ok) return 'identity';
  const s = JSON.stringify(JSON.parse(text) as unknown);
  const principal = /"(Not)?Principal"\s*:/.test(s);
  if (principal && /"sts:AssumeRole[A-Za-z]*"|"sts:\*"/i.test(s)) return 'trust';
  return principal ? 'resource' : 'identity';
}
