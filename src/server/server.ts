import {
  createServer as createHttpServer,
  type IncomingMessage,
  type Server,
  type ServerResponse,
} from 'node:http';
import { TLSSocket } from 'node:tls';
import type { AuditDecision } from '../audit/event.js';
import { internJson } from '../audit/event-line.js';
import type { AuditSink } from '../audit/sink.js';
import { IAM_ACTIONS } from '../iam/actions.js';
import { callerPolicies } from '../iam/caller-policies.js';
import { callerPrincipal, type Caller } from '../iam/caller.js';
import { principalContext } from '../iam/principal-context.js';
import type { ActionContext, AuthorizationNeed, RegisteredQueryAction } from '../iam/query-action.js';
import { authorize } from '../policy/authorize.js';
import { PolicyCache } from '../policy/compile.js';
import { derivedContext, RequestTimeKeys } from '../policy/context.js';
import { explain } from '../policy/explain.js';
import { validationError } from '../protocol/query-input.js';
import { queryRequestError, readQueryRequest } from '../protocol/query-request.js';
import {
  encodeQueryError,
  encodeQueryResponse,
  IAM_NAMESPACE,
  STS_NAMESPACE,
  type WireResponse,
} from '../protocol/query-response.js';
import type { StructureShape, ValueOf } from '../protocol/shape.js';
import { compileQueryResponse, type QueryResponseWriter } from '../protocol/query-template.js';
import { AwsError, notImplemented } from '../shared/aws-error.js';
import { systemClock, type Clock } from '../shared/clock.js';
import { createLogger } from '../shared/logger.js';
import type { IdGenerator } from '../shared/ids.js';
import { parseAuthorization } from '../sigv4/parse-authorization.js';
import { SigningKeyCache } from '../sigv4/signing-key-cache.js';
import { headersFromRaw, type HttpHeaders, type SigV4Request } from '../sigv4/types.js';
import type { StoreScope } from '../store/types.js';
import { stsActions } from '../sts/actions.js';
import { JwksCache, type JwksCacheOptions } from '../sts/jwks-cache.js';
import { AuditEvents } from './audit-event.js';
import { authenticateRequest, type AuthenticateDeps } from './authenticate.js';
import { MAX_QUERY_BODY_BYTES, readBody } from './body.js';
import { explainDenial } from './explain-denial.js';
import {
  BuiltInIssuer,
  handleIssuerRoute,
  mayBeIssuerRoute,
  takeRecordedDecision,
  webIdentityDeps,
} from './issuer-routes.js';
import type { IssuerOptions, IssuerRouteContext, SigningKeyPeers } from './issuer-routes.js';
import { handleOpsRoute, type OpsRouteContext } from './ops-routes.js';
import { adminAnswer } from './admin-request.js';
import { identifyService, isS3Request } from './identify.js';
import { handleS3Request, blobStoreIn, type S3RouteContext } from './s3-route.js';
import { OpenedSessions } from './opened-sessions.js';
import { ResponseBatch } from './response-batch.js';
import { SealingKeyRing } from './sealing-keys.js';
import {
  handlePodIdentityRoute,
  type PodIdentityRouteContext,
  type TransparentProxyInfo,
} from './pod-identity-routes.js';

/** Where the server reports its own bugs. Never given a secret, a session token or a request body. */
export interface Logger {
  error(message: string, fields?: Readonly<Record<string, unknown>>): void;
}

export interface ServerOptions {
  readonly store: StoreScope;
  readonly clock: Clock;
  readonly ids: IdGenerator;
  /** The region this server answers for. */
  readonly region: string;
  readonly audit: AuditSink;
  /** Default: one JSON line per message on stderr. */
  readonly logger?: Logger;
  /** Largest awsQuery body (default `MAX_QUERY_BODY_BYTES`, 1 MiB); beyond it, 413. */
  readonly maxBodyBytes?: number;
  /** The built-in token issuer (default URL: the server's base URL, keys from the store). */
  readonly issuer?: IssuerOptions;
  /** How external issuers' discovery documents and JWKS are fetched (sts/jwks-cache.ts). */
  readonly externalIssuers?: ExternalIssuerOptions;
  /**
   * `openirsa up --explain-denials`: append the explanation to every AccessDenied message
   * (explain-denial.ts). Off by default: AWS's exact message.
   */
  readonly explainDenials?: boolean;
  /** The data directory: S3 object bytes live in `<dataDir>/objects`. Without it they answer 501. */
  readonly dataDir?: string;
  /** Where the transparent proxy listens, if it runs; the service-account lookup route reports it. */
  readonly transparentProxy?: () => TransparentProxyInfo | undefined;
  /** Other processes serving the same store (`up --workers`); absent when this server is the only one. */
  readonly peers?: SigningKeyPeers;
}

