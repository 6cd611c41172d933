import type { ManagedPolicy, PolicyEntity } from '../store/managed-policies.js';
import type { Page, PageRequest, PathPageRequest, StoreScope } from '../store/types.js';
import { pageList } from './list-page.js';

/** A user or role as ListEntitiesForPolicy lists it, with the path its `PathPrefix` filters. */
export interface ListedEntity extends PolicyEntity {
  readonly path: string;
}

/** Which entities ListEntitiesForPolicy wants: `EntityFilter` and `PolicyUsageFilter`, as this server reads them. */
export interface EntityQuery {
  readonly types: readonly PolicyEntity['type'][];
  readonly usage: 'PermissionsPolicy' | 'PermissionsBoundary' | 'both';
  readonly pathPrefix: string;
  readonly marker?: string;
  readonly maxItems?: number;
}

/**
 * One page of the users and roles a policy is attached to, or that it bounds, roles first. Attachments
 * alone page on the store's attachment index. Boundary usage has no index: those entities come from a
 * scan of the account's roles and users (bounded by IAM's quotas of 1000 roles and 5000 users), and the
 * list, joined with the attachments, is paged by offset.
 */
export async function policyEntities(
  store: StoreScope,
  policy: ManagedPolicy,
  q: EntityQuery,
): Promise<Page<ListedEntity>> {
  const byPath = (e: ListedEntity) => e.path.startsWith(q.pathPrefix);
  const scan =
    q.usage === 'PermissionsBoundary' || (q.usage === 'both' && policy.permissionsBoundaryUsageCount > 0);
  if (!scan) {
    const page = await attachedPage(store, policy, q.types, q);
    return { ...page, items: page.items.filter(byPath) };
  }
  const found = new Map<string, ListedEntity>();
  if (q.usage === 'both') {
    let marker: string | undefined;
    do {
      const page = await attachedPage(store, policy, q.types, {
        ...(marker !== undefined ? { marker } : {}),
        maxItems: 1000,
      });
      for (const e of page.items) found.set(e.id, e);
      marker = page.marker;
    } while (marker !== undefined);
  }
  for (const e of await boundedEntities(store, policy, q.types)) found.set(e.id, e);
  const all = [...found.values()].filter(byPath).sort(entityOrder);
  const page = pageList(all, { Marker: q.marker, MaxItems: q.maxItems });
  return { items: page.items, ...(page.Marker !== undefined ? { marker: page.Marker } : {}) };
}

async function attachedPage(
  store: StoreScope,
  policy: ManagedPolicy,
  types: readonly PolicyEntity['type'][],
  request: PageRequest,
): Promise<Page<ListedEntity>> {
  if (types.length === 0) return { items: [] };
  const page = await store.managedPolicies.listEntities(policy.accountId, policy.arn, {
    ...(types.length === 1 && types[0] !== undefined ? { entityType: types[0] } : {}),
    ...(request.marker !== undefined ? { marker: request.marker } : {}),
    ...(request.maxItems !== undefined ? { maxItems: request.maxItems } : {}),
  });
  const items: ListedEntity[] = [];
  for (const e of page.items) {
    const entity =
      e.type === 'role'
        ? await store.roles.get(policy.accountId, e.name)
        : await store.users.get(policy.accountId, e.name);
    // An entity deleted between the two reads is no longer attached: it is left out.
    if (entity !== undefined && entity.id === e.id) items.push({ ...e, path: entity.path });
  }
  return { items, ...(page.marker !== undefined ? { marker: page.marker } : {}) };
}

async function boundedEntities(
  store: StoreScope,
  policy: ManagedPolicy,
  types: readonly PolicyEntity['type'][],
): Promise<ListedEntity[]> {
  const out: ListedEntity[] = [];
  for (const type of types) {
    const list = (request: PathPageRequest) =>
      type === 'role'
        ? store.roles.list(policy.accountId, request)
        : store.users.list(policy.accountId, request);
    let marker: string | undefined;
    do {
      const page = await list({ ...(marker !== undefined ? { marker } : {}), maxItems: 1000 });
      for (const e of page.items) {
        if (e.permissionsBoundaryArn === policy.arn) out.push({ type, name: e.name, id: e.id, path: e.path });
      }
      marker = page.marker;
    } while (marker !== undefined);
  }
  return out;
}

/** Roles before users, each in id order: the order of the store's attachment listing. */
function entityOrder(a: ListedEntity, b: ListedEntity): number {
  if (a.type !== b.type) return a.type < b.type ? -1 : 1;
  return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
}
