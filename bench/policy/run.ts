/**
 * Policy-engine benchmark: our engine (compiled once, then `authorize()` per decision, with and without
 * `trace`) against iam-simulate, Cedar (Wasm, pre-parsed policy set) and a hand-written floor, on the same
 * request and equivalent policies. It checks first that every engine reaches the same decision, then
 * prints ns/decision (median of several rounds after warm-up), the ratios and the budgets (docs:
 * iam-policy.md §8). It reports; it does not fail the build over a missed budget.
 *
 *   npm run bench:policy            # about 30 s on 2 cores
 *   node dist/bench/policy/run.js --quick   # a smoke run, numbers noisier
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { authorize, type AuthorizationRequest } from '../../src/policy/authorize.js';
import { compilePolicy, type CompiledPolicy } from '../../src/policy/compile.js';
import { buildContext } from '../../src/policy/context.js';
import { parsePrincipal } from '../../src/policy/principal.js';
import type { Principal } from '../../src/policy/types.js';
import { timeAsync, timeSync, type Timing, type TimingPlan } from './measure.js';
import {
  OUTCOME_CODE,
  cedarVersion,
  floorRequest,
  prepareCedar,
  prepareIamSimulate,
  preparseCedar,
  type Outcome,
} from './peers.js';
import { ACTION, CONTEXT, PRINCIPAL_ARN, RESOURCE, buildScenarios, type Scenario } from './scenarios.js';

const QUICK = process.argv.includes('--quick');
const SCALE = QUICK ? 0.2 : 1;

function plan(warmupMs: number, roundMs: number, rounds: number): TimingPlan {
  return { warmupMs: warmupMs * SCALE, roundMs: roundMs * SCALE, rounds };
}

/** Sub-microsecond engines: many short rounds. */
const FAST = plan(300, 100, 7);
/** Cedar and runUnsafeSimulation, 0.1-3 ms per decision. */
const MEDIUM = plan(200, 100, 5);
/** runSimulation, ~0.6-3 ms per decision and async. */
const SLOW = plan(300, 200, 5);
/** Compiling a policy set. */
const COMPILE = plan(100, 50, 5);

type Row = 'floor' | 'ours' | 'oursTrace' | 'cedar' | 'iamSimulateUnsafe' | 'iamSimulate';

const ROW_LABEL: Readonly<Record<Row, string>> = {
  floor: 'floor (hand-written, precompiled RegExps)',
  ours: 'ours: compilePolicy once, authorize()',
  oursTrace: 'ours: authorize({ trace: true })',
  cedar: 'cedar-wasm statefulIsAuthorized (preparsed)',
  iamSimulateUnsafe: 'iam-simulate runUnsafeSimulation',
  iamSimulate: 'iam-simulate runSimulation',
};

const ROWS: readonly Row[] = ['floor', 'ours', 'oursTrace', 'cedar', 'iamSimulateUnsafe', 'iamSimulate'];

interface ScenarioResult {
  readonly scenario: Scenario;
  readonly decision: Outcome;
  readonly timings: Partial<Record<Row, Timing>>;
  /** Why a row has no timing. */
  readonly unavailable: Partial<Record<Row, string>>;
  readonly compileOursNs: number;
  readonly compileCedarNs: number;
}

/** Prints to stdout; the report is the benchmark's output. */
function print(line = ''): void {
  process.stdout.write(`${line}\n`);
}

function packageVersion(name: string): string {
  try {
    const entry = createRequire(import.meta.url).resolve(name);
    for (let dir = path.dirname(entry); dir !== path.dirname(dir); dir = path.dirname(dir)) {
      try {
        const manifest = JSON.parse(readFileSync(path.join(dir, 'package.json'), 'utf8')) as {
          name?: string;
          version?: string;
        };
        if (manifest.name === name) return manifest.version ?? '?';
      } catch {
        // no package.json at this level; keep walking up
      }
    }
  } catch {
    // not resolvable from here
  }
  return '?';
}

