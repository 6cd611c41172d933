import { formatArn } from '../shared/arn.js';
import type { Clock } from '../shared/clock.js';
import type { IdGenerator } from '../shared/ids.js';
import { isStoreError } from '../store/errors.js';
import type { PolicyHolderStore } from '../store/principal-policies.js';
import { DEFAULT_MAX_SESSION_DURATION, type RoleUpdate } from '../store/roles.js';
import type { Page, PageRequest, StoreScope, Tag } from '../store/types.js';
import { oidcProviderArn } from '../sts/oidc-provider-arn.js';
import { applyBucket } from './apply-bucket.js';
import type {
  LoadedManifest,
  ManifestProblem,
  OidcProviderManifest,
  ParsedFile,
  PolicyManifest,
  RoleManifest,
  ServiceAccountManifest,
} from './manifests.js';

/** What applying did to one object. */
export type ApplyAction = 'created' | 'updated' | 'unchanged';

export interface AppliedObject {
  readonly kind: LoadedManifest['manifest']['kind'];
  /** The role, policy or namespace name; `NAMESPACE/NAME` for a service account; the URL of a provider. */
  readonly name: string;
  readonly action: ApplyAction;
}

export interface ApplyResult {
  /** Empty when any error stopped the apply (then nothing was written). */
  readonly applied: readonly AppliedObject[];
  /** Every problem of loading (rejected files included), then the ones found while applying. */
  readonly problems: readonly ManifestProblem[];
}

export interface ApplyContext {
  /** The account the IAM objects belong to. */
  readonly accountId: string;
  /** `aws` unless told otherwise. */
  readonly partition: string;
  readonly clock: Clock;
  readonly ids: IdGenerator;
  /** The region buckets are created in; `us-east-1` when absent. */
  readonly region?: string;
}

/** IAM's limit of versions per managed policy (IAM User Guide, "IAM and AWS STS quotas"). */
const MAX_POLICY_VERSIONS = 5;

/** Applied in this order so that a role can name a policy declared in any file. */
const ORDER: Record<LoadedManifest['manifest']['kind'], number> = {
  Namespace: 0,
  OpenIDConnectProvider: 1,
  Policy: 2,
  Role: 3,
  ServiceAccount: 4,
  Bucket: 5,
};

/** Thrown inside the transaction to roll it back when applying found an error. */
class ApplyFailed extends Error {
  override readonly name = 'ApplyFailed';
}

/**
 * Converges the store to the manifests of the files that were not rejected, in one transaction:
 * objects missing are created, objects that differ are updated, and a role's inline and attached
 * policies become exactly the manifest's (ones absent from it are deleted or detached). Applying the
 * same files again changes nothing and reports every object `unchanged`. Rejected files contribute
 * their problems only. An error found while applying (a role naming a managed policy that does not
 * exist) is reported at its file, document and field, and rolls back the whole apply: nothing is
 * written. Objects absent from every manifest are left alone (this is `apply`, not `prune`).
 */
export async function applyManifests(
  store: StoreScope,
  files: readonly ParsedFile[],
  ctx: ApplyContext,
): Promise<ApplyResult> {
  const problems: ManifestProblem[] = files.flatMap((f) => f.problems);
  const manifests = files
    .filter((f) => !f.rejected)
    .flatMap((f) => f.manifests)
    .map((m, i) => ({ m, i }))
    .sort((a, b) => ORDER[a.m.manifest.kind] - ORDER[b.m.manifest.kind] || a.i - b.i)
    .map(({ m }) => m);
  const errors: ManifestProblem[] = [];
  try {
    const applied = await store.transaction(async (tx) => {
      const out: AppliedObject[] = [];
      const a = new Applier(tx, ctx, errors);
      for (const loaded of manifests) {
        const done = await a.apply(loaded);
        if (done !== undefined) out.push(done);
      }
      if (errors.length > 0) throw new ApplyFailed();
      return out;
    });
    return { applied, problems: [...problems, ...errors] };
  } catch (e) {
    if (e instanceof ApplyFailed) return { applied: [], problems: [...problems, ...errors] };
    throw e;
  }
}

class Applier {
  constructor(
    private readonly tx: StoreScope,
    private readonly ctx: ApplyContext,
    private readonly errors: ManifestProblem[],
  ) {}

  private error(loaded: LoadedManifest, path: string, message: string): void {
    this.errors.push({
      severity: 'error',
      file: loaded.file,
      documentIndex: loaded.documentIndex,
      path,
      message,
    });
  }

  private iamArn(resource: string): string {
    return formatArn({
      partition: this.ctx.partition,
      service: 'iam',
      region: '',
      account: this.ctx.accountId,
      resource,
    });
  }

