/**
 * The IAM ARN of the OIDC provider registered for an issuer URL: the URL without its scheme, case kept
 * (irsa-wire.md §4.1, §5.7 step 4: "strip `https://`"). The built-in issuer of a local server is a
 * loopback `http://` URL, whose scheme is stripped the same way.
 */
export function oidcProviderArn(partition: string, accountId: string, issuerUrl: string): string {
  return `arn:${partition}:iam::${accountId}:oidc-provider/${oidcProviderKey(issuerUrl)}`;
}

/**
 * The prefix of the provider's condition keys in a trust policy (`<host/path>:sub`, irsa-wire.md
 * §4.2-4.3): the issuer URL without its scheme.
 */
export function oidcProviderKey(issuerUrl: string): string {
  if (issuerUrl.startsWith('https://')) return issuerUrl.slice(8);
  return issuerUrl.startsWith('http://') ? issuerUrl.slice(7) : issuerUrl;
}
