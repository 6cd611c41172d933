import { parseAllDocuments } from 'yaml';
import type { Finding, PolicyKind } from '../policy/types.js';
import { validatePolicy } from '../policy/validate.js';
import { readBucket, type BucketManifest } from './bucket-manifest.js';

/**
 * Manifests in the shapes users already keep in their clusters: Kubernetes `v1` Namespace and
 * ServiceAccount (with the pod-identity webhook's annotations), and the AWS Controllers for Kubernetes
 * (ACK) IAM kinds `Role`, `Policy` and `OpenIDConnectProvider` of `iam.services.k8s.aws/v1alpha1`, and
 * the ACK S3 kind `Bucket` of `s3.services.k8s.aws/v1alpha1` (config/bucket-manifest.ts).
 * This module reads and checks them; applying them is the server's job. A file with any error yields
 * no manifests at all, so that nothing of a broken file is ever half applied.
 */

export interface NamespaceManifest {
  readonly kind: 'Namespace';
  readonly name: string;
}

export interface ServiceAccountManifest {
  readonly kind: 'ServiceAccount';
  readonly namespace: string;
  readonly name: string;
  readonly annotations: Readonly<Record<string, string>>;
  /** `eks.amazonaws.com/role-arn`: present (non-empty) means pods of this account get IRSA. */
  readonly roleArn?: string;
  /** `eks.amazonaws.com/audience`. */
  readonly audience?: string;
  /** `eks.amazonaws.com/sts-regional-endpoints`, read as Go's strconv.ParseBool does. */
  readonly regionalSts?: boolean;
  /** `eks.amazonaws.com/token-expiration` in seconds, raised to 600 as the webhook does. */
  readonly tokenExpirationSeconds?: number;
}

export interface RoleManifest {
  readonly kind: 'Role';
  readonly name: string;
  readonly path: string;
  readonly description?: string;
  /** The trust policy as JSON text. */
  readonly trustPolicy: string;
  /** ARNs of managed policies to attach. */
  readonly policies: readonly string[];
  /** Inline policies: name → JSON text. */
  readonly inlinePolicies: Readonly<Record<string, string>>;
  readonly permissionsBoundary?: string;
  readonly maxSessionDuration?: number;
  readonly tags: Readonly<Record<string, string>>;
}

export interface PolicyManifest {
  readonly kind: 'Policy';
  readonly name: string;
  readonly path: string;
  readonly description?: string;
  readonly document: string;
  readonly tags: Readonly<Record<string, string>>;
}

export interface OidcProviderManifest {
  readonly kind: 'OpenIDConnectProvider';
  readonly url: string;
  readonly clientIds: readonly string[];
  readonly thumbprints: readonly string[];
  readonly tags: Readonly<Record<string, string>>;
}

export type Manifest =
  | NamespaceManifest
  | ServiceAccountManifest
  | RoleManifest
  | PolicyManifest
  | OidcProviderManifest
  | BucketManifest;

export interface LoadedManifest {
  readonly file: string;
  /** 0-based position of the YAML document in its file. */
  readonly documentIndex: number;
  readonly manifest: Manifest;
}

export interface ManifestProblem {
  readonly severity: 'error' | 'warning';
  readonly file: string;
  readonly documentIndex: number;
  /** Field path in the document, `spec.inlinePolicies.read` (and a JSON pointer into a policy after `#`). */
  readonly path: string;
  readonly message: string;
}

export interface ParsedFile {
  readonly file: string;
  /** Empty when the file has any error. */
  readonly manifests: readonly LoadedManifest[];
  readonly problems: readonly ManifestProblem[];
  readonly rejected: boolean;
}

const IAM_API = 'iam.services.k8s.aws/v1alpha1';
const S3_API = 's3.services.k8s.aws/v1alpha1';

/** Reads every YAML document of one file. Never throws on user input. */
export function parseManifestFile(text: string, file: string): ParsedFile {
  const problems: ManifestProblem[] = [];
  const manifests: LoadedManifest[] = [];
  let docs;
  try {
    docs = parseAllDocuments(text, { uniqueKeys: true });
  } catch (e) {
    problems.push({
      severity: 'error',
      file,
      documentIndex: 0,
      path: '',
      message: `cannot read YAML: ${String(e)}`,
    });
    return { file, manifests: [], problems, rejected: true };
  }
  const list = Array.isArray(docs) ? docs : [docs];
  list.forEach((doc, documentIndex) => {
    const at = (path: string, message: string, severity: 'error' | 'warning' = 'error') =>
      problems.push({ severity, file, documentIndex, path, message });
    for (const err of doc.errors) {
      const line = err.linePos?.[0]?.line;
      const what = (err.message.split('\n')[0] ?? '').replace(/ at line \d+, column \d+:?$/, '');
      at('', `YAML syntax error${line ? ` at line ${line}` : ''}: ${what}`);
    }
    if (doc.errors.length > 0) return;
    const value: unknown = doc.toJS({ maxAliasCount: 100 });
    if (value === null || value === undefined) return; // an empty document, as after a trailing ---
    const m = readManifest(value, at);
    if (m) manifests.push({ file, documentIndex, manifest: m });
  });
  const rejected = problems.some((p) => p.severity === 'error');
  return { file, manifests: rejected ? [] : manifests, problems, rejected };
}

