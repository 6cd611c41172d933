import { sep } from 'node:path';
import { formatArn } from '../shared/arn.js';
import type { ManifestObject, ManifestObjectKind } from '../store/manifest-objects.js';
import type { StoreScope } from '../store/types.js';
import { oidcProviderArn } from '../sts/oidc-provider-arn.js';
import { applyManifests, type ApplyAction, type ApplyContext, type ApplyResult } from './apply-manifests.js';
import type { LoadedManifest, ManifestProblem, ParsedFile } from './manifests.js';
import { pruneObject } from './prune-object.js';

export interface ConvergeOptions extends ApplyContext {
  /**
   * The paths the manifests were read from (files or directories, as `apply -f` got them, absolute).
   * A prune considers only records whose source is one of them or inside one.
   */
  readonly roots: readonly string[];
  /** Delete the objects manifests under `roots` created whose documents are gone. */
  readonly prune: boolean;
}

/** What converging did to one object. */
export interface ConvergedObject {
  readonly kind: LoadedManifest['manifest']['kind'];
  /** As `AppliedObject.name`; for a deleted object, its store key (role name, ARN, `NS/NAME`). */
  readonly name: string;
  readonly action: ApplyAction | 'deleted';
}

/** An object a prune should have deleted and did not: IAM's DeleteConflict, reported, never forced. */
export interface PruneConflict {
  readonly kind: ManifestObjectKind;
  readonly name: string;
  /** The manifest file that had declared it. */
  readonly source: string;
  readonly code: 'DeleteConflict';
  readonly message: string;
}

export interface ConvergeResult {
  /** False when any file was rejected or applying found an error: then nothing was written. */
  readonly ok: boolean;
  readonly objects: readonly ConvergedObject[];
  readonly problems: readonly ManifestProblem[];
  readonly conflicts: readonly PruneConflict[];
}

/** Deleted in this order: a role lets go of its policies before the policies go. */
const PRUNE_ORDER: Record<ManifestObjectKind, number> = {
  Role: 0,
  Policy: 1,
  OpenIDConnectProvider: 2,
  ServiceAccount: 3,
};

/**
 * `openirsa apply` on the server: applies the manifests as `up -f` does (applyManifests), records which
 * objects the manifests created (store `manifestObjects`: the object, and the file declaring it), and,
 * with `prune`, deletes recorded objects whose documents are gone from the files under `roots` — all in
 * one transaction. Any rejected file, or any error applying, leaves the store as it was. Objects a
 * manifest did not create (made through IAM, or existing before their manifest) are never recorded and
 * so never deleted; a managed policy still attached elsewhere is a conflict, reported and kept.
 */
export async function convergeManifests(
  store: StoreScope,
  files: readonly ParsedFile[],
  options: ConvergeOptions,
): Promise<ConvergeResult> {
  const loadProblems = files.flatMap((f) => f.problems);
  if (files.some((f) => f.rejected)) {
    return { ok: false, objects: [], problems: loadProblems, conflicts: [] };
  }
  let applied: ApplyResult | undefined;
  const failed = (r: ApplyResult | undefined) => r?.problems.some((p) => p.severity === 'error') === true;
  try {
    return await store.transaction(async (tx) => {
      applied = await applyManifests(tx, files, options);
      // INVARIANT: applyManifests rolled its writes back; this rejection ends the outer transaction too.
      if (failed(applied)) throw new Error('applying failed');
      const declared = declaredObjects(files, options);
      await track(tx, declared, applied, options);
      const objects: ConvergedObject[] = [...applied.applied];
      const conflicts: PruneConflict[] = [];
      if (options.prune) {
        const keep = new Set(declared.map((d) => `${d.kind}\0${d.key}`));
        const gone = (await tx.manifestObjects.list(options.accountId))
          .filter((r) => !keep.has(`${r.kind}\0${r.key}`) && isUnderAny(r.source, options.roots))
          .sort((a, b) => PRUNE_ORDER[a.kind] - PRUNE_ORDER[b.kind]);
        for (const record of gone) {
          const outcome = await pruneObject(tx, record);
          if (outcome.kind === 'conflict') {
            conflicts.push({ ...conflictOf(record), message: outcome.message });
            continue;
          }
          await tx.manifestObjects.delete(record.accountId, record.kind, record.key);
          if (outcome.kind === 'deleted')
            objects.push({ kind: record.kind, name: record.key, action: 'deleted' });
        }
      }
      return { ok: true, objects, problems: applied.problems, conflicts };
    });
  } catch (error) {
    if (failed(applied)) return { ok: false, objects: [], problems: applied?.problems ?? [], conflicts: [] };
    throw error;
  }
}

interface Declared {
  readonly kind: ManifestObjectKind;
  /** The store key (see `ManifestObject.key`). */
  readonly key: string;
  /** `AppliedObject.name` of the same object. */
  readonly appliedName: string;
  readonly file: string;
}

function declaredObjects(files: readonly ParsedFile[], ctx: ApplyContext): Declared[] {
  const out: Declared[] = [];
  for (const loaded of files.flatMap((f) => f.manifests)) {
    const m = loaded.manifest;
    const file = loaded.file;
    switch (m.kind) {
      case 'Namespace':
        break;
      case 'Role':
        out.push({ kind: m.kind, key: m.name, appliedName: m.name, file });
        break;
      case 'Policy':
        out.push({
          kind: m.kind,
          key: formatArn({
            partition: ctx.partition,
            service: 'iam',
            region: '',
            account: ctx.accountId,
            resource: `policy${m.path}${m.name}`,
          }),
          appliedName: m.name,
          file,
        });
        break;
      case 'OpenIDConnectProvider':
        out.push({
          kind: m.kind,
          key: oidcProviderArn(ctx.partition, ctx.accountId, m.url),
          appliedName: m.url,
          file,
        });
        break;
      case 'ServiceAccount': {
        const name = `${m.namespace}/${m.name}`;
        out.push({ kind: m.kind, key: name, appliedName: name, file });
        break;
      }
    }
  }
  return out;
}

/** Records the objects this apply created, and moves records of objects now declared in another file. */
async function track(
  tx: StoreScope,
  declared: readonly Declared[],
  applied: ApplyResult,
  ctx: ApplyContext,
): Promise<void> {
  const created = new Set(
    applied.applied.filter((a) => a.action === 'created').map((a) => `${a.kind}\0${a.name}`),
  );
  const tracked = new Map(
    (await tx.manifestObjects.list(ctx.accountId)).map((r) => [`${r.kind}\0${r.key}`, r] as const),
  );
  for (const d of declared) {
    const record = tracked.get(`${d.kind}\0${d.key}`);
    if (record?.source === d.file) continue;
    if (record === undefined && !created.has(`${d.kind}\0${d.appliedName}`)) continue;
    await tx.manifestObjects.put({
      accountId: ctx.accountId,
      kind: d.kind,
      key: d.key,
      source: d.file,
      at: ctx.clock.now(),
    });
  }
}

function isUnderAny(source: string, roots: readonly string[]): boolean {
  return roots.some(
    (root) => source === root || source.startsWith(root.endsWith(sep) ? root : `${root}${sep}`),
  );
}

function conflictOf(record: ManifestObject): Omit<PruneConflict, 'message'> {
  return { kind: record.kind, name: record.key, source: record.source, code: 'DeleteConflict' };
}
