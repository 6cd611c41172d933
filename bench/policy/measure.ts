/**
 * Timing for the policy benchmark: warm up, size the rounds from the warm-up, then time several rounds
 * with `process.hrtime.bigint()` and keep the median. Every operation returns a number that is summed
 * into a sink, so the optimiser cannot drop the work.
 */

/** How long to warm up and how long each timed round should take. */
export interface TimingPlan {
  readonly warmupMs: number;
  readonly roundMs: number;
  readonly rounds: number;
}

export interface Timing {
  /** Median over the rounds. */
  readonly nsPerOp: number;
  /** Fastest and slowest round, to show the spread. */
  readonly minNsPerOp: number;
  readonly maxNsPerOp: number;
  readonly iterationsPerRound: number;
  readonly rounds: number;
  /** Sum of what the operation returned over all calls; printed so the work is observable. */
  readonly sink: number;
}

export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  const upper = sorted[middle] ?? Number.NaN;
  if (sorted.length % 2 === 1) return upper;
  return ((sorted[middle - 1] ?? Number.NaN) + upper) / 2;
}

function summarise(perOp: readonly number[], iterations: number, sink: number): Timing {
  return {
    nsPerOp: median(perOp),
    minNsPerOp: Math.min(...perOp),
    maxNsPerOp: Math.max(...perOp),
    iterationsPerRound: iterations,
    rounds: perOp.length,
    sink,
  };
}

function iterationsFor(plan: TimingPlan, warmupOps: number, warmupNs: number): number {
  const estimate = warmupNs / Math.max(1, warmupOps);
  return Math.max(1, Math.round((plan.roundMs * 1e6) / Math.max(1, estimate)));
}

/** Times a synchronous operation. */
export function timeSync(operation: () => number, plan: TimingPlan): Timing {
  let sink = 0;
  // Warm-up in doubling batches, so the clock is read rarely and the JIT sees a hot loop.
  const warmupEnd = process.hrtime.bigint() + BigInt(Math.round(plan.warmupMs * 1e6));
  const warmupStart = process.hrtime.bigint();
  let warmupOps = 0;
  for (let batch = 1; process.hrtime.bigint() < warmupEnd; batch *= 2) {
    for (let i = 0; i < batch; i++) sink += operation();
    warmupOps += batch;
  }
  const iterations = iterationsFor(plan, warmupOps, Number(process.hrtime.bigint() - warmupStart));
  const perOp: number[] = [];
  for (let round = 0; round < plan.rounds; round++) {
    const start = process.hrtime.bigint();
    for (let i = 0; i < iterations; i++) sink += operation();
    perOp.push(Number(process.hrtime.bigint() - start) / iterations);
  }
  return summarise(perOp, iterations, sink);
}

/** Times an asynchronous operation, awaiting each call before the next (one decision at a time). */
export async function timeAsync(operation: () => Promise<number>, plan: TimingPlan): Promise<Timing> {
  let sink = 0;
  const warmupEnd = process.hrtime.bigint() + BigInt(Math.round(plan.warmupMs * 1e6));
  const warmupStart = process.hrtime.bigint();
  let warmupOps = 0;
  while (process.hrtime.bigint() < warmupEnd) {
    sink += await operation();
    warmupOps++;
  }
  const iterations = iterationsFor(plan, warmupOps, Number(process.hrtime.bigint() - warmupStart));
  const perOp: number[] = [];
  for (let round = 0; round < plan.rounds; round++) {
    const start = process.hrtime.bigint();
    for (let i = 0; i < iterations; i++) sink += await operation();
    perOp.push(Number(process.hrtime.bigint() - start) / iterations);
  }
  return summarise(perOp, iterations, sink);
}