type At = (path: string, message: string, severity?: 'error' | 'warning') => void;

function readManifest(value: unknown, at: At): Manifest | undefined {
  if (!isMap(value)) {
    at('', `a manifest must be a mapping with apiVersion and kind, found ${describe(value)}`);
    return undefined;
  }
  const apiVersion = value.apiVersion;
  const kind = value.kind;
  if (typeof apiVersion !== 'string' || typeof kind !== 'string') {
    at('', 'a manifest needs string `apiVersion` and `kind`');
    return undefined;
  }
  const metadata = isMap(value.metadata) ? value.metadata : {};
  const spec = isMap(value.spec) ? value.spec : undefined;
  const r = new Reader(at);
  if (apiVersion === 'v1' && kind === 'Namespace') {
    const name = r.k8sName(metadata.name, 'metadata.name');
    return name === undefined ? undefined : { kind, name };
  }
  if (apiVersion === 'v1' && kind === 'ServiceAccount') return readServiceAccount(metadata, r, at);
  if (apiVersion === IAM_API && (kind === 'Role' || kind === 'Policy' || kind === 'OpenIDConnectProvider')) {
    if (!spec) {
      at('spec', `${kind} needs a \`spec\``);
      return undefined;
    }
    if (kind === 'Role') return readRole(spec, r);
    if (kind === 'Policy') return readPolicy(spec, r);
    return readOidcProvider(spec, r);
  }
  if (apiVersion === S3_API && kind === 'Bucket') {
    if (!spec) {
      at('spec', 'Bucket needs a `spec`');
      return undefined;
    }
    return readBucket(spec, r);
  }
  at('kind', `\`${apiVersion}\` \`${kind}\` is not a kind openirsa applies; skipped`, 'warning');
  return undefined;
}

function readServiceAccount(
  metadata: Record<string, unknown>,
  r: Reader,
  at: At,
): ServiceAccountManifest | undefined {
  const name = r.k8sName(metadata.name, 'metadata.name');
  const namespace =
    metadata.namespace === undefined ? 'default' : r.k8sName(metadata.namespace, 'metadata.namespace');
  const annotations = r.stringMap(metadata.annotations, 'metadata.annotations') ?? {};
  if (name === undefined || namespace === undefined) return undefined;
  const out: { -readonly [K in keyof ServiceAccountManifest]: ServiceAccountManifest[K] } = {
    kind: 'ServiceAccount',
    namespace,
    name,
    annotations,
  };
  const roleArn = annotations['eks.amazonaws.com/role-arn'];
  if (roleArn) {
    // The webhook only warns on a role ARN of the wrong shape and uses it anyway (irsa-wire.md §2.3).
    if (!/^arn:aws[a-z0-9-]*:iam::\d{12}:role\/[\w\-/.@+=,]+$/.test(roleArn)) {
      at(
        'metadata.annotations.eks.amazonaws.com/role-arn',
        `\`${roleArn}\` is not an IAM role ARN`,
        'warning',
      );
    }
    out.roleArn = roleArn;
  }
  const audience = annotations['eks.amazonaws.com/audience'];
  if (audience) out.audience = audience;
  const regional = annotations['eks.amazonaws.com/sts-regional-endpoints'];
  if (regional !== undefined) {
    const b = parseGoBool(regional);
    if (b === undefined) {
      at(
        'metadata.annotations.eks.amazonaws.com/sts-regional-endpoints',
        `\`${regional}\` is not a boolean; ignored, as the webhook ignores it`,
        'warning',
      );
    } else out.regionalSts = b;
  }
  const expiration = annotations['eks.amazonaws.com/token-expiration'];
  if (expiration !== undefined) {
    // Go strconv.ParseInt(s, 10, 64): an optional sign and decimal digits; invalid → ignored; < 600 → 600.
    if (!/^[+-]?\d+$/.test(expiration)) {
      at(
        'metadata.annotations.eks.amazonaws.com/token-expiration',
        `\`${expiration}\` is not a whole number of seconds; ignored, as the webhook ignores it`,
        'warning',
      );
    } else out.tokenExpirationSeconds = Math.max(600, Number(expiration));
  }
  return out;
}

