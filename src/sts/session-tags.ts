import { SESSION_TAGS_CLAIM } from '../identity/session-tags.js';
import { errorCatalogue, type AwsError } from '../shared/aws-error.js';

/**
 * Session tags as STS applies them (IAM User Guide, "Pass session tags in AWS STS"): at most 50, keys
 * 1..128 and values 0..256 characters of `[\p{L}\p{Z}\p{N}_.:/=+\-@]`, keys unique without regard to
 * case; transitive tags of the calling session pass into the new one and cannot be overridden there
 * ("If you pass a session tag with the same key as an inherited tag, the operation fails", STS API
 * Reference, AssumeRole `Tags`); and policies and tags together must fit a packed size.
 */

export interface SessionTagSet {
  /** Keys as given, in the order given (inherited transitive tags first). */
  readonly tags: readonly (readonly [string, string])[];
  /** Keys (as given) that pass on to sessions this one creates. */
  readonly transitiveTagKeys: readonly string[];
}

export type TagsResult =
  { readonly ok: true; readonly set: SessionTagSet } | { readonly ok: false; readonly error: AwsError };

export const MAX_SESSION_TAGS = 50;
const KEY = /^[\p{L}\p{Z}\p{N}_.:/=+\-@]{1,128}$/u;
const VALUE = /^[\p{L}\p{Z}\p{N}_.:/=+\-@]{0,256}$/u;

const stsError = errorCatalogue({
  InvalidParameterValue: { status: 400 },
  InvalidIdentityToken: { status: 400 },
  PackedPolicyTooLarge: { status: 400 },
});

/**
 * The tags of a new session: the calling session's transitive tags, then the requested ones.
 * `inherited` is the calling session's (absent for a long-term caller or a web identity).
 */
export function resolveSessionTags(
  requested: readonly (readonly [string, string])[],
  requestedTransitive: readonly string[],
  inherited?: {
    readonly tags?: Readonly<Record<string, string>>;
    readonly transitiveTagKeys?: readonly string[];
  },
): TagsResult {
  const seen = new Set<string>();
  for (const [key] of requested) {
    const lower = key.toLowerCase();
    // ⚠ IAM's wording and code for tag lists (InvalidInput there); STS's for session tags is unconfirmed.
    if (seen.has(lower)) {
      return fail(
        'InvalidParameterValue',
        'Duplicate tag keys found. Please note that Tag keys are case insensitive.',
      );
    }
    seen.add(lower);
  }
  for (const key of requestedTransitive) {
    // ⚠ our decision and wording: a transitive key without its tag would silently pass nothing on.
    if (!seen.has(key.toLowerCase())) {
      return fail(
        'InvalidParameterValue',
        `the transitive tag key \`${clip(key)}\` is not one of the session tags`,
      );
    }
  }
  const inheritedTags: [string, string][] = [];
  const inheritedKeys: string[] = [];
  const sourceTags = inherited?.tags ?? {};
  for (const key of inherited?.transitiveTagKeys ?? []) {
    const value = Object.prototype.hasOwnProperty.call(sourceTags, key) ? sourceTags[key] : undefined;
    if (value === undefined) continue;
    // ⚠ the code AWS answers with is unconfirmed; the rule is documented (AssumeRole `Tags`).
    const clash = requested.find(([k]) => k.toLowerCase() === key.toLowerCase());
    if (clash !== undefined) {
      return fail(
        'InvalidParameterValue',
        `the session tag \`${clip(clash[0])}\` cannot override the transitive tag the calling session passes on`,
      );
    }
    inheritedTags.push([key, value]);
    inheritedKeys.push(key);
  }
  const tags = [...inheritedTags, ...requested];
  if (tags.length > MAX_SESSION_TAGS) {
    // ⚠ our wording: the request itself passed the 50-tag limit, the inherited ones added up.
    return fail(
      'InvalidParameterValue',
      `a session has at most ${MAX_SESSION_TAGS} tags; with the inherited transitive tags it would have ${tags.length}`,
    );
  }
  const transitive = [
    ...inheritedKeys,
    ...requested
      .filter(([k]) => requestedTransitive.some((t) => t.toLowerCase() === k.toLowerCase()))
      .map(([k]) => k),
  ];
  return { ok: true, set: { tags, transitiveTagKeys: transitive } };
}

/**
 * The session tags a web identity token carries in `https://aws.amazon.com/tags` (irsa-wire.md §4.4):
 * `principal_tags` maps each key to an array of one string; `transitive_tag_keys` lists keys of it.
 * `undefined` when the token has no such claim. A malformed claim is InvalidIdentityToken (⚠ our
 * wording: AWS's for a malformed tags claim is unconfirmed).
 */
