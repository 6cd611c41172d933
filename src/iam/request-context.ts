import type { ContextValue } from '../policy/types.js';
import type { Tag } from '../store/types.js';

/** A condition key and its value, the key lower-cased as the policy engine keys them. */
export type ContextEntry = readonly [string, ContextValue];

/**
 * The tags a request adds (CreateRole, TagRole, CreatePolicy, ...): `aws:RequestTag/KEY` for each, and
 * `aws:TagKeys` for all of their keys (IAM User Guide, "Controlling access to IAM resources" with tags).
 */
export function requestTagContext(tags: readonly Tag[]): ContextEntry[] {
  if (tags.length === 0) return [];
  return [
    ...tags.map((t): ContextEntry => [`aws:requesttag/${t.key.toLowerCase()}`, t.value]),
    tagKeysContext(tags.map((t) => t.key)),
  ];
}

/** `aws:TagKeys` of an untag request: the keys it removes. */
export function tagKeysContext(keys: readonly string[]): ContextEntry {
  return ['aws:tagkeys', [...keys]];
}

/**
 * The tags of the resource acted on: `aws:ResourceTag/KEY`, and its IAM spelling `iam:ResourceTag/KEY`
 * (Service Authorization Reference for IAM lists both for roles, policies and OIDC providers).
 */
export function resourceTagContext(tags: readonly Tag[]): ContextEntry[] {
  return tags.flatMap((t): ContextEntry[] => {
    const key = t.key.toLowerCase();
    return [
      [`aws:resourcetag/${key}`, t.value],
      [`iam:resourcetag/${key}`, t.value],
    ];
  });
}

/** `iam:PermissionsBoundary`: the boundary a request sets (or, deleting it, the one in place). */
export function boundaryContext(arn: string | undefined): ContextEntry[] {
  return arn === undefined ? [] : [['iam:permissionsboundary', arn]];
}
