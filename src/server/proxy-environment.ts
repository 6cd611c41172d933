/** Where the transparent proxy listens and where its CA certificate is. */
export interface ProxyEnvironmentOptions {
  /** `http://127.0.0.1:PORT`: the proxy itself speaks plain HTTP (CONNECT), never TLS. */
  readonly proxyUrl: string;
  /** The local CA certificate (PEM), `<data>/ca/ca.pem`. */
  readonly caFile: string;
}

/**
 * The hosts that never go through the proxy: loopback, where openirsa's own endpoint (for SDKs that
 * read `AWS_ENDPOINT_URL`) and a container-credentials URL live. Python's `proxy_bypass_environment`
 * and curl both read a comma-separated list of host names and addresses.
 */
export const LOOPBACK_NO_PROXY = '127.0.0.1,localhost,::1';

/**
 * The environment variables that point an unmodified AWS client at the transparent proxy
 * (irsa-wire.md §6, §8.3 option A), per client:
 *
 * - `HTTPS_PROXY` and `https_proxy`: botocore (boto3 and both AWS CLIs) takes its proxies from
 *   urllib's `getproxies()`, which reads the lower-case name first and the upper-case one too; curl
 *   and Go read one or the other. Both are set so that no client sees a different proxy. The AWS SDK
 *   for JavaScript v3 ignores them (it needs a proxy agent in code), which is fine: every version of it
 *   that matters reads `AWS_ENDPOINT_URL` (§6.4).
 * - `HTTP_PROXY` is not set: AWS clients use https, and every plain-http request of the child would
 *   otherwise go through openirsa.
 * - `AWS_CA_BUNDLE`: botocore and the AWS CLIs verify AWS endpoints with this bundle only (§6.2,
 *   `'ca_bundle': ('ca_bundle', 'AWS_CA_BUNDLE', ...)`). Every AWS host is answered by the proxy with
 *   a leaf of the local CA, so the CA alone is the right bundle.
 * - `NODE_EXTRA_CA_CERTS`: Node adds these to its built-in roots (it does not replace them), so a Node
 *   program that does use a proxy agent trusts the proxy's leaves and still trusts real hosts.
 * - `REQUESTS_CA_BUNDLE` and `SSL_CERT_FILE` are NOT set: each replaces the whole trust store of
 *   python-requests and of OpenSSL, and every host other than AWS is tunnelled untouched and presents
 *   its real certificate, which the local CA alone would reject. botocore reads neither.
 * - `NO_PROXY` and `no_proxy`: loopback, so that clients reach openirsa's own port and
 *   container-credential URLs directly.
 */
export function proxyEnvironment(options: ProxyEnvironmentOptions): Record<string, string> {
  if (!/^http:\/\/[^/]+\/?$/.test(options.proxyUrl)) {
    throw new TypeError(`the proxy URL is \`http://HOST:PORT\`, got \`${options.proxyUrl}\``);
  }
  if (options.caFile === '') throw new TypeError('the CA file is a path, got an empty string');
  return {
    HTTPS_PROXY: options.proxyUrl,
    https_proxy: options.proxyUrl,
    AWS_CA_BUNDLE: options.caFile,
    NODE_EXTRA_CA_CERTS: options.caFile,
    NO_PROXY: LOOPBACK_NO_PROXY,
    no_proxy: LOOPBACK_NO_PROXY,
  };
}
