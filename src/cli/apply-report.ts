import type { ConvergeResult } from '../config/converge-manifests.js';
import { formatManifestProblem } from '../config/format-problem.js';
import type { CommandIo } from './io.js';

/**
 * Prints what an apply did: one line per object on stdout (`  Role app: created`), problems and
 * prune conflicts on stderr. Returns whether everything asked for was done.
 */
export function printConvergeResult(result: ConvergeResult, io: CommandIo): boolean {
  for (const p of result.problems) io.stderr(`${formatManifestProblem(p)}\n`);
  for (const c of result.conflicts) {
    io.stderr(
      `openirsa: ${c.kind} ${c.name} (declared in ${c.source}) was not deleted: ${c.code}: ${c.message}\n`,
    );
  }
  if (!result.ok) {
    io.stderr('openirsa: the manifests were not applied; nothing was changed\n');
    return false;
  }
  for (const o of result.objects) io.stdout(`  ${o.kind} ${o.name}: ${o.action}\n`);
  const count = (action: string) => result.objects.filter((o) => o.action === action).length;
  io.stdout(
    `applied: ${count('created')} created, ${count('updated')} updated, ${count('unchanged')} unchanged, ${count('deleted')} deleted\n`,
  );
  return result.conflicts.length === 0;
}

/** The server's apply answer, checked for the members `printConvergeResult` reads. */
export function readConvergeResult(json: Record<string, unknown>): ConvergeResult | undefined {
  const { ok, objects, problems, conflicts } = json;
  if (
    typeof ok !== 'boolean' ||
    !Array.isArray(objects) ||
    !Array.isArray(problems) ||
    !Array.isArray(conflicts)
  ) {
    return undefined;
  }
  // INVARIANT: the server's apply route answers a ConvergeResult (ops-routes.ts) with these members.
  return json as unknown as ConvergeResult;
}
