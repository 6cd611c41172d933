import type { IncomingHttpHeaders } from 'node:http';
import type { Readable } from 'node:stream';
import type { AuditDecision } from '../audit/event.js';
import type { Caller } from '../iam/caller.js';
import type { PolicyCache } from '../policy/compile.js';
import type { ContextValue } from '../policy/types.js';
import type { Clock } from '../shared/clock.js';
import type { IdGenerator } from '../shared/ids.js';
import type { AuthType } from '../sigv4/types.js';
import type { Bucket } from '../store/buckets.js';
import type { StoreScope } from '../store/types.js';
import type { BlobStore } from './blob-store.js';
import type { S3Payload } from './payload.js';

/** How the request was authenticated, as S3's condition keys describe it. */
export interface S3Authentication {
  /** Absent for an anonymous request. */
  readonly authType?: AuthType;
  /** The signed payload hash: a hex digest, `UNSIGNED-PAYLOAD` or a `STREAMING-*` marker. */
  readonly payloadHash?: string;
  /** Milliseconds between the signature's time and the server's (`s3:signatureAge`). */
  readonly signatureAge?: number;
}

/** One S3 request as operations see it: addressed, authenticated, its body still unread. */
export interface S3Request {
  readonly method: string;
  readonly bucket?: string;
  readonly key?: string;
  /** The query, percent-decoded; a parameter without `=` has the value `''`; the first of repeats wins. */
  readonly query: ReadonlyMap<string, string>;
  readonly headers: IncomingHttpHeaders;
  readonly auth: S3Authentication;
  /** The peer's address as `aws:SourceIp` sees it. */
  readonly sourceIp?: string;
  /** Whether the request came over TLS (`aws:SecureTransport`); absent is plain HTTP. */
  readonly secureTransport?: boolean;
  /**
   * The body, streamed and checked against the signed payload hash as it streams (s3/payload.ts).
   * Called at most once.
   */
  body(): Readable;
  /**
   * The same body with its framing: an aws-chunked body's decoded length and trailers. Called at most once,
   * and never beside `body()`.
   */
  payload(): S3Payload;
}

/** What every operation is given, injected (DESIGN.md): never global. */
export interface S3Context {
  readonly store: StoreScope;
  /** Absent when the server was started without a data directory: object bytes then answer 501. */
  readonly blobs?: BlobStore;
  readonly clock: Clock;
  readonly ids: IdGenerator;
  readonly region: string;
  readonly caller: Caller;
  readonly requestId: string;
  readonly policies: PolicyCache;
}

/** One IAM authorization an S3 operation needs (iam-policy.md §5.3). */
export interface S3AuthorizationNeed {
  /** `s3:GetObject` */
  readonly action: string;
  /** `arn:aws:s3:::bucket`, `arn:aws:s3:::bucket/key`, or `*`. */
  readonly resource: string;
  /** The operation's own condition keys (`s3:prefix`, ...), lower-case names. */
  readonly context?: ReadonlyMap<string, ContextValue>;
  /**
   * The bucket owner's root user is allowed even against a denying bucket policy: S3's guard against
   * locking the owner out of its own bucket policy (iam-policy.md §4.5).
   */
  readonly ownerRootAlwaysAllowed?: boolean;
}

/** What `handle` may do beyond its input: the bucket the pipeline loaded, and more authorizations. */
export interface S3OperationContext extends S3Context {
  readonly bucket?: Bucket;
  /** Decides one more authorization (recorded in the audit event like the first ones). */
  isAllowed(need: S3AuthorizationNeed): Promise<boolean>;
  /** The same, on another bucket with its own policy and owner (CopyObject's source). */
  isAllowedOn(bucket: Bucket, need: S3AuthorizationNeed): Promise<boolean>;
}

/** An S3 response: a body as text (XML), as bytes (a small object), as a stream (object bytes), or none. */
export interface S3Response {
  readonly status: number;
  readonly headers: Readonly<Record<string, string>>;
  readonly body?: string | Buffer | Readable;
}

/**
 * One S3 operation, in one file: whether it needs its bucket to exist, what it must be authorized for,
 * and `handle`.
 */
export interface S3Operation {
  /** The API name: `GetObject`. */
  readonly name: string;
  /**
   * `existing`: NoSuchBucket before authorization when the bucket is not there; `any`: the operation
   * decides, and is authorized in the caller's account without a bucket policy (CreateBucket); `none`: no
   * bucket (ListBuckets).
   */
  readonly bucket: 'existing' | 'any' | 'none';
  authorize(req: S3Request, ctx: S3Context): readonly S3AuthorizationNeed[];
  handle(req: S3Request, ctx: S3OperationContext): Promise<S3Response>;
}

/** What the pipeline learnt, for the audit event, even when the request failed. */
export interface S3Trail {
  operation?: string;
  decision?: AuditDecision;
}

/** `arn:aws:s3:::bucket` */
export function bucketArn(bucket: string): string {
  return `arn:aws:s3:::${bucket}`;
}

/** `arn:aws:s3:::bucket/key` */
export function objectArn(bucket: string, key: string): string {
  return `arn:aws:s3:::${bucket}/${key}`;
}

/** The bucket of a request routed to a bucket or object operation. */
export function requireBucket(req: S3Request): string {
  // INVARIANT: the routing table sends only requests that name a bucket to bucket and object operations.
  if (req.bucket === undefined) throw new TypeError('a bucket operation was routed without a bucket');
  return req.bucket;
}

/** The key of a request routed to an object operation. */
export function requireKey(req: S3Request): { bucket: string; key: string } {
  // INVARIANT: the routing table sends only requests that name a key to object operations.
  if (req.key === undefined) throw new TypeError('an object operation was routed without a key');
  return { bucket: requireBucket(req), key: req.key };
}

/** A header's value; a repeated header's first value. */
export function header(req: S3Request, name: string): string | undefined {
  const v = req.headers[name];
  return Array.isArray(v) ? v[0] : v;
}

/** The common headers of every S3 response. */
export function baseHeaders(ctx: S3Context): Record<string, string> {
  return { 'x-amz-request-id': ctx.requestId, 'x-amz-id-2': hostId(ctx.requestId) };
}

/** S3's `x-amz-id-2` / `HostId`: opaque; here a digest of the request id, so logs can join them. */
export function hostId(requestId: string): string {
  return Buffer.from(requestId.replace(/-/g, ''), 'hex').toString('base64');
}