/** `--oidc-ca-file` and `--allow-insecure-issuers`, plus the fetch timeout. */
export type ExternalIssuerOptions = Pick<
  JwksCacheOptions,
  'allowInsecureIssuers' | 'caCertificates' | 'timeoutMs'
>;

/** An awsQuery service: its names and its explicit action table. */
interface QueryService {
  /** As in `<Service>.<Action> is not implemented`. */
  readonly displayName: string;
  readonly namespace: string;
  readonly actions: ReadonlyMap<string, RegisteredQueryAction>;
  /**
   * Success body writers compiled once from the actions' output shapes (protocol/query-template.ts), by
   * action name; an action missing here (its output holds a list or a map) is encoded generically.
   */
  readonly writers: ReadonlyMap<string, QueryResponseWriter>;
}

/** The path prefix of openirsa's own routes; no AWS API uses it. */
export const ADMIN_PREFIX = '/_openirsa/';

/** Without a logger given: the json format of shared/logger.ts, on the process's streams. */
const stderrLogger: Logger = createLogger(
  'json',
  { stdout: (t) => process.stdout.write(t), stderr: (t) => process.stderr.write(t) },
  systemClock,
);

/**
 * The one HTTP listener (DESIGN.md, "The request pipeline"). Every request runs the same steps, in
 * `runQueryPipeline`: identify service → authenticate → decode → validate → authorize → invoke →
 * encode, and whatever is thrown becomes the awsQuery error body. Everything it holds (caches, keys)
 * belongs to this instance: two servers run side by side in one process. Bind it with `listen`
 * (127.0.0.1 unless told otherwise).
 */
export function createServer(options: ServerOptions): Server {
  const logger = options.logger ?? stderrLogger;
  const issuer = new BuiltInIssuer({ store: options.store, clock: options.clock }, options.issuer);
  options.peers?.onRotated(() => issuer.refresh());
  const decisions = new Map<string, AuditDecision>();
  const externalKeys = new JwksCache({ clock: options.clock, ...options.externalIssuers });
  const sts = stsActions(webIdentityDeps(issuer, () => deps.sealingKeys, decisions, externalKeys));
  const services = new Map<string, QueryService>([
    ['sts', queryService('STS', STS_NAMESPACE, sts)],
    ['iam', queryService('IAM', IAM_NAMESPACE, IAM_ACTIONS)],
  ]);
  const deps: AuthenticateDeps = {
    accessKeys: options.store.accessKeys,
    sealingKeys: new SealingKeyRing(options.store.sealingKeys, options.clock, options.ids),
    clock: options.clock,
    signingKeys: new SigningKeyCache(),
    openedSessions: new OpenedSessions(),
  };
  const issuerRoutes: IssuerRouteContext = { ...options, issuer, logger, auth: deps };
  const opsRoutes: OpsRouteContext = { ...options, issuer, auth: deps };
  // Bounded, per server; PolicyCache keys by document text, so an edited policy compiles anew.
  const policies = new PolicyCache(4096);
  // One batch for every answer held in memory, S3's too: one flush at the end of each turn.
  const responses = new ResponseBatch((res, error) => failedAnswer(logger, res, error));
  // One builder of audit events for the awsQuery and S3 routes alike.
  const auditEvents = new AuditEvents();
  const s3: S3RouteContext = {
    ...options,
    logger,
    auth: deps,
    policies,
    ...(options.dataDir !== undefined ? { blobs: blobStoreIn(options.dataDir) } : {}),
    responses,
    auditEvents,
  };
  const podRoutes: PodIdentityRouteContext = {
    store: options.store,
    auth: deps,
    region: options.region,
    ...(options.transparentProxy !== undefined ? { transparentProxy: options.transparentProxy } : {}),
  };
  const pipeline: Pipeline = {
    options,
    logger,
    responses,
    auditEvents,
    requestTimes: new RequestTimeKeys(),
    services,
    ownerOf: (action) => {
      for (const [name, service] of services) if (service.actions.has(action)) return name;
      return undefined;
    },
    deps,
    issuerRoutes,
    decisions,
    policies,
    opsRoutes,
    s3,
    podRoutes,
  };
  const server = createHttpServer((req, res) => {
    handleRequest(pipeline, req, res).catch((error: unknown) => failedAnswer(logger, res, error));
  });
  // node:http answers 417 to any Expect but `100-continue`; S3 serves the request as if the header were
  // absent (ceph/s3-tests test_object_create_bad_expect_mismatch / _empty, run against AWS).
  server.on('checkExpectation', (req: IncomingMessage, res: ServerResponse) =>
    server.emit('request', req, res),
  );
  return server;
}

