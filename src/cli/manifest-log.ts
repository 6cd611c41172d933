import type { ConvergeResult, PruneConflict } from '../config/converge-manifests.js';
import { formatManifestProblem } from '../config/format-problem.js';
import type { ManifestProblem } from '../config/manifests.js';
import type { Logger } from '../shared/logger.js';

/** A manifest problem as a log line: the text is `formatManifestProblem`'s, json has its parts. */
export function logManifestProblem(logger: Logger, p: ManifestProblem): void {
  const fields = { file: p.file, document: p.documentIndex + 1, path: p.path, message: p.message };
  const text = formatManifestProblem(p);
  if (p.severity === 'warning') logger.warn('manifest warning', fields, text);
  else logger.error('manifest error', fields, text);
}

/** An object a prune kept because IAM refused to delete it (DeleteConflict). */
export function logPruneConflict(logger: Logger, c: PruneConflict): void {
  logger.warn(
    'not deleted',
    { kind: c.kind, name: c.name, source: c.source, errorCode: c.code, message: c.message },
    `openirsa: ${c.kind} ${c.name} (declared in ${c.source}) was not deleted: ${c.code}: ${c.message}`,
  );
}

/**
 * What a re-apply of `up --watch` did, as `apply` prints it: problems and conflicts, then one line per
 * object and the counts. Returns whether everything asked for was done.
 */
export function logConvergeResult(logger: Logger, result: ConvergeResult): boolean {
  for (const p of result.problems) logManifestProblem(logger, p);
  for (const c of result.conflicts) logPruneConflict(logger, c);
  if (!result.ok) {
    logger.error(
      'manifests not applied',
      {},
      'openirsa: the manifests were not applied; nothing was changed; keeping the last good state',
    );
    return false;
  }
  const count = (action: string) => result.objects.filter((o) => o.action === action).length;
  const counts = {
    created: count('created'),
    updated: count('updated'),
    unchanged: count('unchanged'),
    deleted: count('deleted'),
  };
  const lines = result.objects.map((o) => `  ${o.kind} ${o.name}: ${o.action}`);
  lines.push(
    `applied: ${counts.created} created, ${counts.updated} updated, ${counts.unchanged} unchanged, ${counts.deleted} deleted`,
  );
  logger.info(
    'manifests applied',
    { ...counts, objects: result.objects.map((o) => ({ kind: o.kind, name: o.name, action: o.action })) },
    lines.join('\n'),
  );
  return result.conflicts.length === 0;
}
