import { generateKeyPairSync, type KeyObject } from 'node:crypto';
import {
  createServer as createHttpServer,
  type IncomingMessage,
  type Server,
  type ServerResponse,
} from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import type { JwsAlgorithm } from '../../identity/jws-algorithms.js';
import { signJws } from '../../identity/sign-jws.js';

/**
 * An external OIDC issuer for tests, on 127.0.0.1 and a free port: it serves a discovery document and
 * a JWKS as kube-apiserver does (irsa-wire.md §1.6), over http or, given a key and certificate, https.
 * What it answers can be changed between requests (`respond`), and every request path is recorded.
 */
export interface FakeIssuer {
  /** The issuer URL (`iss`): `http(s)://127.0.0.1:PORT/id/test`. */
  readonly url: string;
  readonly port: number;
  /** Paths requested, in order. */
  readonly requests: string[];
  /** The JWKS served; replace it to rotate keys. */
  jwks: { keys: unknown[] };
  cacheControl: string;
  /** Overrides the answer for a path: a response, or `'hang'` to never answer. */
  respond: (path: string) => FakeResponse | 'hang' | undefined;
  close(): Promise<void>;
}

export interface FakeResponse {
  readonly status: number;
  readonly headers?: Readonly<Record<string, string>>;
  readonly body: string;
}

export const ISSUER_PATH = '/id/test';

export async function startFakeIssuer(tls?: { key: string; cert: string }): Promise<FakeIssuer> {
  const hanging = new Set<ServerResponse>();
  const state: FakeIssuer = {
    url: '',
    port: 0,
    requests: [],
    jwks: { keys: [] },
    cacheControl: 'public, max-age=3600',
    respond: () => undefined,
    close: () => Promise.resolve(),
  };
  const handler = (req: IncomingMessage, res: ServerResponse) => {
    const path = req.url ?? '/';
    state.requests.push(path);
    const custom = state.respond(path);
    if (custom === 'hang') {
      hanging.add(res);
      return;
    }
    const answer = custom ?? defaultAnswer(state, path);
    const chunked = answer.headers?.['transfer-encoding'] === 'chunked';
    res.writeHead(answer.status, {
      'content-type': 'application/json',
      ...(chunked ? {} : { 'content-length': String(Buffer.byteLength(answer.body)) }),
      ...answer.headers,
    });
    res.end(answer.body);
  };
  const server: Server = tls ? createHttpsServer(tls, handler) : createHttpServer(handler);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  const url = `${tls ? 'https' : 'http'}://127.0.0.1:${port}${ISSUER_PATH}`;
  return Object.assign(state, {
    url,
    port,
    close: () =>
      new Promise<void>((resolve) => {
        for (const res of hanging) res.destroy();
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  });
}

function defaultAnswer(state: FakeIssuer, path: string): FakeResponse {
  const headers = { 'cache-control': state.cacheControl };
  if (path === `${ISSUER_PATH}/.well-known/openid-configuration`) {
    const body = JSON.stringify({
      issuer: state.url,
      jwks_uri: `${state.url}/openid/v1/jwks`,
      response_types_supported: ['id_token'],
      subject_types_supported: ['public'],
      id_token_signing_alg_values_supported: ['ES256', 'RS256'],
    });
    return { status: 200, headers, body };
  }
  if (path === `${ISSUER_PATH}/openid/v1/jwks`)
    return { status: 200, headers, body: JSON.stringify(state.jwks) };
  return { status: 404, body: '{}' };
}

/** A fresh EC P-256 signing key of the fake issuer, with its public JWK (as kube publishes it). */
export function newIssuerKey(kid: string): {
  readonly kid: string;
  readonly privateKey: KeyObject;
  readonly jwk: unknown;
} {
  const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  return {
    kid,
    privateKey,
    jwk: { use: 'sig', kty: 'EC', kid, alg: 'ES256', ...publicKey.export({ format: 'jwk' }) },
  };
}

/** A service-account-shaped token of `issuer`, signed by `key`, valid for an hour from `nowMs`. */
export function issuerToken(
  issuer: string,
  key: { readonly kid: string; readonly privateKey: KeyObject },
  nowMs: number,
  options: {
    readonly sub?: string;
    readonly aud?: string;
    readonly alg?: JwsAlgorithm;
    readonly header?: Record<string, string>;
  } = {},
): string {
  const now = Math.floor(nowMs / 1000);
  return signJws(
    { alg: options.alg ?? 'ES256', kid: key.kid, ...options.header },
    {
      iss: issuer,
      sub: options.sub ?? 'system:serviceaccount:team:app',
      aud: [options.aud ?? 'sts.amazonaws.com'],
      iat: now,
      nbf: now,
      exp: now + 3600,
    },
    key.privateKey,
    options.alg ?? 'ES256',
  );
}
