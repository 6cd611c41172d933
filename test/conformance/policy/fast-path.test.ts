/**
 * The short-circuiting path of `authorize` (the one servers run) must decide exactly as the traced
 * path that evaluates every statement (the one explanations and the corpus use). Run over the corpus
 * and over the differential generator's requests.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { authorize } from '../../../src/policy/authorize.js';
import { PolicyCache } from '../../../src/policy/compile.js';
import { prepareSimulation } from '../../../src/policy/simulate.js';
import { fixedClock } from '../../../src/shared/clock.js';
import { loadCorpus } from './corpus.js';
import { generateCases } from './generate-cases.js';

test('the fast path decides every corpus and generated request as the traced path does', () => {
  const cache = new PolicyCache(4096);
  const clock = fixedClock(Date.UTC(2026, 5, 1));
  const requests: { label: string; request: unknown }[] = [
    ...loadCorpus().map((c) => ({ label: c.id, request: c.request })),
    ...generateCases(0x5eed, 3000).map((g) => ({ label: `generated #${g.index}`, request: g.request })),
  ];
  let compared = 0;
  const decisions = new Set<string>();
  for (const { label, request } of requests) {
    const prepared = prepareSimulation(request, { clock, cache });
    if (!prepared.ok) continue;
    const traced = authorize(prepared.request);
    const fast = authorize({ ...prepared.request, trace: false });
    assert.equal(fast.decision, traced.decision, `${label}: decision`);
    assert.equal(fast.reason, traced.reason, `${label}: reason`);
    assert.equal(fast.trace, undefined);
    // The fast path stops early, so it reports a subset of what matched, never something else.
    const all = new Set(
      traced.matchedStatements.map((m) => `${m.policy}/${m.policyIndex ?? ''}/${m.statementIndex}`),
    );
    for (const m of fast.matchedStatements)
      assert.ok(all.has(`${m.policy}/${m.policyIndex ?? ''}/${m.statementIndex}`), label);
    // It still names what decided (the root user's own-account default is no statement at all).
    if (traced.matchedStatements.length > 0 && fast.decision !== 'implicitDeny') {
      assert.ok(fast.matchedStatements.length > 0, `${label}: names what decided`);
    }
    compared++;
    decisions.add(fast.decision);
  }
  assert.ok(compared > 3000, `only ${compared} requests compared`);
  assert.deepEqual([...decisions].sort(), ['allowed', 'explicitDeny', 'implicitDeny']);
});