function readRole(spec: Record<string, unknown>, r: Reader): RoleManifest | undefined {
  const name = r.iamName(spec.name, 'spec.name', 64);
  const path = r.iamPath(spec.path, 'spec.path');
  const trustPolicy = r.policy(spec.assumeRolePolicyDocument, 'spec.assumeRolePolicyDocument', 'trust', true);
  const policies = r.stringList(spec.policies, 'spec.policies') ?? [];
  policies.forEach((arn, i) => r.policyArn(arn, `spec.policies[${i}]`));
  const inlinePolicies: Record<string, string> = {};
  if (spec.inlinePolicies !== undefined) {
    if (!isMap(spec.inlinePolicies)) r.at('spec.inlinePolicies', 'must map policy names to policy documents');
    else {
      for (const [policyName, doc] of Object.entries(spec.inlinePolicies)) {
        r.iamName(policyName, `spec.inlinePolicies.${policyName}`, 128);
        const text = r.policy(doc, `spec.inlinePolicies.${policyName}`, 'identity', true);
        if (text !== undefined) inlinePolicies[policyName] = text;
      }
    }
  }
  const permissionsBoundary = r.optionalString(spec.permissionsBoundary, 'spec.permissionsBoundary');
  if (permissionsBoundary !== undefined) r.policyArn(permissionsBoundary, 'spec.permissionsBoundary');
  let maxSessionDuration: number | undefined;
  if (spec.maxSessionDuration !== undefined) {
    const n = spec.maxSessionDuration;
    // IAM CreateRole: MaxSessionDuration between 3600 and 43200 seconds.
    if (typeof n !== 'number' || !Number.isInteger(n) || n < 3600 || n > 43200) {
      r.at(
        'spec.maxSessionDuration',
        `must be a whole number of seconds from 3600 to 43200, found ${describe(n)}`,
      );
    } else maxSessionDuration = n;
  }
  const description = r.optionalString(spec.description, 'spec.description');
  const tags = r.tags(spec.tags, 'spec.tags');
  if (name === undefined || path === undefined || trustPolicy === undefined) return undefined;
  return {
    kind: 'Role',
    name,
    path,
    trustPolicy,
    policies,
    inlinePolicies,
    tags,
    ...(description !== undefined ? { description } : {}),
    ...(permissionsBoundary !== undefined ? { permissionsBoundary } : {}),
    ...(maxSessionDuration !== undefined ? { maxSessionDuration } : {}),
  };
}

function readPolicy(spec: Record<string, unknown>, r: Reader): PolicyManifest | undefined {
  const name = r.iamName(spec.name, 'spec.name', 128);
  const path = r.iamPath(spec.path, 'spec.path');
  const document = r.policy(spec.policyDocument, 'spec.policyDocument', 'identity', true);
  const description = r.optionalString(spec.description, 'spec.description');
  const tags = r.tags(spec.tags, 'spec.tags');
  if (name === undefined || path === undefined || document === undefined) return undefined;
  return {
    kind: 'Policy',
    name,
    path,
    document,
    tags,
    ...(description !== undefined ? { description } : {}),
  };
}