function compileScenario(scenario: Scenario): {
  identity: CompiledPolicy[];
  resource?: CompiledPolicy;
  boundary?: CompiledPolicy;
  problems: string[];
} {
  const problems: string[] = [];
  const compile = (document: object, name: string): CompiledPolicy => {
    const compiled = compilePolicy(JSON.stringify(document), { name });
    for (const finding of compiled.errors)
      problems.push(`${name} ${finding.path}: ${finding.code} ${finding.message}`);
    return compiled;
  };
  const identity = scenario.identityPolicies.map((document, index) => compile(document, `identity-${index}`));
  return {
    identity,
    ...(scenario.bucketPolicy ? { resource: compile(scenario.bucketPolicy, 'bucket-policy') } : {}),
    ...(scenario.permissionsBoundary ? { boundary: compile(scenario.permissionsBoundary, 'boundary') } : {}),
    problems,
  };
}

/** The scenario's policy documents as the text a store would hand the compiler. */
function policyTexts(scenario: Scenario): string[] {
  return [
    ...scenario.identityPolicies,
    ...(scenario.bucketPolicy ? [scenario.bucketPolicy] : []),
    ...(scenario.permissionsBoundary ? [scenario.permissionsBoundary] : []),
  ].map((document) => JSON.stringify(document));
}

/** Cedar decides allow/deny only; its deny agrees with either of ours. */
function agrees(expected: Outcome, actual: Outcome, coarse: boolean): boolean {
  if (!coarse) return expected === actual;
  return (expected === 'allowed') === (actual === 'allowed') && actual !== 'error';
}

async function runScenario(
  scenario: Scenario,
  index: number,
  principal: Principal,
): Promise<ScenarioResult | string> {
  const compiled = compileScenario(scenario);
  if (compiled.problems.length > 0) {
    return `our compiler reports errors for \`${scenario.name}\`:\n    ${compiled.problems.join('\n    ')}`;
  }
  const request: AuthorizationRequest = {
    principal,
    action: ACTION,
    resource: RESOURCE,
    resourceAccount: '111122223333',
    context: buildContext(CONTEXT),
    identityPolicies: compiled.identity,
    ...(compiled.resource ? { resourcePolicy: compiled.resource } : {}),
    ...(compiled.boundary ? { permissionsBoundary: compiled.boundary } : {}),
  };
  const traced: AuthorizationRequest = { ...request, trace: true };
  const floor = floorRequest();
  const simulate = prepareIamSimulate(scenario);
  const cedarId = `bench-${index}`;
  const cedar = prepareCedar(scenario, cedarId);

  // Decisions first: a benchmark of engines that disagree measures nothing.
  const ours = authorize(request);
  const oursTrace = authorize(traced);
  const floorDecision = scenario.decideFloor(floor);
  const simulated = await simulate.check();
  const cedarCheck = cedar.check();
  const unsafe = typeof simulate.runUnsafe === 'function' ? simulate.runUnsafe() : undefined;

  const matched = ours.matchedStatements.map((ref) => ref.sid ?? `#${ref.statementIndex}`).join(', ');
  print(`  ${scenario.name.padEnd(15)} ${floorDecision}`);
  print(
    `      ours ${ours.decision} [${matched}]` +
      (ours.missingContextKeys.length ? ` missing keys: ${ours.missingContextKeys.join(', ')}` : '') +
      (ours.issues.length ? ` issues: ${ours.issues.join('; ')}` : '') +
      `; with trace ${oursTrace.decision} (${oursTrace.trace?.length ?? 0} statement traces)`,
  );
  print(
    `      iam-simulate ${simulated.outcome}` +
      (simulated.ignoredContextKeys.length
        ? ` (ignored context keys: ${simulated.ignoredContextKeys.join(', ')})`
        : '') +
      (simulated.error ? ` error: ${simulated.error}` : '') +
      `; unsafe ${unsafe ?? (typeof simulate.runUnsafe === 'function' ? '?' : simulate.runUnsafe.unavailable)}` +
      `; cedar ${cedarCheck.outcome} [${cedarCheck.determining.join(', ')}]` +
      (cedarCheck.errors.length ? ` errors: ${cedarCheck.errors.join('; ')}` : ''),
  );

  const disagreements: string[] = [];
  const expect = (engine: string, actual: Outcome, coarse = false): void => {
    if (!agrees(floorDecision, actual, coarse)) disagreements.push(`${engine} says ${actual}`);
  };
  expect('ours', ours.decision);
  expect('ours with trace', oursTrace.decision);
  expect('iam-simulate runSimulation', simulated.outcome);
  expect('cedar', cedarCheck.outcome, true);
  if (cedarCheck.errors.length > 0)
    disagreements.push(`cedar skipped policies on errors: ${cedarCheck.errors.join('; ')}`);
  if (disagreements.length > 0) {
    return `engines disagree on \`${scenario.name}\`: the floor says ${floorDecision}, ${disagreements.join(', ')}`;
  }

  const unavailable: Partial<Record<Row, string>> = {};
  let runUnsafe: (() => Outcome) | undefined;
  if (typeof simulate.runUnsafe !== 'function')
    unavailable.iamSimulateUnsafe = simulate.runUnsafe.unavailable;
  else if (unsafe !== undefined && unsafe !== floorDecision)
    unavailable.iamSimulateUnsafe = `decides ${unsafe}`;
  else runUnsafe = simulate.runUnsafe;

  const timings: Partial<Record<Row, Timing>> = {};
  timings.floor = timeSync(() => OUTCOME_CODE[scenario.decideFloor(floor)], FAST);
  timings.ours = timeSync(() => OUTCOME_CODE[authorize(request).decision], FAST);
  timings.oursTrace = timeSync(() => OUTCOME_CODE[authorize(traced).decision], FAST);
  timings.cedar = timeSync(() => OUTCOME_CODE[cedar.run()], MEDIUM);
  if (runUnsafe !== undefined) {
    const unsafeRun = runUnsafe;
    timings.iamSimulateUnsafe = timeSync(() => OUTCOME_CODE[unsafeRun()], MEDIUM);
  }
  timings.iamSimulate = await timeAsync(async () => OUTCOME_CODE[await simulate.run()], SLOW);

  const texts = policyTexts(scenario);
  const compileOurs = timeSync(() => {
    let errors = 0;
    for (const text of texts) errors += compilePolicy(text).errors.length;
    return errors;
  }, COMPILE);
  const compileCedar = timeSync(() => {
    preparseCedar(scenario, `${cedarId}-compile`);
    return 0;
  }, COMPILE);

  return {
    scenario,
    decision: floorDecision,
    timings,
    unavailable,
    compileOursNs: compileOurs.nsPerOp,
    compileCedarNs: compileCedar.nsPerOp,
  };
}

