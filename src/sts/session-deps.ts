import type { AuditDecision } from '../audit/event.js';
import type { IdGenerator } from '../shared/ids.js';
import { secretAccessKey, temporaryAccessKeyId, type SealingKey } from './session-token.js';

/** What the session-issuing STS actions need beyond the `ActionContext`: injected by the server. */
export interface SessionDeps {
  /** The key that seals new session tokens. */
  sealingKey(): Promise<SealingKey>;
  /** Hands the action's own authorization decision (and its explanation) to the request's audit event. */
  recordDecision(requestId: string, decision: AuditDecision): void;
}

/** A fresh temporary key pair: `ASIA...` and a 40-character secret. */
export function newKeyPair(ids: IdGenerator): {
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
} {
  return {
    accessKeyId: temporaryAccessKeyId(ids.bytes(16)),
    secretAccessKey: secretAccessKey(ids.bytes(30)),
  };
}

/** STS's `arnType` pattern (botocore `sts/2011-06-15/service-2.json`). */
export const ARN_PATTERN =
  '[\\u0009\\u000A\\u000D\\u0020-\\u007E\\u0085\\u00A0-\\uD7FF\\uE000-\\uFFFD\\u10000-\\u10FFFF]+';

/** `tagKeyType` / `tagValueType` of the STS model. */
export const TAG_KEY_PATTERN = '[\\p{L}\\p{Z}\\p{N}_.:/=+\\-@]+';
export const TAG_VALUE_PATTERN = '[\\p{L}\\p{Z}\\p{N}_.:/=+\\-@]*';

/** `serialNumberType` and `tokenCodeType` of the STS model. */
export const SERIAL_NUMBER_PATTERN = '[\\w+=/:,.@-]*';
export const TOKEN_CODE_PATTERN = '[\\d]*';

/**
 * openirsa has no MFA devices, so no `SerialNumber`/`TokenCode` pair can verify. AWS answers a code
 * that does not verify with AccessDenied and this wording (⚠ widely reported, not pinned to a cited
 * issue here); the audit explanation says why.
 */
export const MFA_FAILED = 'MultiFactorAuthentication failed with invalid MFA one time pass code.';
export const MFA_UNSUPPORTED =
  'implicitDeny: openirsa has no MFA devices, so SerialNumber and TokenCode never verify';
