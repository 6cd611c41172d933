import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/** One corpus case: a simulation request, the AWS documentation page that decides it, the answer. */
export interface CorpusCase {
  readonly id: string;
  readonly source: string;
  readonly description: string;
  readonly request: Record<string, unknown>;
  readonly expected: {
    readonly decision: 'allowed' | 'explicitDeny' | 'implicitDeny';
    readonly matchedStatements?: readonly { policy: string; policyIndex?: number; statementIndex: number }[];
    readonly missingContextKeys?: readonly string[];
  };
  readonly file: string;
}

/** The corpus lives beside this file's source, not in dist/: tests read it in place. */
export const corpusDir = fileURLToPath(
  new URL('../../../../test/conformance/policy/corpus/', import.meta.url),
);

export function loadCorpus(): CorpusCase[] {
  const cases: CorpusCase[] = [];
  for (const file of readdirSync(corpusDir)
    .filter((f) => f.endsWith('.json'))
    .sort()) {
    const list = JSON.parse(readFileSync(corpusDir + file, 'utf8')) as Omit<CorpusCase, 'file'>[];
    for (const c of list) cases.push({ ...c, file });
  }
  return cases;
}
