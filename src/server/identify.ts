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
