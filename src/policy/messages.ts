/**
 * The messages IAM answers with for documents it refuses (`MalformedPolicyDocument`, `LimitExceeded`),
 * in one place so each can be checked against AWS on its own. Wording as AWS returns it where we have
 * seen it in public reports (e.g. "Syntax errors in policy.", "The policy failed legacy parsing",
 * "Policy document should not specify a principal."); the ones marked UNCONFIRMED are our best
 * reconstruction and are pinned by tests so a correction is one edit.
 */
export const MALFORMED = 'MalformedPolicyDocument';
export const LIMIT_EXCEEDED = 'LimitExceeded';

export const awsMessages = {
  syntax: 'Syntax errors in policy.',
  legacyParsing: 'The policy failed legacy parsing',
  principalNotAllowed: 'Policy document should not specify a principal.',
  missingPrincipal: 'Missing required field Principal',
  // UNCONFIRMED wording (seen for trust policies carrying a Resource).
  prohibitedResource: 'Has prohibited field Resource',
  // UNCONFIRMED wording.
  prohibitedNotPrincipal: 'Has prohibited field NotPrincipal',
  missingActions: 'Policy statement must contain actions.',
  missingResources: 'Policy statement must contain resources.',
  uniqueSids: 'Statement IDs (SID) in a single policy must be unique.',
  alphanumericSid:
    'Statement IDs (SID) must be alpha-numeric. Check that your input satisfies the regular expression [0-9A-Za-z]*',
  vendorPrefix: 'Actions/Conditions must be prefaced by a vendor, e.g., iam, sdb, ec2, etc.',
  oneColon: 'Actions/Condition can contain only one colon.',
  resourceFormat: (r: string) => `Resource ${r} must be in ARN format or "*".`,
  partition: (p: string, r: string) => `Partition "${p}" is not valid for resource "${r}".`,
  invalidPrincipal: (p: string) => `Invalid principal in policy: ${p}`,
  policySize: (quota: number) => `Cannot exceed quota for PolicySize: ${quota}`,
  trustPolicySize: (quota: number) => `Cannot exceed quota for ACLSizePerRole: ${quota}`,
} as const;
