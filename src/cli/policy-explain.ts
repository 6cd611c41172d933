import { parseArgs } from 'node:util';
import { PolicyCache } from '../policy/compile.js';
import { simulate } from '../policy/simulate.js';
import { EXIT_FINDINGS, EXIT_OK, type CommandIo } from './io.js';
import { readRequests } from './policy-input.js';

export const explainHelp = `usage: openirsa policy explain < requests

Reads the same requests as \`openirsa policy simulate\` and prints, for each, the decision and why: which
policy and statement decided, and for a denial which statements came close and what they lacked (the
condition, its expected and actual values, and hints for common mistakes).

Options:
  -h, --help   print this help

Example:
  openirsa policy explain < denied-request.json

Exit status: 0 when every request was decided (allowed or denied), 1 when some request was malformed,
2 on usage errors.
`;

export async function policyExplain(args: string[], io: CommandIo): Promise<number> {
  parseArgs({ args, options: {}, allowPositionals: false });
  const entries = readRequests(await io.stdin());
  const cache = new PolicyCache(256);
  let malformed = false;
  entries.forEach((entry, i) => {
    if (i > 0) io.stdout('\n');
    const result = entry.ok ? simulate(entry.value, { clock: io.clock, cache }) : { error: entry.error };
    const label = result.id !== undefined ? `[${result.id}] ` : entries.length > 1 ? `[#${i + 1}] ` : '';
    if (result.error !== undefined) {
      malformed = true;
      io.stdout(`${label}error: ${result.error}\n`);
      return;
    }
    io.stdout(`${label}${result.explanation ?? ''}\n`);
    for (const f of result.policyErrors ?? []) {
      io.stdout(`  policy error in ${f.policy} at ${f.path || '/'}: ${f.message} (${f.code})\n`);
    }
  });
  return malformed ? EXIT_FINDINGS : EXIT_OK;
}
