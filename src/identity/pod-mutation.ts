/**
 * The pod mutation of amazon-eks-pod-identity-webhook in IRSA mode, reimplemented exactly
 * (irsa-wire.md §2.3-2.5, from the webhook's handler.go): for a pod whose service account names a
 * role, add the projected `aws-iam-token` volume and, to every init container and container not listed
 * in `eks.amazonaws.com/skip-containers`, the environment and the read-only token mount. Pure: the
 * service-account lookup is passed in, so the same code serves `POST /_openirsa/mutate`, the in-cluster
 * webhook and `openirsa exec`.
 */

import { definedVariables, endpointEnvironment, podEnvironment } from './pod-environment.js';

/** What a service account's annotations resolve to (see config/manifests.ts). */
export interface ServiceAccountIdentity {
  readonly roleArn?: string;
  readonly audience?: string;
  readonly regionalSts?: boolean;
  readonly tokenExpirationSeconds?: number;
}

/** The webhook's flags that matter to a mutation, with its defaults (irsa-wire.md §2.2). */
export interface WebhookSettings {
  /** `--annotation-prefix`, default `eks.amazonaws.com`. */
  readonly annotationPrefix: string;
  /** `--token-audience`, default `sts.amazonaws.com`. */
  readonly audience: string;
  /** `--token-mount-path`. */
  readonly mountPath: string;
  /** `--token-expiration`, default 86400, at least 600. */
  readonly tokenExpirationSeconds: number;
  /** `--aws-default-region`: when set, AWS_DEFAULT_REGION and AWS_REGION are injected. */
  readonly region?: string;
  /** `--sts-regional-endpoint`, default false. */
  readonly regionalSts: boolean;
  /** `--aws-endpoint-url` (openirsa's own): when set, the `AWS_ENDPOINT_URL*` variables are injected. */
  readonly endpointUrl?: string;
}

export const DEFAULT_WEBHOOK_SETTINGS: WebhookSettings = {
  annotationPrefix: 'eks.amazonaws.com',
  audience: 'sts.amazonaws.com',
  mountPath: '/var/run/secrets/eks.amazonaws.com/serviceaccount',
  tokenExpirationSeconds: 86400,
  regionalSts: false,
};

export const TOKEN_VOLUME_NAME = 'aws-iam-token';
const MIN_EXPIRATION = 600;

export interface JsonPatchOperation {
  readonly op: 'add';
  readonly path: string;
  readonly value: unknown;
}

/** What the webhook decided for one pod: the environment it injects is also what `openirsa exec` uses. */
export interface PodMutation {
  readonly patch: readonly JsonPatchOperation[];
  readonly roleArn: string;
  readonly audience: string;
  readonly tokenExpirationSeconds: number;
  readonly tokenFilePath: string;
}

type Json = Record<string, unknown>;

/**
 * The mutation for a pod, or `undefined` when the webhook leaves the pod alone (its service account
 * names no role). `lookup` returns the identity of a service account, or undefined when unknown.
 */
export function mutatePod(
  pod: Json,
  namespace: string,
  lookup: (namespace: string, name: string) => ServiceAccountIdentity | undefined,
  settings: WebhookSettings = DEFAULT_WEBHOOK_SETTINGS,
): PodMutation | undefined {
  const spec = isObject(pod.spec) ? pod.spec : {};
  const metadata = isObject(pod.metadata) ? pod.metadata : {};
  const serviceAccount =
    typeof spec.serviceAccountName === 'string' && spec.serviceAccountName !== ''
      ? spec.serviceAccountName
      : 'default';
  const identity = lookup(namespace, serviceAccount);
  if (!identity?.roleArn) return undefined;

  const annotations = isObject(metadata.annotations) ? metadata.annotations : {};
  const prefix = `${settings.annotationPrefix}/`;
  // Precedence: pod annotation > service-account annotation > flag; below 600 s means 600 s.
  let expiration = Math.max(MIN_EXPIRATION, settings.tokenExpirationSeconds);
  if (identity.tokenExpirationSeconds !== undefined)
    expiration = Math.max(MIN_EXPIRATION, identity.tokenExpirationSeconds);
  const podExpiration = annotations[`${prefix}token-expiration`];
  if (typeof podExpiration === 'string' && /^[+-]?\d+$/.test(podExpiration)) {
    expiration = Math.max(MIN_EXPIRATION, Number(podExpiration));
  }
  const audience = identity.audience ?? settings.audience;
  const regionalSts = identity.regionalSts ?? settings.regionalSts;
  const skip = skippedContainers(annotations[`${prefix}skip-containers`]);

  const unixTokenPath = `${settings.mountPath.replace(/\/+$/, '')}/token`;
  const nodeSelector = isObject(spec.nodeSelector) ? spec.nodeSelector : {};
  const windows =
    nodeSelector['kubernetes.io/os'] === 'windows' || nodeSelector['beta.kubernetes.io/os'] === 'windows';
  // On Windows nodes the variable holds a Windows path; the mount path stays the Unix one.
  const tokenFilePath = windows ? `C:${unixTokenPath.replaceAll('/', '\\')}` : unixTokenPath;

  const mutateAll = (list: unknown): unknown[] =>
    Array.isArray(list)
      ? list.map((c: unknown) =>
          isObject(c) && !(typeof c.name === 'string' && skip.has(c.name))
            ? addEnvToContainer(c, {
                roleArn: identity.roleArn!,
                tokenFilePath,
                regionalSts,
                region: settings.region,
                mountPath: settings.mountPath,
                endpointUrl: settings.endpointUrl,
              })
            : c,
        )
      : [];

  const patch: JsonPatchOperation[] = [];
  const volumes = Array.isArray(spec.volumes) ? spec.volumes : undefined;
  if (!volumes?.some((v: unknown) => isObject(v) && v.name === TOKEN_VOLUME_NAME)) {
    const volume = {
      name: TOKEN_VOLUME_NAME,
      projected: {
        sources: [{ serviceAccountToken: { audience, expirationSeconds: expiration, path: 'token' } }],
      },
    };
    patch.push(
      volumes === undefined
        ? { op: 'add', path: '/spec/volumes', value: [volume] }
        : { op: 'add', path: '/spec/volumes/0', value: volume },
    );
  }
  patch.push({ op: 'add', path: '/spec/containers', value: mutateAll(spec.containers) });
  if (Array.isArray(spec.initContainers) && spec.initContainers.length > 0) {
    patch.push({ op: 'add', path: '/spec/initContainers', value: mutateAll(spec.initContainers) });
  }
  return { patch, roleArn: identity.roleArn, audience, tokenExpirationSeconds: expiration, tokenFilePath };
}

