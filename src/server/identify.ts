/** What the identify step looks at, in the order it looks (DESIGN.md, "The request pipeline"). */
export interface ServiceClues {
  /** The SERVICE of a SigV4 credential scope, when the request is signed. */
  readonly scopeService?: string;
  /** The awsQuery `Action` parameter, when the request has one. */
  readonly action?: string;
  /** The `Host` header. */
  readonly host?: string;
}

/**
 * The signing name of the service a request is for: the credential scope's service for a signed
 * request; for an unsigned one, the service that implements its `Action` (AssumeRoleWithWebIdentity is
 * sent unsigned, irsa-wire.md §5.3); then the host (`sts.*`, `iam.*`); S3 otherwise. `ownerOf` names
 * the service whose action table holds an action.
 */
export function identifyService(
  clues: ServiceClues,
  ownerOf: (action: string) => string | undefined,
): string {
  if (clues.scopeService !== undefined && clues.scopeService !== '') return clues.scopeService;
  if (clues.action !== undefined) {
    const owner = ownerOf(clues.action);
    if (owner !== undefined) return owner;
  }
  const host = (clues.host ?? '').toLowerCase();
  if (host.startsWith('sts.') || host.startsWith('sts-fips.')) return 'sts';
  if (host.startsWith('iam.')) return 'iam';
  return 's3';
}

/** What the server knows of a request before it reads the body. */
export interface S3Clues {
  /** The SERVICE of a SigV4 credential scope, when the request parses as signed. */
  readonly scopeService?: string;
  readonly host?: string;
  readonly method: string;
  readonly path: string;
  readonly query: string;
  readonly contentType?: string;
}

/**
 * Whether a request is for S3, decided before its body is read (S3 bodies stream; awsQuery bodies are
 * read whole): a credential scope says `s3` or another service; an unsigned request to `sts.*`/`iam.*`,
 * one with an `Action` query parameter, or a form POST to `/` is awsQuery (AssumeRoleWithWebIdentity
 * is sent unsigned as a form, irsa-wire.md §5.3); everything else — `s3.*`, `<bucket>.s3.*`,
 * `<bucket>.localhost`, an IP address — is S3, the default service.
 */
export function isS3Request(clues: S3Clues): boolean {
  if (clues.scopeService !== undefined && clues.scopeService !== '') return clues.scopeService === 's3';
  const host = (clues.host ?? '').toLowerCase();
  if (host.startsWith('sts.') || host.startsWith('sts-fips.') || host.startsWith('iam.')) return false;
  if (/(?:^|&)Action=/.test(clues.query)) return false;
  const form = (clues.contentType ?? '').toLowerCase().startsWith('application/x-www-form-urlencoded');
  return !(clues.method === 'POST' && clues.path === '/' && form);
}
