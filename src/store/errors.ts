/**
 * The one way a store write fails for a reason the caller can act on. The IAM layer maps `kind` to its
 * wire codes and writes AWS's own message (the store's message is ours, for logs and tests):
 *
 * | kind             | IAM answers            | when                                                        |
 * | ---------------- | ---------------------- | ----------------------------------------------------------- |
 * | `alreadyExists`  | `EntityAlreadyExists`  | a create (or a rename) whose key is taken                  |
 * | `notFound`       | `NoSuchEntity`         | a write or a list that names an entity that is not there    |
 * | `deleteConflict` | `DeleteConflict`       | a delete refused because something still depends on it      |
 * | `invalidInput`   | `InvalidInput`         | a paging marker this store did not issue                    |
 *
 * Getters never throw for a missing entity: they return `undefined`. Arguments that only a bug can produce
 * (a malformed account id, `maxItems` < 1) are a `TypeError`, kept apart from these. Any other error
 * (the database is unreachable, the disk is full) is not a `StoreError` and means `ServiceFailure`.
 */
export type StoreErrorKind = 'alreadyExists' | 'notFound' | 'deleteConflict' | 'invalidInput';

/** What a `StoreError` is about (for `invalidInput`: the entity of the list the bad marker was given to). */
export type StoreEntity =
  | 'account'
  | 'accessKey'
  | 'user'
  | 'role'
  | 'inlinePolicy'
  | 'managedPolicy'
  | 'policyVersion'
  | 'policyAttachment'
  | 'oidcProvider'
  | 'signingKey'
  | 'sealingKey'
  | 'serviceAccount'
  | 'manifestObject'
  | 'bucket'
  | 'object'
  | 'upload';

/**
 * Why a delete was refused, so the IAM layer can pick AWS's message: a user or role that still has
 * `accessKeys`, `inlinePolicies` or `attachedPolicies`; a managed policy that still has `attachments` or
 * non-default `policyVersions`; a policy version that is the `defaultVersion`; a bucket that still holds
 * `objects`.
 */
export type DeleteConflictReason =
  | 'accessKeys'
  | 'inlinePolicies'
  | 'attachedPolicies'
  | 'attachments'
  | 'policyVersions'
  | 'defaultVersion'
  | 'objects';

/** A store write refused for a reason the caller can act on (see the table above). */
export class StoreError extends Error {
  override readonly name = 'StoreError';
  readonly kind: StoreErrorKind;
  readonly entity: StoreEntity;
  /** The name, ARN or id the operation looked for or collided with. Never a secret. */
  readonly key: string;
  /** Set for `deleteConflict` only. */
  readonly reason?: DeleteConflictReason;

  constructor(
    kind: StoreErrorKind,
    entity: StoreEntity,
    key: string,
    message: string,
    reason?: DeleteConflictReason,
  ) {
    super(message);
    this.kind = kind;
    this.entity = entity;
    this.key = key;
    if (reason !== undefined) this.reason = reason;
  }
}

/** `entity` `key` already exists (in `where`, e.g. "account `111122223333`"). */
export function alreadyExists(entity: StoreEntity, key: string, where?: string): StoreError {
  return new StoreError('alreadyExists', entity, key, `${entity} \`${key}\` already exists${inside(where)}`);
}

/** `entity` `key` is not there (in `where`). */
export function notFound(entity: StoreEntity, key: string, where?: string): StoreError {
  return new StoreError('notFound', entity, key, `${entity} \`${key}\` does not exist${inside(where)}`);
}

/** `entity` `key` cannot be deleted, for `reason`. */
export function deleteConflict(
  entity: StoreEntity,
  key: string,
  reason: DeleteConflictReason,
  where?: string,
): StoreError {
  return new StoreError(
    'deleteConflict',
    entity,
    key,
    `${entity} \`${key}\`${inside(where)} cannot be deleted: ${BECAUSE[reason]}`,
    reason,
  );
}

const BECAUSE: Record<DeleteConflictReason, string> = {
  accessKeys: 'it still has access keys',
  inlinePolicies: 'it still has inline policies',
  attachedPolicies: 'it still has attached managed policies',
  attachments: 'it is still attached to users or roles',
  policyVersions: 'it still has versions other than the default one',
  defaultVersion: 'it is the default version of its policy',
  objects: 'it still holds objects',
};

function inside(where: string | undefined): string {
  return where === undefined ? '' : ` in ${where}`;
}

/** True when `e` is a `StoreError`, of `kind` when given. */
export function isStoreError(e: unknown, kind?: StoreErrorKind): e is StoreError {
  return e instanceof StoreError && (kind === undefined || e.kind === kind);
}

/**
 * A commit that took effect but could not be made durable (its fsync failed): its writes are visible,
 * and a crash may yet lose them. Whoever waited on it must not report success (S3 answers 500).
 */
export class UnsyncedCommitError extends Error {
  override readonly name = 'UnsyncedCommitError';
  constructor(cause: unknown) {
    super('the commit took effect but could not be made durable', { cause });
  }
}

/**
 * A write refused because an earlier commit's WAL fsync failed (sqlite/database.ts `assertWritable`): the
 * store's durability is unknown until the server restarts. Its requests answer 500.
 */
export class UnwritableStoreError extends Error {
  override readonly name = 'UnwritableStoreError';
  constructor(cause: unknown) {
    super(
      'an earlier commit could not be made durable: the store takes no writes until the server restarts',
      {
        cause,
      },
    );
  }
}
