import type { IncomingMessage } from 'node:http';
import { isAbsolute } from 'node:path';
import { convergeManifests } from '../config/converge-manifests.js';
import { parseManifestFile } from '../config/manifests.js';
import type { WireResponse } from '../protocol/query-response.js';
import type { Clock } from '../shared/clock.js';
import type { IdGenerator } from '../shared/ids.js';
import type { StoreScope } from '../store/types.js';
import { adminAnswer, readRootRequest } from './admin-request.js';
import type { AuthenticateDeps } from './authenticate.js';
import type { BuiltInIssuer, SigningKeyPeers } from './issuer-routes.js';
import { RotationConflictError, type RotationResult } from './rotate-signing-key.js';

/** `openirsa apply`: manifests to converge the store to. */
export const APPLY_ROUTE = '/_openirsa/apply';
/** `openirsa rotate-signing-key`. */
export const ROTATE_ROUTE = '/_openirsa/rotate-signing-key';

/** The largest apply request: all manifest files of one apply together. */
export const MAX_APPLY_REQUEST_BYTES = 8 * 1024 * 1024;
/** At most this many files (and roots) per apply. */
export const MAX_APPLY_FILES = 1000;
/** The longest file path accepted (Linux's PATH_MAX). */
const MAX_PATH_CHARS = 4096;
/** A rotation request is an empty JSON object. */
const MAX_ROTATE_REQUEST_BYTES = 1024;

export interface OpsRouteContext {
  readonly issuer: BuiltInIssuer;
  readonly auth: AuthenticateDeps;
  readonly store: StoreScope;
  readonly clock: Clock;
  readonly ids: IdGenerator;
  /** Where buckets that manifests create live (the server's region). */
  readonly region: string;
  /** The other servers of the store, told of a rotation before it is answered (issuer-routes.ts `SigningKeyPeers`). */
  readonly peers?: SigningKeyPeers;
}

/** Answers `POST /_openirsa/apply` and `POST /_openirsa/rotate-signing-key` (root only); else `undefined`. */
export async function handleOpsRoute(
  ctx: OpsRouteContext,
  req: IncomingMessage,
  path: string,
  query: string,
  requestId: string,
): Promise<WireResponse | undefined> {
  if (path === APPLY_ROUTE) return applyRoute(ctx, req, path, query, requestId);
  if (path === ROTATE_ROUTE) return rotateRoute(ctx, req, path, query, requestId);
  return undefined;
}

interface ApplyInput {
  readonly roots: readonly string[];
  readonly files: readonly { readonly path: string; readonly text: string }[];
  readonly prune: boolean;
}

async function applyRoute(
  ctx: OpsRouteContext,
  req: IncomingMessage,
  path: string,
  query: string,
  requestId: string,
): Promise<WireResponse> {
  const read = await readRootRequest(
    ctx.auth,
    req,
    { path, query, requestId, maxBytes: MAX_APPLY_REQUEST_BYTES },
    'apply manifests',
  );
  if (!read.ok) return read.response;
  const input = readApplyInput(read.body);
  if (typeof input === 'string')
    return adminAnswer(requestId, 400, { error: 'InvalidRequest', message: input });
  const files = input.files.map((f) => parseManifestFile(f.text, f.path));
  const result = await convergeManifests(ctx.store, files, {
    accountId: read.caller.accountId,
    partition: read.caller.partition,
    clock: ctx.clock,
    ids: ctx.ids,
    region: ctx.region,
    roots: input.roots,
    prune: input.prune,
  });
  // 422: the request was well formed, the manifests in it were not (or did not apply).
  return adminAnswer(requestId, result.ok ? 200 : 422, result);
}

async function rotateRoute(
  ctx: OpsRouteContext,
  req: IncomingMessage,
  path: string,
  query: string,
  requestId: string,
): Promise<WireResponse> {
  const read = await readRootRequest(
    ctx.auth,
    req,
    { path, query, requestId, maxBytes: MAX_ROTATE_REQUEST_BYTES },
    'rotate the signing key',
  );
  if (!read.ok) return read.response;
  let r: RotationResult;
  try {
    r = await ctx.issuer.rotate();
  } catch (error) {
    // The ring this server held was stale (BuiltInIssuer.rotate drops it): the client may try again.
    if (error instanceof RotationConflictError) {
      return adminAnswer(requestId, 409, { error: 'Conflict', message: error.message });
    }
    throw error;
  }
  // Answered once every other server of the store has dropped the old ring: after the answer, no
  // server signs with the retired key or misses the new one in its JWKS.
  await ctx.peers?.rotated();
  // Key ids and times only: never key material.
  return adminAnswer(requestId, 200, {
    active: { kid: r.active.kid, alg: r.active.alg, createdAt: iso(r.active.createdAt) },
    retired: {
      kid: r.retired.kid,
      alg: r.retired.alg,
      retiredAt: iso(r.retired.retiredAt ?? r.active.createdAt),
      publishedUntil: iso(r.retiredPublishedUntil),
    },
    pruned: r.pruned.map((k) => k.kid),
  });
}

function iso(ms: number): string {
  return new Date(ms).toISOString();
}

/** The apply request, or what is wrong with it (our own wording). */
function readApplyInput(text: string): ApplyInput | string {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return 'the request body is not JSON';
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    return 'the request body must be a JSON object';
  }
  const v = value as Record<string, unknown>;
  if (typeof v.prune !== 'boolean') return '`prune` must be true or false';
  const roots = v.roots;
  if (!Array.isArray(roots) || roots.length > MAX_APPLY_FILES) {
    return `\`roots\` must be a list of at most ${MAX_APPLY_FILES} paths`;
  }
  for (const [i, r] of roots.entries()) {
    if (!isPath(r)) return `\`roots[${i}]\` must be an absolute path of at most ${MAX_PATH_CHARS} characters`;
  }
  const files = v.files;
  if (!Array.isArray(files) || files.length > MAX_APPLY_FILES) {
    return `\`files\` must be a list of at most ${MAX_APPLY_FILES} files`;
  }
  const out: { path: string; text: string }[] = [];
  for (const [i, f] of files.entries()) {
    const file = f as Record<string, unknown> | null;
    if (file === null || typeof file !== 'object' || !isPath(file.path) || typeof file.text !== 'string') {
      return `\`files[${i}]\` must be {"path": an absolute path, "text": the file's content}`;
    }
    out.push({ path: file.path, text: file.text });
  }
  return { roots: roots as string[], files: out, prune: v.prune };
}

function isPath(value: unknown): value is string {
  return typeof value === 'string' && value.length <= MAX_PATH_CHARS && isAbsolute(value);
}
