import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { PolicyCache } from '../../../src/policy/compile.js';
import { simulate } from '../../../src/policy/simulate.js';
import { fixedClock } from '../../../src/shared/clock.js';
import { loadCorpus, type CorpusCase } from './corpus.js';

const cases = loadCorpus();
// 2026-06-01T00:00:00Z: cases that depend on time give aws:CurrentTime themselves; this only keeps the
// derived one stable.
const clock = fixedClock(Date.UTC(2026, 5, 1));
const cli = fileURLToPath(new URL('../../../src/cli/main.js', import.meta.url));

test('the corpus has at least 200 cases, each with a unique id, a source and an expected decision', () => {
  assert.ok(cases.length >= 200, `only ${cases.length} cases`);
  const ids = new Set<string>();
  for (const c of cases) {
    assert.ok(!ids.has(c.id), `duplicate id ${c.id} in ${c.file}`);
    ids.add(c.id);
    // AWS doc pages, and the standards they defer to (W3C date formats, RFC 4632 CIDR).
    assert.match(
      c.source,
      /^https:\/\/(docs\.aws\.amazon\.com|www\.w3\.org|www\.rfc-editor\.org|datatracker\.ietf\.org)\//,
      `${c.id}: source must be an AWS doc page`,
    );
    assert.ok(
      ['allowed', 'explicitDeny', 'implicitDeny'].includes(c.expected.decision),
      `${c.id}: bad decision`,
    );
  }
});

const key = (m: { policy: string; policyIndex?: number; statementIndex: number }) =>
  `${m.policy}/${m.policyIndex ?? 0}/${m.statementIndex}`;

function check(c: CorpusCase, result: ReturnType<typeof simulate>): void {
  const where = `${c.id} (${c.file}): ${c.description}\n${result.explanation ?? result.error ?? ''}`;
  assert.equal(result.error, undefined, where);
  assert.equal(result.decision, c.expected.decision, where);
  if (c.expected.matchedStatements) {
    assert.deepEqual(
      new Set((result.matchedStatements ?? []).map(key)),
      new Set(c.expected.matchedStatements.map(key)),
      `${where}\nmatched statements differ`,
    );
  }
  if (c.expected.missingContextKeys) {
    assert.deepEqual(
      new Set((result.missingContextKeys ?? []).map((k) => k.toLowerCase())),
      new Set(c.expected.missingContextKeys.map((k) => k.toLowerCase())),
      `${where}\nmissing context keys differ`,
    );
  }
}

describe('policy corpus through authorize()', () => {
  const cache = new PolicyCache();
  for (const c of cases) {
    test(`${c.id}: ${c.description}`, () => check(c, simulate(c.request, { clock, cache })));
  }
});

test('policy corpus through `openirsa policy simulate` gives the same decisions, in order', () => {
  const input = cases.map((c) => JSON.stringify({ ...c.request, id: c.id })).join('\n');
  const run = spawnSync(process.execPath, [cli, 'policy', 'simulate'], { input, encoding: 'utf8' });
  assert.equal(run.status, 0, run.stderr);
  const lines = run.stdout.trim().split('\n');
  assert.equal(lines.length, cases.length);
  lines.forEach((line, i) => {
    const c = cases[i]!;
    const result = JSON.parse(line) as ReturnType<typeof simulate>;
    assert.equal(result.id, c.id);
    assert.equal(result.decision, c.expected.decision, `${c.id}: ${c.description}`);
  });
});