interface Pipeline {
  readonly options: ServerOptions;
  readonly logger: Logger;
  /** Where every answer held in memory goes, S3's too: written at the end of the event loop's turn (response-batch.ts). */
  readonly responses: ResponseBatch;
  /** Builds the audit events of this server's requests (audit-event.ts). */
  readonly auditEvents: AuditEvents;
  /** aws:CurrentTime and aws:EpochTime, formatted once a second for this server's requests. */
  readonly requestTimes: RequestTimeKeys;
  readonly services: ReadonlyMap<string, QueryService>;
  /** The service whose action table holds an action (identify.ts); made once, not per request. */
  readonly ownerOf: (action: string) => string | undefined;
  readonly deps: AuthenticateDeps;
  readonly issuerRoutes: IssuerRouteContext;
  readonly decisions: Map<string, AuditDecision>;
  readonly policies: PolicyCache;
  readonly opsRoutes: OpsRouteContext;
  readonly s3: S3RouteContext;
  readonly podRoutes: PodIdentityRouteContext;
}

async function handleRequest(p: Pipeline, req: IncomingMessage, res: ServerResponse): Promise<void> {
  // Before anything is read: whatever was committed before this request, by any process, it sees.
  p.options.store.requestArrived?.();
  const requestId = p.options.ids.requestId();
  const url = req.url ?? '/';
  const q = url.indexOf('?');
  const path = q < 0 ? url : url.slice(0, q);
  const query = q < 0 ? '' : url.slice(q + 1);
  // Matched before anything is awaited: an AWS request skips the issuer and admin routes synchronously.
  if (mayBeIssuerRoute(p.issuerRoutes, req, path)) {
    const issued = await handleIssuerRoute(p.issuerRoutes, req, path, query, requestId);
    if (issued !== undefined) return p.responses.send(res, issued);
  }
  if (path.startsWith(ADMIN_PREFIX)) {
    // Both pod-identity routes live under ADMIN_PREFIX (server.test.ts holds them to it).
    const podRouted = await handlePodIdentityRoute(p.podRoutes, req, path, query, requestId);
    if (podRouted !== undefined) return p.responses.send(res, podRouted);
    const ops = await handleOpsRoute(p.opsRoutes, req, path, query, requestId).catch((error: unknown) => {
      p.logger.error('admin route failed with an internal error', { requestId, error: describeError(error) });
      return adminAnswer(requestId, 500, { error: 'InternalFailure', requestId });
    });
    if (ops !== undefined) return p.responses.send(res, ops);
    p.responses.send(res, adminRoute(req.method ?? 'GET', path, requestId));
    return;
  }
  // S3 before any body is read: object bytes stream to their file (s3-route.ts).
  // Built once from rawHeaders (sigv4/types.ts): SigV4 and the awsQuery pipeline read only these.
  const headers = headersFromRaw(req.rawHeaders);
  // Parsed once: the S3 decision, the service identification and authentication all read it.
  const parsedAuth = parseAuthorization(headers, query);
  const method = req.method ?? 'GET';
  const contentType = firstValue(headers, 'content-type');
  const host = firstValue(headers, 'host');
  const scopeService = parsedAuth.ok ? parsedAuth.auth.scope.service : undefined;
  // Built as one literal (no conditional spreads, read from the flat headers; not `req.headers`,
  // which Node builds on first read, a cost per request). An absent member is `undefined`.
  if (isS3Request({ scopeService, host, method, path, query, contentType }))
    return handleS3Request(p.s3, req, res, { path, query, requestId, headers, parsedAuth });
  const body = await readBody(
    req,
    p.options.maxBodyBytes ?? MAX_QUERY_BODY_BYTES,
    firstValue(headers, 'content-length'),
  );
  if (!body.ok) {
    if (body.reason === 'aborted') return;
    // Our own wording: AWS's answer to an oversized awsQuery body is unknown.
    const error = new AwsError(
      'RequestEntityTooLarge',
      413,
      `the request body is larger than ${p.options.maxBodyBytes ?? MAX_QUERY_BODY_BYTES} bytes`,
    );
    const wire = encodeQueryError(error, { namespace: STS_NAMESPACE, requestId });
    p.responses.send(res, { ...wire, headers: { ...wire.headers, Connection: 'close' } });
    return;
  }
  let namespace = '';
  try {
    const request: SigV4Request = { method, path, query, headers, body: body.body };
    const decoded = readQueryRequest({ query, body: body.body, contentType });
    const actionName = decoded.ok ? decoded.request.action : undefined;
    const serviceName = identifyService({ scopeService, action: actionName, host }, p.ownerOf);
    const service = p.services.get(serviceName);
    if (service === undefined) {
      // S3 and every other service are not implemented yet.
      throw new AwsError('InternalFailure', 501, `${serviceName.toUpperCase()} is not implemented`);
    }
    namespace = service.namespace;
    const action = actionName === undefined ? undefined : service.actions.get(actionName);

    // authenticate (unless the action is one clients send unsigned)
    const caller: Caller =
      action?.authentication === 'none'
        ? { kind: 'anonymous' }
        : // authenticateRequest itself, not its async wrapper `authenticate`: one promise fewer.
          (await authenticateRequest(request, p.deps, undefined, parsedAuth)).caller;

    // decode
    if (!decoded.ok) throw queryRequestError(decoded.failure);
    if (actionName === undefined) {
      // ⚠ AWS's wording for a Query request without Action is unconfirmed.
      throw new AwsError('MissingAction', 400, 'Could not find operation: the request has no Action');
    }
    if (action === undefined) throw notImplemented(service.displayName, actionName);

    // validate
    const input = action.decode(decoded.request.params);
    if (!input.ok) throw validationError(input.violations);

    // Node reports IPv4 peers of a dual-stack socket as `::ffff:a.b.c.d`; AWS's aws:SourceIp is the IPv4.
    const sourceIp = peerAddress(req);
    const ctx: ActionContext = {
      store: p.options.store,
      clock: p.options.clock,
      ids: p.options.ids,
      caller,
      requestId,
      region: p.options.region,
      policies: p.policies,
      sourceIp,
    };
    const wire = await authorizeAndInvoke(p, req, headers, serviceName, service, action, input.value, ctx);
    p.responses.send(res, wire);
  } catch (error) {
    if (!(error instanceof AwsError)) {
      p.logger.error('request failed with an internal error', { requestId, error: describeError(error) });
    }
    p.responses.send(res, encodeQueryError(error, { namespace, requestId }));
  }
}

