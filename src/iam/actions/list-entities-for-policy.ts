import { boolean, list, string, structure, type ValueOf } from '../../protocol/shape.js';
import type { PolicyEntity } from '../../store/managed-policies.js';
import { noSuchPolicy } from '../errors.js';
import { storePage } from '../list-page.js';
import { policyEntities, type EntityQuery } from '../policy-entities.js';
import type { QueryAction } from '../query-action.js';
import { policyNeed } from '../authorization-needs.js';
import { pageMembers } from '../user-wire.js';
import { arnType, callerAccount, markerType, maxItemsType, pathPrefixType } from '../wire.js';

const input = structure({
  PolicyArn: arnType(),
  EntityFilter: string({ enum: ['User', 'Role', 'Group', 'LocalManagedPolicy', 'AWSManagedPolicy'] }),
  PathPrefix: pathPrefixType(),
  PolicyUsageFilter: string({ enum: ['PermissionsPolicy', 'PermissionsBoundary'] }),
  Marker: markerType(),
  MaxItems: maxItemsType(),
});
const output = structure({
  PolicyGroups: list(structure({ GroupName: string(), GroupId: string() })),
  PolicyUsers: list(structure({ UserName: string(), UserId: string() })),
  PolicyRoles: list(structure({ RoleName: string(), RoleId: string() })),
  IsTruncated: boolean(),
  Marker: string(),
});

/**
 * IAM ListEntitiesForPolicy: the users and roles a managed policy is attached to (`PermissionsPolicy`)
 * or bounds (`PermissionsBoundary`), both without `PolicyUsageFilter` (API reference: "If it is not
 * included, all policies are returned"). openirsa has no groups, so `PolicyGroups` is always empty;
 * ⚠ `EntityFilter` `LocalManagedPolicy` and `AWSManagedPolicy` name kinds that are never attached to a
 * policy, so they list nothing here (AWS's answer to them is unconfirmed).
 */
export const listEntitiesForPolicy: QueryAction<typeof input, typeof output> = {
  name: 'ListEntitiesForPolicy',
  input,
  output,
  authentication: 'sigv4',
  authorize: (i, ctx) => policyNeed(ctx, 'iam:ListEntitiesForPolicy', i.PolicyArn),
  handle: async (i, ctx) => {
    const policy = await ctx.store.managedPolicies.get(callerAccount(ctx).accountId, i.PolicyArn);
    if (policy === undefined) throw noSuchPolicy(i.PolicyArn);
    const query: EntityQuery = {
      types: entityTypes(i.EntityFilter),
      usage: i.PolicyUsageFilter ?? 'both',
      pathPrefix: i.PathPrefix ?? '/',
      ...(i.Marker !== undefined ? { marker: i.Marker } : {}),
      ...(i.MaxItems !== undefined ? { maxItems: i.MaxItems } : {}),
    };
    const page = await storePage(() => policyEntities(ctx.store, policy, query));
    return {
      PolicyGroups: [],
      PolicyUsers: page.items
        .filter((e) => e.type === 'user')
        .map((e) => ({ UserName: e.name, UserId: e.id })),
      PolicyRoles: page.items
        .filter((e) => e.type === 'role')
        .map((e) => ({ RoleName: e.name, RoleId: e.id })),
      ...pageMembers(page.marker),
    };
  },
};

function entityTypes(filter: ValueOf<typeof input>['EntityFilter']): PolicyEntity['type'][] {
  switch (filter) {
    case undefined:
      return ['role', 'user'];
    case 'Role':
      return ['role'];
    case 'User':
      return ['user'];
    case 'Group':
    case 'LocalManagedPolicy':
    case 'AWSManagedPolicy':
      return [];
  }
}