export function webIdentityTags(claims: Readonly<Record<string, unknown>>): TagsResult | undefined {
  if (!Object.prototype.hasOwnProperty.call(claims, SESSION_TAGS_CLAIM)) return undefined;
  const claim = claims[SESSION_TAGS_CLAIM];
  const bad = (what: string) => fail('InvalidIdentityToken', `the ${SESSION_TAGS_CLAIM} claim ${what}`);
  if (!isObject(claim)) return bad('is not an object');
  const principalTags = claim.principal_tags;
  if (!isObject(principalTags)) return bad('has no principal_tags object');
  const entries = Object.entries(principalTags);
  if (entries.length > MAX_SESSION_TAGS)
    return bad(`has ${entries.length} principal_tags, more than ${MAX_SESSION_TAGS}`);
  const tags: [string, string][] = [];
  for (const [key, value] of entries) {
    const single = Array.isArray(value) && value.length === 1 ? (value[0] as unknown) : value;
    if (typeof single !== 'string') return bad(`gives tag \`${clip(key)}\` a value that is not one string`);
    if (!KEY.test(key))
      return bad(`has tag key \`${clip(key)}\`, which is not 1 to 128 of [\\p{L}\\p{Z}\\p{N}_.:/=+\\-@]`);
    if (!VALUE.test(single))
      return bad(`gives tag \`${clip(key)}\` a value that is not 0 to 256 of [\\p{L}\\p{Z}\\p{N}_.:/=+\\-@]`);
    tags.push([key, single]);
  }
  const rawTransitive = claim.transitive_tag_keys ?? [];
  if (!Array.isArray(rawTransitive) || !rawTransitive.every((k): k is string => typeof k === 'string')) {
    return bad('has transitive_tag_keys that are not a list of strings');
  }
  return resolveSessionTags(tags, rawTransitive);
}

/**
 * Packed size (STS API Reference, AssumeRole: "An AWS conversion compresses the passed inline session
 * policy, managed policy ARNs, and session tags into a packed binary format that has a separate
 * limit"). AWS's packing is not published: ⚠ our model gives session policies (compact JSON plus the
 * ARNs) a budget of 2048 characters and tags one of 4096 bytes (key, value and 2 bytes each), and
 * reports the larger share, as a whole percentage rounded up.
 */
export interface PackedSize {
  readonly percent: number;
  readonly error?: AwsError;
}

const POLICY_BUDGET = 2048;
const TAG_BUDGET = 4096;

export function packedSize(
  policy: string | undefined,
  policyArns: readonly string[],
  tags: readonly (readonly [string, string])[],
): PackedSize {
  let policyChars = policyArns.reduce((n, arn) => n + arn.length, 0);
  if (policy !== undefined) {
    try {
      policyChars += JSON.stringify(JSON.parse(policy)).length;
    } catch {
      policyChars += policy.length;
    }
  }
  const tagBytes = tags.reduce((n, [k, v]) => n + Buffer.byteLength(k) + Buffer.byteLength(v) + 2, 0);
  const policyPercent = Math.ceil((100 * policyChars) / POLICY_BUDGET);
  const tagPercent = Math.ceil((100 * tagBytes) / TAG_BUDGET);
  const percent = Math.max(policyPercent, tagPercent);
  if (policyPercent > 100) {
    // AWS's wording, as widely reported for oversized session policies (⚠ not in a cited issue here).
    return {
      percent,
      error: stsError(
        'PackedPolicyTooLarge',
        `Packed policy consumes ${policyPercent}% of allotted space, please use smaller policy.`,
      ),
    };
  }
  if (tagPercent > 100) {
    // AWS's wording (aws-actions/configure-aws-credentials#1803, aws/containers-roadmap#2413).
    return {
      percent,
      error: stsError(
        'PackedPolicyTooLarge',
        `Packed size of session tags consumes ${tagPercent}% of allotted space.`,
      ),
    };
  }
  return { percent };
}

/** The request keys that session tags set (IAM User Guide, condition keys for AWS STS). */
export function tagRequestContext(set: SessionTagSet): Map<string, string | readonly string[]> {
  const out = new Map<string, string | readonly string[]>();
  if (set.tags.length === 0) return out;
  for (const [key, value] of set.tags) out.set(`aws:requesttag/${key.toLowerCase()}`, value);
  out.set(
    'aws:tagkeys',
    set.tags.map(([k]) => k),
  );
  if (set.transitiveTagKeys.length > 0) out.set('sts:transitivetagkeys', set.transitiveTagKeys);
  return out;
}

/** The tags as the sealed session holds them (own properties only, whatever the key). */
export function tagRecord(set: SessionTagSet): Readonly<Record<string, string>> {
  return Object.fromEntries(set.tags);
}

function fail(code: 'InvalidParameterValue' | 'InvalidIdentityToken', message: string): TagsResult {
  return { ok: false, error: stsError(code, message) };
}

function isObject(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

function clip(s: string): string {
  return s.length > 64 ? `${s.slice(0, 64)}…` : s;
}
