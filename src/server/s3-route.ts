import { once } from 'node:events';
import { ReadStream } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { join } from 'node:path';
import { TLSSocket } from 'node:tls';
import { pipeline } from 'node:stream/promises';
import type { AuditSink } from '../audit/sink.js';
import type { Caller } from '../iam/caller.js';
import type { PolicyCache } from '../policy/compile.js';
import { resolveTarget } from '../s3/addressing.js';
import { S3_EXPIRED_TOKEN_MESSAGE, s3AuthError } from '../s3/auth-error.js';
import { BlobStore, type SweepResult } from '../s3/blob-store.js';
import { s3Error } from '../s3/errors.js';
import { runS3 } from '../s3/handle.js';
import type { S3Authentication, S3Context, S3Request, S3Response, S3Trail } from '../s3/operation.js';
import { openPayload, type PayloadAuth, type S3Payload } from '../s3/payload.js';
import { encodeS3Error } from '../s3/wire-error.js';
import { AwsError } from '../shared/aws-error.js';
import type { Clock } from '../shared/clock.js';
import type { IdGenerator } from '../shared/ids.js';
import { parseAuthorization, type ParseAuthorizationResult } from '../sigv4/parse-authorization.js';
import { distinctHeaders, type HttpHeaders, type SigV4Request } from '../sigv4/types.js';
import type { StoreScope } from '../store/types.js';
import type { AuditEvents } from './audit-event.js';
import { headerList, type ResponseBatch } from './response-batch.js';
import { authenticateRequest, type AuthenticateDeps, type AuthErrors } from './authenticate.js';

/** Where S3's object bytes live inside the data directory (DESIGN.md, "Storage"). */
export const OBJECTS_DIR = 'objects';

/** What the S3 route needs from the server that owns it. */
export interface S3RouteContext {
  readonly store: StoreScope;
  readonly clock: Clock;
  readonly ids: IdGenerator;
  readonly region: string;
  readonly audit: AuditSink;
  /** The server's builder of audit events (one per server, shared with its awsQuery pipeline). */
  readonly auditEvents: AuditEvents;
  readonly logger: { error(message: string, fields?: Readonly<Record<string, unknown>>): void };
  readonly auth: AuthenticateDeps;
  readonly policies: PolicyCache;
  /** Absent without a data directory: object bytes then answer 501. */
  readonly blobs?: BlobStore;
  /**
   * Where answers held in memory go, to be written at the end of the event loop's turn
   * (response-batch.ts); absent, they are written at once. Streamed bodies never go through it.
   */
  readonly responses?: ResponseBatch;
}

/** The blob store of a data directory. */
export function blobStoreIn(dataDir: string): BlobStore {
  return new BlobStore(join(dataDir, OBJECTS_DIR));
}

/** The start-up sweep of a data directory's blob files (s3/blob-store.ts), run before the server listens. */
export function sweepBlobs(dataDir: string, store: StoreScope, clock: Clock): Promise<SweepResult> {
  return blobStoreIn(dataDir).sweep((blobId) => store.objects.hasBlob(blobId), clock.now());
}

const S3_AUTH_ERRORS: AuthErrors = {
  failure: s3AuthError,
  expired: () => s3Error('ExpiredToken', S3_EXPIRED_TOKEN_MESSAGE),
};

/**
 * Answers one S3 request with its body still unread: the server hands it over before anything reads
 * the body, so object bytes stream from the socket to the blob file. Steps: address (bucket and key
 * from host and path) → authenticate (SigV4 header or presigned URL; none is anonymous) → the S3
 * pipeline (s3/handle.ts) → encode. Every request that reached an operation becomes one audit event,
 * with the decision and, for a denial, its explanation. Never rejects for a request's own failure.
 */