/** authorize → invoke → encode, with one audit event for the decision and the outcome. */
async function authorizeAndInvoke(
  p: Pipeline,
  req: IncomingMessage,
  headers: HttpHeaders,
  serviceName: string,
  service: QueryService,
  action: RegisteredQueryAction,
  input: unknown,
  ctx: ActionContext,
): Promise<WireResponse> {
  // Awaited only when it is a promise (an action that reads the store first): a synchronous answer, the
  // usual one, costs no promise and no microtask.
  const authorization = action.authorize(input, ctx);
  const needs = authorization instanceof Promise ? await authorization : authorization;
  const { decision, denied } =
    needs.length === 0 ? NOTHING_TO_AUTHORIZE : await decide(needs, req, ctx, p.requestTimes);
  const audit = (recorded: AuditDecision, error?: AwsError | Error) => {
    // One literal, no conditional spreads: an absent user agent or error is `undefined`.
    p.options.audit.write(
      p.auditEvents.build({
        time: p.options.clock.now(),
        service: serviceName,
        action: action.name,
        region: p.options.region,
        sourceIp: req.socket.remoteAddress ?? '',
        userAgent: firstValue(headers, 'user-agent'),
        caller: ctx.caller,
        requestId: ctx.requestId,
        eventId: p.options.ids.requestId(),
        decision: recorded,
        error:
          error === undefined
            ? undefined
            : error instanceof AwsError
              ? { code: error.code, message: error.message }
              : { code: 'InternalFailure', message: 'internal error' },
      }),
    );
  };
  try {
    if (denied !== undefined) {
      const who = ctx.caller.kind === 'anonymous' ? 'anonymous' : ctx.caller.arn;
      // (confirmed wording: irsa-wire.md §5.6 "Not authorized to perform ..." family; IAM's AccessDenied)
      throw new AwsError(
        'AccessDenied',
        403,
        `User: ${who} is not authorized to perform: ${denied.action} on resource: ${denied.resource}`,
      );
    }
    const output = await action.handle(input, ctx);
    const writer = service.writers.get(action.name);
    const wire =
      writer !== undefined
        ? writer(ctx.requestId, output)
        : encodeQueryResponse(
            { namespace: service.namespace, requestId: ctx.requestId, action: action.name },
            action.output,
            // INVARIANT: `handle` returns a value of `action.output` (registerQueryAction types it).
            output as ValueOf<StructureShape>,
          );
    audit(takeRecordedDecision(p.decisions, ctx.requestId) ?? decision);
    return wire;
  } catch (error) {
    const recorded = takeRecordedDecision(p.decisions, ctx.requestId) ?? decision;
    audit(recorded, error instanceof Error ? error : new Error('non-error thrown'));
    throw p.options.explainDenials === true ? explainDenial(error, recorded.explanation) : error;
  }
}

