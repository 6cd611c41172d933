import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { text } from 'node:stream/consumers';
import type { Caller } from '../../iam/caller.js';
import { PolicyCache } from '../../policy/compile.js';
import { fixedClock } from '../../shared/clock.js';
import { sequentialIds } from '../../shared/ids.js';
import { openSqliteStore } from '../../store/sqlite/sqlite-store.js';
import type { Store } from '../../store/types.js';
import { BlobStore } from '../blob-store.js';
import { runS3 } from '../handle.js';
import type { S3Authentication, S3Context, S3Request, S3Trail } from '../operation.js';
import { openPayload } from '../payload.js';
import { encodeS3Error } from '../wire-error.js';
import type { SeedSignature } from '../../sigv4/verify-request.js';

export const A = '111122223333';
export const B = '444455556666';
export const T0 = Date.UTC(2026, 0, 1);

export function rootOf(accountId: string): Caller {
  return {
    kind: 'root',
    accountId,
    partition: 'aws',
    arn: `arn:aws:iam::${accountId}:root`,
    accessKeyId: 'AKIAEXAMPLE',
  };
}

export const ANONYMOUS: Caller = { kind: 'anonymous' };

/** Where a harness keeps its data: given, a second harness on the same paths plays a restart. */
export interface HarnessOptions {
  /** A SQLite file; `:memory:` when absent. */
  readonly storePath?: string;
  /** The blob directory; one under the harness's own temporary directory when absent. */
  readonly blobsRoot?: string;
}

export interface Call {
  readonly method: string;
  readonly bucket?: string;
  readonly key?: string;
  readonly query?: Readonly<Record<string, string>>;
  readonly headers?: Readonly<Record<string, string>>;
  readonly body?: string | Buffer;
  readonly caller?: Caller;
  readonly auth?: S3Authentication;
  /** The seed a signed aws-chunked body chains on. */
  readonly seed?: SeedSignature;
  /** Send no Content-Length header (a `Transfer-Encoding: chunked` body). */
  readonly noContentLength?: boolean;
  /** Runs when the operation starts reading the body, before any byte arrives (races with the commit). */
  readonly beforeBody?: () => Promise<void>;
  /**
   * Runs once, right after the operation's first `store.objects.get` has read its row and before the
   * operation sees it: a delete or an overwrite here races the read of the object's bytes.
   */
  readonly afterObjectRead?: () => Promise<void>;
}

export interface Reply {
  readonly status: number;
  readonly headers: Readonly<Record<string, string>>;
  readonly body: string;
  readonly trail: S3Trail;
}

/**
 * An in-process S3 for operation tests: an in-memory store with accounts A and B, blob files in a
 * temporary directory, a frozen clock, and `call`, which runs one request through the S3 pipeline
 * (route → bucket → authorize → handle) and encodes errors as the server does. The caller defaults
 * to account A's root.
 */
export async function s3Harness(options: HarnessOptions = {}) {
  const dir = mkdtempSync(join(tmpdir(), 'openirsa-s3-unit-'));
  const store: Store = openSqliteStore({ path: options.storePath ?? ':memory:' });
  for (const id of [A, B]) {
    // A store opened again (a restart) has them already.
    if ((await store.accounts.get(id)) === undefined) await store.accounts.create({ id, createdAt: T0 });
  }
  const clock = fixedClock(T0);
  const ids = sequentialIds();
  const blobs = new BlobStore(options.blobsRoot ?? join(dir, 'objects'));
  const policies = new PolicyCache(64);

  async function call(c: Call): Promise<Reply> {
    const body = typeof c.body === 'string' ? Buffer.from(c.body) : (c.body ?? Buffer.alloc(0));
    const headers: Record<string, string> = { 'content-length': String(body.length) };
    for (const [k, v] of Object.entries(c.headers ?? {})) headers[k.toLowerCase()] = v;
    if (c.noContentLength === true) delete headers['content-length'];
    const source = () =>
      Readable.from(
        (async function* () {
          if (c.beforeBody !== undefined) await c.beforeBody();
          yield body;
        })(),
      );
    const auth = c.auth ?? { authType: 'REST-HEADER', payloadHash: 'UNSIGNED-PAYLOAD' };
    const payloadAuth = {
      ...(auth.payloadHash !== undefined ? { payloadHash: auth.payloadHash } : {}),
      ...(c.seed !== undefined ? { seed: c.seed } : {}),
    };
    const req: S3Request = {
      method: c.method,
      ...(c.bucket !== undefined ? { bucket: c.bucket } : {}),
      ...(c.key !== undefined ? { key: c.key } : {}),
      query: new Map(Object.entries(c.query ?? {})),
      headers,
      auth,
      sourceIp: '127.0.0.1',
      body: () => openPayload(source(), headers, payloadAuth).stream,
      payload: () => openPayload(source(), headers, payloadAuth),
    };
    const requestId = ids.requestId();
    let hook = c.afterObjectRead;
    const objects: Store['objects'] = {
      ...store.objects,
      get: async (bucket, key) => {
        const row = await store.objects.get(bucket, key);
        const run = hook;
        hook = undefined;
        if (run !== undefined) await run();
        return row;
      },
    };
    const ctx: S3Context = {
      store: c.afterObjectRead === undefined ? store : { ...store, objects },
      blobs,
      clock,
      ids,
      region: 'us-east-1',
      caller: c.caller ?? rootOf(A),
      requestId,
      policies,
    };
    const trail: S3Trail = {};
    let response;
    try {
      response = await runS3(ctx, req, trail);
    } catch (error) {
      response = encodeS3Error(error, { requestId, method: c.method });
    }
    const out =
      response.body === undefined
        ? ''
        : typeof response.body === 'string'
          ? response.body
          : Buffer.isBuffer(response.body)
            ? response.body.toString()
            : await text(response.body);
    return { status: response.status, headers: response.headers, body: out, trail };
  }

  return {
    store,
    blobs,
    clock,
    call,
    close: async () => {
      await store.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

export type Harness = Awaited<ReturnType<typeof s3Harness>>;

/** The text of the first `<name>` element. */
export function xmlText(xml: string, name: string): string | undefined {
  return new RegExp(`<${name}>([^<]*)</${name}>`).exec(xml)?.[1];
}

/** Every text of `<name>` elements, in order. */
export function xmlTexts(xml: string, name: string): string[] {
  return [...xml.matchAll(new RegExp(`<${name}>([^<]*)</${name}>`, 'g'))].map((m) => m[1] ?? '');
}