  async apply(loaded: LoadedManifest): Promise<AppliedObject | undefined> {
    const m = loaded.manifest;
    switch (m.kind) {
      case 'Namespace':
        // Nothing to store: service accounts carry their namespace.
        return { kind: m.kind, name: m.name, action: 'unchanged' };
      case 'ServiceAccount':
        return this.serviceAccount(m);
      case 'OpenIDConnectProvider':
        return this.oidcProvider(m);
      case 'Policy':
        return this.policy(m);
      case 'Role':
        return this.role(loaded, m);
      case 'Bucket': {
        const done = await applyBucket(this.tx, m, {
          accountId: this.ctx.accountId,
          region: this.ctx.region ?? 'us-east-1',
          now: this.ctx.clock.now(),
        });
        if (!done.ok) {
          this.error(loaded, done.path, done.message);
          return undefined;
        }
        return { kind: m.kind, name: m.name, action: done.action };
      }
    }
  }

  private async serviceAccount(m: ServiceAccountManifest): Promise<AppliedObject> {
    const name = `${m.namespace}/${m.name}`;
    const existing = await this.tx.serviceAccounts.get(m.namespace, m.name);
    if (existing !== undefined && sameRecord(existing.annotations, m.annotations)) {
      return { kind: m.kind, name, action: 'unchanged' };
    }
    await this.tx.serviceAccounts.upsert({
      namespace: m.namespace,
      name: m.name,
      annotations: m.annotations,
      // A UUID, as Kubernetes uids are; an existing service account keeps its own.
      uid: this.ctx.ids.requestId(),
      at: this.ctx.clock.now(),
    });
    return { kind: m.kind, name, action: existing === undefined ? 'created' : 'updated' };
  }

  private async oidcProvider(m: OidcProviderManifest): Promise<AppliedObject> {
    const arn = oidcProviderArn(this.ctx.partition, this.ctx.accountId, m.url);
    const tags = toTags(m.tags);
    const existing = await this.tx.oidcProviders.get(this.ctx.accountId, arn);
    if (existing === undefined) {
      await this.tx.oidcProviders.create({
        accountId: this.ctx.accountId,
        arn,
        url: m.url,
        clientIds: m.clientIds,
        thumbprints: m.thumbprints,
        tags,
        createdAt: this.ctx.clock.now(),
      });
      return { kind: m.kind, name: m.url, action: 'created' };
    }
    if (
      sameList(existing.clientIds, m.clientIds) &&
      sameList(existing.thumbprints, m.thumbprints) &&
      sameTags(existing.tags, tags)
    ) {
      return { kind: m.kind, name: m.url, action: 'unchanged' };
    }
    await this.tx.oidcProviders.update(this.ctx.accountId, arn, {
      clientIds: m.clientIds,
      thumbprints: m.thumbprints,
      tags,
    });
    return { kind: m.kind, name: m.url, action: 'updated' };
  }

  private async policy(m: PolicyManifest): Promise<AppliedObject> {
    const { accountId } = this.ctx;
    const arn = this.iamArn(`policy${m.path}${m.name}`);
    const tags = toTags(m.tags);
    const existing = await this.tx.managedPolicies.get(accountId, arn);
    if (existing === undefined) {
      await this.tx.managedPolicies.create({
        accountId,
        name: m.name,
        id: this.ctx.ids.uniqueId('ANPA'),
        path: m.path,
        arn,
        ...(m.description !== undefined ? { description: m.description } : {}),
        tags,
        document: m.document,
        createdAt: this.ctx.clock.now(),
      });
      return { kind: m.kind, name: m.name, action: 'created' };
    }
    let changed = false;
    const current = await this.tx.managedPolicies.getVersion(accountId, arn, existing.defaultVersionId);
    if (current?.document !== m.document) {
      // CreatePolicyVersion refuses a sixth version; as `kubectl apply` users expect, make room by
      // deleting the oldest version that is not the default (listVersions is newest first).
      const versions = await this.tx.managedPolicies.listVersions(accountId, arn);
      if (versions.length >= MAX_POLICY_VERSIONS) {
        const oldest = [...versions].reverse().find((v) => !v.isDefault);
        if (oldest !== undefined)
          await this.tx.managedPolicies.deleteVersion(accountId, arn, oldest.versionId);
      }
      await this.tx.managedPolicies.createVersion(accountId, arn, {
        document: m.document,
        setAsDefault: true,
        createdAt: this.ctx.clock.now(),
      });
      changed = true;
    }
    if (!sameTags(existing.tags, tags)) {
      await this.tx.managedPolicies.setTags(accountId, arn, tags);
      changed = true;
    }
    // IAM has no way to change a managed policy's description: a changed one is not applied.
    return { kind: m.kind, name: m.name, action: changed ? 'updated' : 'unchanged' };
  }