/** What the policy engine decided for an action's needs, and the first denied one. */
interface Decided {
  readonly decision: AuditDecision;
  readonly denied: { readonly action: string; readonly resource: string } | undefined;
}

/**
 * An action that needs no authorization (GetCallerIdentity: "No permissions are required", STS API
 * Reference): allowed, with nothing evaluated. One frozen object for all of them, its JSON made once
 * for the audit line (audit/event-line.ts).
 */
const NOTHING_TO_AUTHORIZE: Decided = {
  decision: internJson<AuditDecision>({ decision: 'allowed', authorizations: [] }),
  denied: undefined,
};

/** Evaluates each need with the caller's policies and the request's context. */
async function decide(
  needs: readonly AuthorizationNeed[],
  req: IncomingMessage,
  ctx: ActionContext,
  requestTimes: RequestTimeKeys,
): Promise<Decided> {
  const principal = callerPrincipal(ctx.caller);
  // The caller's identity policies (IAM users; role sessions fail closed, see callerPolicies); the
  // account root is allowed in its own account by the engine itself.
  const policies = await callerPolicies(ctx.store, ctx.caller, ctx.policies);
  // The keys AWS sets for every request (IAM User Guide, global condition keys): what the principal
  // implies, the time, the region; aws:SecureTransport is true over TLS (the transparent proxy,
  // https-proxy.ts, hands its decrypted TLS sockets to this server).
  const context = derivedContext(principal, ctx.clock.now(), requestTimes);
  context.set('aws:requestedregion', ctx.region);
  context.set('aws:securetransport', req.socket instanceof TLSSocket ? 'true' : 'false');
  if (ctx.sourceIp !== undefined) context.set('aws:sourceip', ctx.sourceIp);
  // aws:PrincipalTag/*, aws:SourceIdentity, aws:TokenIssueTime (iam/principal-context.ts).
  for (const [k, v] of await principalContext(ctx.store, ctx.caller)) context.set(k, v);
  const requests = needs.map((need) => ({
    principal,
    action: need.action,
    resource: need.resource,
    context: need.context === undefined ? context : new Map([...context, ...need.context]),
    identityPolicies: policies.identityPolicies,
    ...(policies.permissionsBoundary !== undefined
      ? { permissionsBoundary: policies.permissionsBoundary }
      : {}),
    ...(policies.sessionPolicy !== undefined ? { sessionPolicy: policies.sessionPolicy } : {}),
  }));
  const authorizations = requests.map((request) => {
    const result = authorize(request);
    return {
      action: request.action,
      resource: request.resource,
      decision: result.decision,
      ...(result.reason !== undefined ? { reason: result.reason } : {}),
      matchedStatements: result.matchedStatements,
    };
  });
  const deniedIndex = authorizations.findIndex((a) => a.decision !== 'allowed');
  const denied = authorizations[deniedIndex];
  const deniedRequest = requests[deniedIndex];
  const decision: AuditDecision = {
    decision: denied?.decision ?? 'allowed',
    authorizations,
    // Evaluated again with a trace for the explanation: only denials pay for it.
    ...(deniedRequest !== undefined
      ? { explanation: explain(deniedRequest, authorize({ ...deniedRequest, trace: true })) }
      : {}),
  };
  return { decision, denied };
}