interface EnvPlan {
  readonly roleArn: string;
  readonly tokenFilePath: string;
  readonly regionalSts: boolean;
  readonly region: string | undefined;
  readonly mountPath: string;
  readonly endpointUrl: string | undefined;
}

/** handler.go `addEnvToContainer`: only names count (a `valueFrom` defines a variable too). */
function addEnvToContainer(container: Json, plan: EnvPlan): Json {
  const env: unknown[] = Array.isArray(container.env) ? [...(container.env as unknown[])] : [];
  const names = new Set(env.map((e) => (isObject(e) && typeof e.name === 'string' ? e.name : '')));
  const defined = definedVariables(names);
  if (defined.webIdentity && defined.region && defined.sts) return container;
  env.push(...podEnvironment(plan, defined));
  // After the webhook's own variables; a container left alone above gets none (it chose its identity).
  if (plan.endpointUrl !== undefined) env.push(...endpointEnvironment(plan.endpointUrl, names));
  const mounts: unknown[] = Array.isArray(container.volumeMounts)
    ? [...(container.volumeMounts as unknown[])]
    : [];
  if (!mounts.some((m) => isObject(m) && m.name === TOKEN_VOLUME_NAME)) {
    mounts.push({ name: TOKEN_VOLUME_NAME, readOnly: true, mountPath: plan.mountPath });
  }
  return { ...container, env, volumeMounts: mounts };
}

/** `skip-containers` is CSV, first record only; a CSV error skips none (Go encoding/csv). */
function skippedContainers(value: unknown): Set<string> {
  if (typeof value !== 'string' || value === '') return new Set();
  const firstLine = value.split(/\r?\n/)[0] ?? '';
  const names: string[] = [];
  let i = 0;
  while (i <= firstLine.length) {
    if (firstLine[i] === '"') {
      let field = '';
      i++;
      for (;;) {
        if (i >= firstLine.length) return new Set(); // unterminated quote: a CSV error
        if (firstLine[i] === '"') {
          if (firstLine[i + 1] === '"') {
            field += '"';
            i += 2;
            continue;
          }
          i++;
          break;
        }
        field += firstLine[i];
        i++;
      }
      if (i < firstLine.length && firstLine[i] !== ',') return new Set(); // text after a closing quote
      names.push(field);
      i++;
    } else {
      const end = firstLine.indexOf(',', i);
      const field = end < 0 ? firstLine.slice(i) : firstLine.slice(i, end);
      if (field.includes('"')) return new Set(); // a bare quote in an unquoted field
      names.push(field);
      if (end < 0) break;
      i = end + 1;
    }
  }
  return new Set(names);
}

/**
 * One AdmissionReview exchange (`admission.k8s.io/v1`), as handler.go answers it: the request's
 * apiVersion and kind echoed; `allowed: true` with no patch for pods it leaves alone; the JSON patch
 * base64-encoded; `allowed: false` with a message for a body it cannot read.
 */
export function reviewAdmission(
  body: unknown,
  lookup: (namespace: string, name: string) => ServiceAccountIdentity | undefined,
  settings: WebhookSettings = DEFAULT_WEBHOOK_SETTINGS,
): Json {
  const review = isObject(body) ? body : {};
  const typeMeta = {
    apiVersion: typeof review.apiVersion === 'string' ? review.apiVersion : 'admission.k8s.io/v1',
    kind: typeof review.kind === 'string' ? review.kind : 'AdmissionReview',
  };
  if (!isObject(body))
    return {
      ...typeMeta,
      response: { allowed: false, result: { message: 'the body is not an AdmissionReview object' } },
    };
  const request = review.request;
  if (!isObject(request))
    return { ...typeMeta, response: { allowed: false, result: { message: 'bad content' } } };
  const uid = typeof request.uid === 'string' ? request.uid : '';
  const pod = request.object;
  if (!isObject(pod))
    return {
      ...typeMeta,
      response: { uid, allowed: false, result: { message: 'the request holds no pod object' } },
    };
  const namespace =
    typeof request.namespace === 'string' && request.namespace !== '' ? request.namespace : 'default';
  const mutation = mutatePod(pod, namespace, lookup, settings);
  if (!mutation) return { ...typeMeta, response: { uid, allowed: true } };
  return {
    ...typeMeta,
    response: {
      uid,
      allowed: true,
      patch: Buffer.from(JSON.stringify(mutation.patch)).toString('base64'),
      patchType: 'JSONPatch',
    },
  };
}

function isObject(v: unknown): v is Json {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}
