import type { ManifestObject } from '../store/manifest-objects.js';
import type { Page, PageRequest, StoreScope } from '../store/types.js';

export type PruneOutcome =
  | { readonly kind: 'deleted' }
  /** The object was gone already (deleted through IAM): only its record is left to forget. */
  | { readonly kind: 'missing' }
  | { readonly kind: 'conflict'; readonly message: string };

/** IAM's DeletePolicy wording for a policy still attached (as delete-policy.ts answers it). */
export const POLICY_ATTACHED = 'Cannot delete a policy attached to entities.';

/**
 * Deletes one object a manifest created, the way a user would through IAM: a role loses its inline
 * policies and attachments first (DeleteRole refuses a role that has any); a managed policy loses its
 * non-default versions, but one still attached to a role or user is a conflict and stays (it is in use
 * by something the manifests do not own). Conflicts are checked before any write, so nothing is half
 * deleted.
 */
export async function pruneObject(tx: StoreScope, record: ManifestObject): Promise<PruneOutcome> {
  const { accountId, key } = record;
  switch (record.kind) {
    case 'Role': {
      if ((await tx.roles.get(accountId, key)) === undefined) return { kind: 'missing' };
      for (const p of await allPages((page) => tx.roles.listPolicies(accountId, key, page))) {
        await tx.roles.deletePolicy(accountId, key, p.name);
      }
      for (const p of await allPages((page) => tx.roles.listAttachedPolicies(accountId, key, page))) {
        await tx.roles.detachPolicy(accountId, key, p.arn);
      }
      await tx.roles.delete(accountId, key);
      return { kind: 'deleted' };
    }
    case 'Policy': {
      const policy = await tx.managedPolicies.get(accountId, key);
      if (policy === undefined) return { kind: 'missing' };
      const users = await tx.managedPolicies.listEntities(accountId, key, { maxItems: 1 });
      if (users.items.length > 0) return { kind: 'conflict', message: POLICY_ATTACHED };
      for (const v of await tx.managedPolicies.listVersions(accountId, key)) {
        if (!v.isDefault) await tx.managedPolicies.deleteVersion(accountId, key, v.versionId);
      }
      await tx.managedPolicies.delete(accountId, key);
      return { kind: 'deleted' };
    }
    case 'OpenIDConnectProvider':
      if ((await tx.oidcProviders.get(accountId, key)) === undefined) return { kind: 'missing' };
      await tx.oidcProviders.delete(accountId, key);
      return { kind: 'deleted' };
    case 'ServiceAccount': {
      const slash = key.indexOf('/');
      const namespace = key.slice(0, slash);
      const name = key.slice(slash + 1);
      if (slash < 0 || (await tx.serviceAccounts.get(namespace, name)) === undefined) {
        return { kind: 'missing' };
      }
      await tx.serviceAccounts.delete(namespace, name);
      return { kind: 'deleted' };
    }
  }
}

async function allPages<T>(list: (page: PageRequest) => Promise<Page<T>>): Promise<T[]> {
  const out: T[] = [];
  let marker: string | undefined;
  do {
    const page = await list({ maxItems: 1000, ...(marker !== undefined ? { marker } : {}) });
    out.push(...page.items);
    marker = page.marker;
  } while (marker !== undefined);
  return out;
}