/** The client's address as aws:SourceIp holds it, or `undefined` when the socket has none. */
function peerAddress(req: IncomingMessage): string | undefined {
  const address = req.socket.remoteAddress;
  // Only a `::ffff:` address can match: the others skip the pattern.
  if (address === undefined || !address.startsWith('::ffff:')) return address || undefined;
  return address.replace(MAPPED_IPV4, '$1') || undefined;
}

const MAPPED_IPV4 = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/;

function adminRoute(method: string, path: string, requestId: string): WireResponse {
  const headers = { 'Content-Type': 'application/json', 'x-amzn-RequestId': requestId };
  if (path === `${ADMIN_PREFIX}health`) {
    if (method !== 'GET' && method !== 'HEAD') {
      return { status: 405, headers: { ...headers, Allow: 'GET, HEAD' }, body: '{"error":"use GET"}' };
    }
    return { status: 200, headers, body: '{"status":"ok"}' };
  }
  return { status: 404, headers, body: JSON.stringify({ error: `no route \`${path.slice(0, 100)}\`` }) };
}

/** The last resort for an answer that failed to be written (our bug): logged, then a bare 500 or a reset. */
function failedAnswer(logger: Logger, res: ServerResponse, error: unknown): void {
  // INVARIANT: handleRequest answers every error itself; this only guards a failed socket write.
  logger.error('unhandled error while answering a request', { error: describeError(error) });
  if (!res.headersSent) res.writeHead(500).end();
  else res.destroy();
}

/**
 * The first value of a header, as `req.headers` keeps it for the headers Node does not join
 * (`content-type`, `host`, `user-agent`: a repeat is dropped).
 */
function firstValue(headers: HttpHeaders, name: string): string | undefined {
  const value = headers[name];
  return typeof value === 'string' || value === undefined ? value : value[0];
}

function byName(actions: readonly RegisteredQueryAction[]): ReadonlyMap<string, RegisteredQueryAction> {
  return new Map(actions.map((a) => [a.name, a]));
}

/** A service's tables: its actions by name, and the response writers compiled for their outputs. */
function queryService(
  displayName: string,
  namespace: string,
  actions: readonly RegisteredQueryAction[],
): QueryService {
  const writers = new Map<string, QueryResponseWriter>();
  for (const action of actions) {
    const writer = compileQueryResponse({ namespace, action: action.name }, action.output);
    if (writer !== undefined) writers.set(action.name, writer);
  }
  return { displayName, namespace, actions: byName(actions), writers };
}

/** For the log only: the stack of our bug. Never sent to a client. */
function describeError(error: unknown): string {
  return error instanceof Error ? (error.stack ?? error.message) : String(error);
}