function readOidcProvider(spec: Record<string, unknown>, r: Reader): OidcProviderManifest | undefined {
  const url = r.optionalString(spec.url, 'spec.url');
  if (url === undefined) r.at('spec.url', 'an OpenIDConnectProvider needs `spec.url`');
  else if (!/^https:\/\/[^\s/?#]+(\/[^\s?#]*)?$/.test(url)) {
    // IAM CreateOpenIDConnectProvider: the URL must begin with https:// and have no query or fragment.
    r.at('spec.url', `\`${url}\` must be an https:// URL without query or fragment`);
  }
  const clientIds = r.stringList(spec.clientIDs, 'spec.clientIDs') ?? [];
  const thumbprints = r.stringList(spec.thumbprints, 'spec.thumbprints') ?? [];
  thumbprints.forEach((t, i) => {
    if (!/^[0-9a-fA-F]{40}$/.test(t))
      r.at(`spec.thumbprints[${i}]`, `\`${t}\` is not a 40-character hex SHA-1 thumbprint`);
  });
  const tags = r.tags(spec.tags, 'spec.tags');
  if (url === undefined) return undefined;
  return { kind: 'OpenIDConnectProvider', url, clientIds, thumbprints, tags };
}

/** Field readers that report where a value is wrong and what was expected. */
class Reader {
  constructor(readonly at: At) {}

  optionalString(v: unknown, path: string): string | undefined {
    if (v === undefined || v === null) return undefined;
    if (typeof v !== 'string') {
      this.at(path, `must be a string, found ${describe(v)}`);
      return undefined;
    }
    return v;
  }

  /** A Kubernetes object name: an RFC 1123 label (lower-case letters, digits, `-`, at most 63). */
  k8sName(v: unknown, path: string): string | undefined {
    if (typeof v !== 'string' || v === '') {
      this.at(path, `must be a name, found ${describe(v)}`);
      return undefined;
    }
    if (!/^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$/.test(v) || v.length > 253) {
      this.at(path, `\`${v}\` is not a valid Kubernetes name (lower-case letters, digits, \`-\` and \`.\`)`);
      return undefined;
    }
    return v;
  }

  /** IAM names: `[\w+=,.@-]+` up to `max` characters (IAM API reference, RoleName / PolicyName). */
  iamName(v: unknown, path: string, max: number): string | undefined {
    if (typeof v !== 'string' || v === '') {
      this.at(path, `must be a name, found ${describe(v)}`);
      return undefined;
    }
    if (!/^[\w+=,.@-]+$/.test(v) || v.length > max) {
      this.at(path, `\`${v}\` must be 1 to ${max} letters, digits or any of +=,.@_-`);
      return undefined;
    }
    return v;
  }

  /** IAM paths begin and end with `/` (IAM API reference, Path). */
  iamPath(v: unknown, path: string): string | undefined {
    if (v === undefined || v === null) return '/';
    if (typeof v !== 'string' || !/^\/([\u0021-\u007e]*\/)?$/.test(v) || v.length > 512) {
      this.at(path, `must be a path that begins and ends with \`/\`, found ${describe(v)}`);
      return undefined;
    }
    return v;
  }

  policyArn(v: string, path: string): void {
    if (!/^arn:aws[a-z0-9-]*:iam::(\d{12}|aws):policy\/.+$/.test(v)) {
      this.at(path, `\`${v}\` is not a managed policy ARN (arn:aws:iam::ACCOUNT:policy/NAME)`);
    }
  }

  stringList(v: unknown, path: string): string[] | undefined {
    if (v === undefined || v === null) return undefined;
    if (!Array.isArray(v) || v.some((x) => typeof x !== 'string')) {
      this.at(path, `must be a list of strings, found ${describe(v)}`);
      return undefined;
    }
    return v as string[];
  }

  stringMap(v: unknown, path: string): Record<string, string> | undefined {
    if (v === undefined || v === null) return undefined;
    if (!isMap(v)) {
      this.at(path, `must be a mapping, found ${describe(v)}`);
      return undefined;
    }
    const out: Record<string, string> = {};
    for (const [k, x] of Object.entries(v)) {
      if (typeof x !== 'string')
        this.at(`${path}.${k}`, `must be a string (quote it in YAML), found ${describe(x)}`);
      else out[k] = x;
    }
    return out;
  }

  /** ACK writes tags as `[{key, value}]`; a plain mapping is accepted too. */
  tags(v: unknown, path: string): Record<string, string> {
    if (v === undefined || v === null) return {};
    if (isMap(v)) return this.stringMap(v, path) ?? {};
    if (!Array.isArray(v)) {
      this.at(path, `must be a list of {key, value}, found ${describe(v)}`);
      return {};
    }
    const out: Record<string, string> = {};
    v.forEach((t, i) => {
      if (!isMap(t) || typeof t.key !== 'string' || typeof t.value !== 'string') {
        this.at(`${path}[${i}]`, 'must be {key: string, value: string}');
      } else out[t.key] = t.value;
    });
    return out;
  }

  /**
   * A policy document given as JSON text or as a YAML mapping; checked as IAM checks it, errors at
   * `path#/json/pointer`. Returns the JSON text.
   */
  policy(v: unknown, path: string, kind: PolicyKind, required: boolean): string | undefined {
    if (v === undefined || v === null) {
      if (required) this.at(path, 'a policy document is required');
      return undefined;
    }
    let text: string;
    if (typeof v === 'string') text = v;
    else if (isMap(v)) text = JSON.stringify(v);
    else {
      this.at(path, `must be a policy document (JSON text or a mapping), found ${describe(v)}`);
      return undefined;
    }
    const findings: Finding[] = validatePolicy(text, kind);
    let ok = true;
    for (const f of findings) {
      if (f.severity !== 'error') continue;
      ok = false;
      this.at(`${path}${f.path ? `#${f.path}` : ''}`, `${f.message} (${f.code})`);
    }
    return ok ? text : undefined;
  }
}

/** Go's strconv.ParseBool. */
function parseGoBool(s: string): boolean | undefined {
  if (['1', 't', 'T', 'TRUE', 'true', 'True'].includes(s)) return true;
  if (['0', 'f', 'F', 'FALSE', 'false', 'False'].includes(s)) return false;
  return undefined;
}

function isMap(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

function describe(v: unknown): string {
  if (v === undefined) return 'nothing';
  if (v === null) return '`null`';
  if (Array.isArray(v)) return 'a list';
  if (typeof v === 'object') return 'a mapping';
  if (typeof v === 'string') return `\`${v}\``;
  if (typeof v === 'number' || typeof v === 'boolean') return `\`${v}\``;
  return `a ${typeof v}`;
}