export async function handleS3Request(
  c: S3RouteContext,
  req: IncomingMessage,
  res: ServerResponse,
  target: {
    readonly path: string;
    readonly query: string;
    readonly requestId: string;
    /** `headersFromRaw(req.rawHeaders)`, when the server has built it already (server.ts does). */
    readonly headers?: HttpHeaders;
    /** `parseAuthorization(headers, query)`, when the server has parsed it already (server.ts does). */
    readonly parsedAuth?: ParseAuthorizationResult;
  },
): Promise<void> {
  const { path, query, requestId } = target;
  const method = req.method ?? 'GET';
  const trail: S3Trail = {};
  let caller: Caller = { kind: 'anonymous' };
  let response: S3Response;
  let failure: Error | undefined;
  const sourceIp = req.socket.remoteAddress?.replace(/^::ffff:(\d+\.\d+\.\d+\.\d+)$/, '$1');
  try {
    const addressed = resolveTarget(req.headers.host, path);
    // Flattened once (by the server, or here): the verifier's steps each flatten what they get, and find
    // nothing left to do. The Authorization header (or presigned query) is parsed once as well.
    const headers = target.headers ?? distinctHeaders(req.headersDistinct);
    const parsed = target.parsedAuth ?? parseAuthorization(headers, query);
    const signed: SigV4Request = { method, path, query, headers };
    let auth: S3Authentication = {};
    let payloadAuth: PayloadAuth = {};
    // No SigV4 at all is an anonymous request; anything else must verify (authenticate.ts, hasAuthentication).
    if (parsed.ok || parsed.failure.code !== 'MissingAuthentication') {
      const authenticated = await authenticateRequest(signed, c.auth, S3_AUTH_ERRORS, parsed);
      caller = authenticated.caller;
      auth = {
        authType: authenticated.verified.authType,
        payloadHash: authenticated.verified.payloadHash,
        signatureAge: authenticated.verified.signatureAge,
      };
      // The seed (secret signing key) stays here, out of what operations see.
      payloadAuth = { payloadHash: authenticated.verified.payloadHash, seed: authenticated.verified.seed };
    }
    let bodyTaken = false;
    const payload = (): S3Payload => {
      // INVARIANT: an operation reads its body once; a second read would see an empty stream.
      if (bodyTaken) throw new TypeError('the request body was read twice');
      bodyTaken = true;
      return openPayload(req, req.headers, payloadAuth);
    };
    // Literals of one fixed shape, an absent member `undefined` (no conditional spreads: each copied
    // through a temporary object, per request).
    const request: S3Request = {
      method,
      bucket: addressed.bucket,
      key: addressed.key,
      query: parseS3Query(query),
      headers: req.headers,
      auth,
      sourceIp: sourceIp !== '' ? sourceIp : undefined,
      // As IAM and STS decide it (server.ts): the transparent proxy hands this server decrypted TLS sockets.
      secureTransport: req.socket instanceof TLSSocket,
      body: () => payload().stream,
      payload,
    };
    const ctx: S3Context = {
      store: c.store,
      blobs: c.blobs,
      clock: c.clock,
      ids: c.ids,
      region: c.region,
      caller,
      requestId,
      policies: c.policies,
    };
    response = await runS3(ctx, request, trail);
  } catch (error) {
    if (!(error instanceof AwsError)) {
      c.logger.error('S3 request failed with an internal error', { requestId, error: describe(error) });
    }
    failure = error instanceof Error ? error : new Error('non-error thrown');
    response = encodeS3Error(error, { requestId, method });
  }
  if (trail.operation !== undefined) {
    const userAgent = req.headers['user-agent'];
    c.audit.write(
      c.auditEvents.build({
        time: c.clock.now(),
        service: 's3',
        action: trail.operation,
        region: c.region,
        sourceIp: sourceIp ?? '',
        ...(userAgent !== undefined ? { userAgent } : {}),
        caller,
        requestId,
        eventId: c.ids.requestId(),
        decision: trail.decision ?? { decision: 'allowed', authorizations: [] },
        ...(failure !== undefined
          ? {
              error:
                failure instanceof AwsError
                  ? { code: failure.code, message: failure.message }
                  : { code: 'InternalError', message: 'internal error' },
            }
          : {}),
      }),
    );
  }
  await send(c, res, response, method, requestId);
}

/** The query, percent-decoded; `uploads` (no `=`) is `''`; the first of repeated parameters wins. */
export function parseS3Query(query: string): ReadonlyMap<string, string> {
  const out = new Map<string, string>();
  for (const [name, value] of new URLSearchParams(query)) if (!out.has(name)) out.set(name, value);
  return out;
}

async function send(
  c: S3RouteContext,
  res: ServerResponse,
  response: S3Response,
  method: string,
  requestId: string,
): Promise<void> {
  const body = response.body;
  if (body === undefined || typeof body === 'string' || Buffer.isBuffer(body) || method === 'HEAD') {
    if (typeof body !== 'string' && body !== undefined && !Buffer.isBuffer(body)) body.destroy();
    // Whole in memory: written at the end of the event loop's turn with the turn's other answers
    // (response-batch.ts), or at once by a route context without a batch.
    if (c.responses === undefined) writeBuffered(res, response, method);
    else c.responses.sendWith(res, (r) => writeBuffered(r, response, method));
    return;
  }
  // A stream made from a descriptor already open (BlobStore.openRead) emits no 'ready': nothing to wait for.
  if (body instanceof ReadStream && body.pending) {
    try {
      // A blob that cannot be opened is our failure, said before any header is sent.
      await once(body, 'ready');
    } catch (error) {
      c.logger.error('an object blob could not be opened', { requestId, error: describe(error) });
      const wire = encodeS3Error(error, { requestId, method });
      const text = typeof wire.body === 'string' ? wire.body : '';
      res.writeHead(wire.status, headerList(wire.status, wire.headers, Buffer.byteLength(text))).end(text);
      return;
    }
  }
  res.writeHead(response.status, response.headers);
  try {
    await pipeline(body, res);
  } catch (error) {
    // The client went away, or the file failed mid-way: the length promised cannot be kept.
    if (!res.destroyed) res.destroy();
    if ((error as { code?: unknown }).code !== 'ERR_STREAM_PREMATURE_CLOSE') {
      c.logger.error('streaming an object failed', { requestId, error: describe(error) });
    }
  }
}

/**
 * An answer whose body is in memory (text, bytes, or none), with its Content-Length: a small object's
 * headers and bytes leave in one write; a HEAD keeps the Content-Length its operation set.
 */
function writeBuffered(res: ServerResponse, response: S3Response, method: string): void {
  const body = response.body;
  if (Buffer.isBuffer(body) && method !== 'HEAD') {
    res.writeHead(response.status, headerList(response.status, response.headers, body.length)).end(body);
    return;
  }
  const text = method === 'HEAD' || typeof body !== 'string' ? '' : body;
  // headerList drops a Content-Length of any letter case: look it up the same way.
  const declared =
    method === 'HEAD'
      ? Object.entries(response.headers).find(([name]) => name.toLowerCase() === 'content-length')?.[1]
      : undefined;
  const length = declared ?? Buffer.byteLength(text);
  res.writeHead(response.status, headerList(response.status, response.headers, length)).end(text);
}

function describe(error: unknown): string {
  return error instanceof Error ? (error.stack ?? error.message) : String(error);
}