  private async role(loaded: LoadedManifest, m: RoleManifest): Promise<AppliedObject | undefined> {
    const { accountId } = this.ctx;
    if (!(await this.checkReferences(loaded, m))) return undefined;
    const tags = toTags(m.tags);
    const maxSessionDuration = m.maxSessionDuration ?? DEFAULT_MAX_SESSION_DURATION;
    const existing = await this.tx.roles.get(accountId, m.name);
    let action: ApplyAction;
    if (existing === undefined) {
      await this.tx.roles.create({
        accountId,
        name: m.name,
        id: this.ctx.ids.uniqueId('AROA'),
        path: m.path,
        arn: this.iamArn(`role${m.path}${m.name}`),
        trustPolicy: m.trustPolicy,
        ...(m.description !== undefined ? { description: m.description } : {}),
        maxSessionDuration,
        ...(m.permissionsBoundary !== undefined ? { permissionsBoundaryArn: m.permissionsBoundary } : {}),
        tags,
        createdAt: this.ctx.clock.now(),
      });
      action = 'created';
    } else {
      if (existing.path !== m.path) {
        // IAM never moves a role to another path; recreating it would change its id and ARN.
        this.error(
          loaded,
          'spec.path',
          `role \`${m.name}\` exists with path \`${existing.path}\`, found \`${m.path}\`; a role's path cannot change`,
        );
        return undefined;
      }
      const update: { -readonly [K in keyof RoleUpdate]: RoleUpdate[K] } = {};
      if (existing.trustPolicy !== m.trustPolicy) update.trustPolicy = m.trustPolicy;
      if (existing.description !== m.description) update.description = m.description ?? null;
      if (existing.maxSessionDuration !== maxSessionDuration) update.maxSessionDuration = maxSessionDuration;
      if (existing.permissionsBoundaryArn !== m.permissionsBoundary) {
        update.permissionsBoundaryArn = m.permissionsBoundary ?? null;
      }
      if (!sameTags(existing.tags, tags)) update.tags = tags;
      const changed = Object.keys(update).length > 0;
      if (changed) await this.tx.roles.update(accountId, m.name, update);
      action = changed ? 'updated' : 'unchanged';
    }
    const policiesChanged = await this.convergePolicies(this.tx.roles, m);
    if (action === 'unchanged' && policiesChanged) action = 'updated';
    return { kind: m.kind, name: m.name, action };
  }

  /** The managed policies a role names must exist (a policy of this apply already does). */
  private async checkReferences(loaded: LoadedManifest, m: RoleManifest): Promise<boolean> {
    let ok = true;
    for (const [i, arn] of m.policies.entries()) {
      if ((await this.tx.managedPolicies.get(this.ctx.accountId, arn)) === undefined) {
        this.error(loaded, `spec.policies[${i}]`, `managed policy \`${arn}\` does not exist in the account`);
        ok = false;
      }
    }
    if (
      m.permissionsBoundary !== undefined &&
      (await this.tx.managedPolicies.get(this.ctx.accountId, m.permissionsBoundary)) === undefined
    ) {
      this.error(
        loaded,
        'spec.permissionsBoundary',
        `managed policy \`${m.permissionsBoundary}\` does not exist in the account`,
      );
      ok = false;
    }
    return ok;
  }

  /** Makes the holder's inline and attached policies exactly the manifest's; true when any changed. */
  private async convergePolicies(holder: PolicyHolderStore, m: RoleManifest): Promise<boolean> {
    const { accountId } = this.ctx;
    let changed = false;
    const inline = await allPages((page) => holder.listPolicies(accountId, m.name, page));
    const wanted = new Map(Object.entries(m.inlinePolicies));
    for (const p of inline) {
      // Inline policy names are unique per holder ignoring case: a manifest name in another case
      // replaces the stored policy (and renames it).
      const key = [...wanted.keys()].find((k) => k.toLowerCase() === p.name.toLowerCase());
      if (key === undefined) {
        await holder.deletePolicy(accountId, m.name, p.name);
        changed = true;
      } else if (key !== p.name || wanted.get(key) !== p.document) {
        if (key !== p.name) await holder.deletePolicy(accountId, m.name, p.name);
        await holder.putPolicy(accountId, m.name, { name: key, document: wanted.get(key) ?? '' });
        changed = true;
        wanted.delete(key);
      } else wanted.delete(key);
    }
    for (const [name, document] of wanted) {
      await holder.putPolicy(accountId, m.name, { name, document });
      changed = true;
    }
    const attached = await allPages((page) => holder.listAttachedPolicies(accountId, m.name, page));
    const want = new Set(m.policies);
    for (const p of attached) {
      if (want.has(p.arn)) want.delete(p.arn);
      else {
        await holder.detachPolicy(accountId, m.name, p.arn);
        changed = true;
      }
    }
    for (const arn of want) {
      try {
        await holder.attachPolicy(accountId, m.name, arn);
      } catch (e) {
        // INVARIANT: unreachable, checkReferences saw the policy in this transaction.
        if (isStoreError(e, 'notFound')) throw new Error(`managed policy \`${arn}\` vanished`, { cause: e });
        throw e;
      }
      changed = true;
    }
    return changed;
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

function toTags(tags: Readonly<Record<string, string>>): Tag[] {
  return Object.entries(tags).map(([key, value]) => ({ key, value }));
}

function sameTags(a: readonly Tag[], b: readonly Tag[]): boolean {
  return a.length === b.length && a.every((t, i) => t.key === b[i]?.key && t.value === b[i]?.value);
}

function sameList(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((x, i) => x === b[i]);
}

function sameRecord(a: Readonly<Record<string, string>>, b: Readonly<Record<string, string>>): boolean {
  const ak = Object.keys(a);
  return ak.length === Object.keys(b).length && ak.every((k) => Object.hasOwn(b, k) && a[k] === b[k]);
}