function formatNs(ns: number): string {
  return Number.isFinite(ns) ? Math.round(ns).toLocaleString('en-US') : 'n/a';
}

function formatRatio(ratio: number): string {
  if (!Number.isFinite(ratio)) return 'n/a';
  return ratio >= 100 ? `${Math.round(ratio).toLocaleString('en-US')}x` : `${ratio.toFixed(2)}x`;
}

function nsOf(result: ScenarioResult, row: Row): number {
  return result.timings[row]?.nsPerOp ?? Number.NaN;
}

function printTable(title: string, header: readonly string[], rows: readonly (readonly string[])[]): void {
  const widths = header.map((cell, column) =>
    Math.max(cell.length, ...rows.map((row) => (row[column] ?? '').length)),
  );
  const line = (cells: readonly string[]): string =>
    cells
      .map((cell, column) =>
        column === 0 ? cell.padEnd(widths[0] ?? 0) : cell.padStart(widths[column] ?? 0),
      )
      .join('   ');
  print(title);
  print(`  ${line(header)}`);
  for (const row of rows) print(`  ${line(row)}`);
  print();
}

async function main(): Promise<number> {
  const cpus = os.cpus();
  print(`policy benchmark: ${ACTION} on ${RESOURCE}`);
  print(`  by ${PRINCIPAL_ARN}, same account${QUICK ? '  (--quick: short rounds, noisy numbers)' : ''}`);
  print(
    `  node ${process.version}, ${cpus.length} x ${cpus[0]?.model.trim() ?? 'unknown CPU'}, ` +
      `cedar-wasm ${cedarVersion()}, iam-simulate ${packageVersion('@cloud-copilot/iam-simulate')}`,
  );
  print();

  const principal = parsePrincipal(PRINCIPAL_ARN);
  if ('error' in principal) {
    process.stderr.write(`our parsePrincipal rejects \`${PRINCIPAL_ARN}\`: ${principal.error}\n`);
    return 1;
  }

  const started = process.hrtime.bigint();
  print('decisions (checked before timing; the floor is the reference)');
  const results: ScenarioResult[] = [];
  for (const [index, scenario] of buildScenarios().entries()) {
    const result = await runScenario(scenario, index, principal);
    if (typeof result === 'string') {
      process.stderr.write(`\nABORT: ${result}\n`);
      return 1;
    }
    results.push(result);
  }
  print();

  const names = results.map((result) => result.scenario.name);
  printTable(
    'compile time per policy set, µs (from JSON text / Cedar text; iam-simulate re-parses on every call)',
    ['scenario', 'documents', 'ours compilePolicy', 'cedar preparsePolicySet', 'cedar policies'],
    results.map((result) => {
      const documents =
        result.scenario.identityPolicies.length +
        (result.scenario.bucketPolicy ? 1 : 0) +
        (result.scenario.permissionsBoundary ? 1 : 0);
      return [
        result.scenario.name,
        String(documents),
        (result.compileOursNs / 1000).toFixed(1),
        (result.compileCedarNs / 1000).toFixed(1),
        String(result.scenario.cedarPolicies.split('\n').length),
      ];
    }),
  );

  printTable(
    `ns/decision (median of ${FAST.rounds} rounds after warm-up; ${MEDIUM.rounds} for cedar/unsafe, ${SLOW.rounds} for runSimulation)`,
    ['engine', ...names],
    ROWS.map((row) => [
      ROW_LABEL[row],
      ...results.map((result) => {
        const timing = result.timings[row];
        return timing ? formatNs(timing.nsPerOp) : 'n/a';
      }),
    ]),
  );

  printTable(
    'spread: fastest-slowest round, ns/decision',
    ['engine', ...names],
    ROWS.map((row) => [
      ROW_LABEL[row],
      ...results.map((result) => {
        const timing = result.timings[row];
        return timing ? `${formatNs(timing.minNsPerOp)}-${formatNs(timing.maxNsPerOp)}` : 'n/a';
      }),
    ]),
  );

  const ratio = (result: ScenarioResult, top: Row, bottom: Row): number =>
    nsOf(result, top) / nsOf(result, bottom);
  printTable(
    'ratios',
    ['ratio', ...names],
    [
      ['ours / floor', ...results.map((result) => formatRatio(ratio(result, 'ours', 'floor')))],
      ['ours with trace / ours', ...results.map((result) => formatRatio(ratio(result, 'oursTrace', 'ours')))],
      [
        'iam-simulate runSimulation / ours',
        ...results.map((result) => formatRatio(ratio(result, 'iamSimulate', 'ours'))),
      ],
      [
        'iam-simulate runUnsafeSimulation / ours',
        ...results.map((result) => formatRatio(ratio(result, 'iamSimulateUnsafe', 'ours'))),
      ],
      ['cedar-wasm stateful / ours', ...results.map((result) => formatRatio(ratio(result, 'cedar', 'ours')))],
    ],
  );

  const unavailable = results.flatMap((result) =>
    Object.entries(result.unavailable).map(
      ([row, why]) => `  ${result.scenario.name}: ${ROW_LABEL[row as Row]} ${why}`,
    ),
  );
  if (unavailable.length > 0) {
    print('not timed');
    for (const line of unavailable) print(line);
    print();
  }

  print('budgets (iam-policy.md §8; reported, not enforced)');
  const verdict = (pass: boolean): string => (pass ? 'PASS' : 'MISS');
  const typical = results.find((result) => result.scenario.name === 'typical role');
  if (typical) {
    const ns = nsOf(typical, 'ours');
    print(`  ${verdict(ns <= 1000)}  typical role: ours ${formatNs(ns)} ns/decision, budget <= 1,000 ns`);
  }
  for (const result of results) {
    const speedup = ratio(result, 'iamSimulate', 'ours');
    print(
      `  ${verdict(speedup >= 100)}  ${result.scenario.name}: ours ${formatRatio(speedup)} faster than ` +
        `iam-simulate runSimulation, budget >= 100x`,
    );
  }
  for (const result of results) {
    const overFloor = ratio(result, 'ours', 'floor');
    print(
      `  ${verdict(overFloor <= 2)}  ${result.scenario.name}: ours ${formatRatio(overFloor)} the floor, budget <= 2x`,
    );
  }
  print();

  const sink = results.reduce(
    (sum, result) => sum + Object.values(result.timings).reduce((inner, timing) => inner + timing.sink, 0),
    0,
  );
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  print(`checksum ${sink} (sum of decision codes over all timed calls), ${seconds.toFixed(1)} s`);
  return 0;
}

process.exitCode = await main();
