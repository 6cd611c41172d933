import { podEnvironment, type PodEnvironmentPlan } from '../identity/pod-environment.js';
import type { TransparentProxyInfo } from '../server/pod-identity-routes.js';
import { proxyEnvironment } from '../server/proxy-environment.js';

/**
 * Inherited variables `openirsa exec` removes, because each would win over (or hide) the web identity
 * of the pod it plays (irsa-wire.md §6.1, §6.4, §8.3), and no IRSA container has them:
 * - static keys: botocore's `EnvProvider` and JS v3's `fromEnv` come first in the default chains;
 *   `AWS_SECURITY_TOKEN` is the older spelling of the session token that botocore still reads;
 * - profiles: with `AWS_PROFILE` / `AWS_DEFAULT_PROFILE` a profile's keys or `role_arn` are used before
 *   the web-identity variables (JS v3 `fromIni` runs before `fromTokenFile`; botocore's AssumeRole
 *   profile provider runs before its web-identity provider);
 * - container credentials: an IRSA pod has none, and a command should not reach a real agent.
 * The shared config and credentials files are pointed at files that do not exist (see
 * `execEnvironment`), as a pod has no `~/.aws`: otherwise a `[default]` profile with keys in the
 * developer's `~/.aws/credentials` wins in JS v3 (`fromIni` before `fromTokenFile`).
 */
export const REMOVED_VARIABLES: readonly string[] = [
  'AWS_ACCESS_KEY_ID',
  'AWS_SECRET_ACCESS_KEY',
  'AWS_SESSION_TOKEN',
  'AWS_SECURITY_TOKEN',
  'AWS_CREDENTIAL_EXPIRATION',
  'AWS_PROFILE',
  'AWS_DEFAULT_PROFILE',
  'AWS_ROLE_ARN',
  'AWS_WEB_IDENTITY_TOKEN_FILE',
  'AWS_STS_REGIONAL_ENDPOINTS',
  'AWS_CONTAINER_CREDENTIALS_FULL_URI',
  'AWS_CONTAINER_CREDENTIALS_RELATIVE_URI',
  'AWS_CONTAINER_AUTHORIZATION_TOKEN',
  'AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE',
];

/**
 * How a command's AWS clients are pointed at openirsa: the `AWS_ENDPOINT_URL*` variables, which
 * botocore ≥ 1.31, AWS CLI ≥ 2.13 and JS v3 ≥ ~3.428 honour (irsa-wire.md §6.5), and with
 * `exec --old-sdk` the transparent proxy's variables too (`transparentProxyRedirection`), for clients
 * too old for `AWS_ENDPOINT_URL` (botocore 1.29, CLI 2.9; irsa-wire.md §8.3 option A). exec calls
 * `start` before the child and `stop` after it.
 */
export interface ClientRedirection {
  readonly name: string;
  start(endpoint: string): Promise<{ readonly env: Readonly<Record<string, string>>; stop(): Promise<void> }>;
}

/** `AWS_ENDPOINT_URL` and the per-service variables of the services openirsa serves. */
export const endpointUrlRedirection: ClientRedirection = {
  name: 'endpoint-url',
  start: (endpoint) =>
    Promise.resolve({
      env: {
        AWS_ENDPOINT_URL: endpoint,
        AWS_ENDPOINT_URL_STS: endpoint,
        AWS_ENDPOINT_URL_IAM: endpoint,
        AWS_ENDPOINT_URL_S3: endpoint,
      },
      stop: () => Promise.resolve(),
    }),
};

/**
 * `exec --old-sdk`: the endpoint variables AND the proxy variables of the server's running transparent
 * proxy (`proxyEnvironment`). Both, because a client reads one or the other: new SDKs take
 * `AWS_ENDPOINT_URL` (a loopback URL, which `NO_PROXY` keeps off the proxy), old ones resolve the real
 * AWS host names and reach the proxy through `HTTPS_PROXY`. Dropping the endpoint variables would send
 * the JS SDK v3, which ignores `HTTPS_PROXY`, to real AWS: this fails closed instead. The proxy belongs
 * to the server (`openirsa up --proxy-port`), so there is nothing to stop.
 */
export function transparentProxyRedirection(proxy: TransparentProxyInfo): ClientRedirection {
  return {
    name: 'transparent-proxy',
    start: async (endpoint) => {
      const endpointUrls = await endpointUrlRedirection.start(endpoint);
      return {
        env: { ...endpointUrls.env, ...proxyEnvironment({ proxyUrl: proxy.url, caFile: proxy.caFile }) },
        stop: () => endpointUrls.stop(),
      };
    },
  };
}

export interface ExecEnvironmentInput {
  readonly inherited: Readonly<Record<string, string | undefined>>;
  /** The pod's web identity, or `undefined` for a service account without a role (no AWS variables). */
  readonly pod?: PodEnvironmentPlan;
  /** From the redirection; only set with a web identity. */
  readonly redirection?: Readonly<Record<string, string>>;
  /** A path that does not exist, for AWS_CONFIG_FILE and AWS_SHARED_CREDENTIALS_FILE. */
  readonly absentFile: string;
}

/**
 * The child's environment: the inherited one without `REMOVED_VARIABLES`, the shared files hidden,
 * then exactly the variables the webhook injects into a container that defines none (so they replace
 * inherited ones of the same name), then the endpoint redirection.
 */
export function execEnvironment(input: ExecEnvironmentInput): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [name, value] of Object.entries(input.inherited)) {
    if (value !== undefined && !REMOVED_VARIABLES.includes(name)) env[name] = value;
  }
  env.AWS_CONFIG_FILE = input.absentFile;
  env.AWS_SHARED_CREDENTIALS_FILE = input.absentFile;
  if (input.pod === undefined) return env;
  for (const { name, value } of podEnvironment(input.pod)) env[name] = value;
  return { ...env, ...input.redirection };
}
