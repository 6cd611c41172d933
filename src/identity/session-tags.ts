/**
 * Session tags carried in a web identity token (IAM User Guide, "Passing session tags using
 * AssumeRoleWithWebIdentity"; irsa-wire.md §4.4): the claim `https://aws.amazon.com/tags` holds
 * `principal_tags` (each tag's value as an array of one string) and optionally `transitive_tag_keys`.
 * Kubernetes never puts this claim in a token; openirsa can, so that ABAC on `aws:PrincipalTag` can be
 * tested end to end. The role's trust policy must then also allow `sts:TagSession`.
 */

export const SESSION_TAGS_CLAIM = 'https://aws.amazon.com/tags';

export interface SessionTag {
  readonly key: string;
  readonly value: string;
}

export interface SessionTags {
  readonly tags: readonly SessionTag[];
  /** Keys of `tags` that pass on to chained role sessions. */
  readonly transitiveTagKeys?: readonly string[];
}

export type SessionTagsClaim = {
  readonly principal_tags: { readonly [key: string]: readonly [string] };
  readonly transitive_tag_keys?: readonly string[];
};

export type SessionTagsResult =
  { readonly ok: true; readonly claim: SessionTagsClaim } | { readonly ok: false; readonly message: string };

/** STS's limits on session tags (the `Tags` shape of the STS API: ≤ 50 tags, key 1..128, value 0..256). */
export const MAX_SESSION_TAGS = 50;
const KEY = /^[\p{L}\p{Z}\p{N}_.:/=+\-@]{1,128}$/u;
const VALUE = /^[\p{L}\p{Z}\p{N}_.:/=+\-@]{0,256}$/u;

/** Builds the claim, or says which tag breaks STS's limits. Never throws on input. */
export function sessionTagsClaim(input: SessionTags): SessionTagsResult {
  if (input.tags.length > MAX_SESSION_TAGS) {
    return {
      ok: false,
      message: `at most ${MAX_SESSION_TAGS} session tags are allowed, found ${input.tags.length}`,
    };
  }
  const principalTags: Record<string, readonly [string]> = {};
  const keys = new Set<string>();
  for (const { key, value } of input.tags) {
    if (!KEY.test(key)) {
      return {
        ok: false,
        message: `session tag key \`${clip(key)}\` must be 1 to 128 letters, digits, spaces or \`_.:/=+-@\``,
      };
    }
    if (!VALUE.test(value)) {
      return {
        ok: false,
        message: `the value of session tag \`${key}\` must be at most 256 letters, digits, spaces or \`_.:/=+-@\``,
      };
    }
    // A JSON object cannot hold the same key twice (and our JSON reader rejects it).
    if (keys.has(key)) return { ok: false, message: `session tag \`${key}\` is given more than once` };
    keys.add(key);
    Object.defineProperty(principalTags, key, {
      value: [value],
      enumerable: true,
      writable: true,
      configurable: true,
    });
  }
  const transitive = input.transitiveTagKeys ?? [];
  for (const key of transitive) {
    // Our decision (AWS does not document the case): a transitive key without its tag is a mistake.
    if (!keys.has(key))
      return { ok: false, message: `transitive tag key \`${clip(key)}\` is not one of the session tags` };
  }
  return {
    ok: true,
    claim: {
      principal_tags: principalTags,
      ...(transitive.length > 0 ? { transitive_tag_keys: [...transitive] } : {}),
    },
  };
}

function clip(s: string): string {
  return s.length > 64 ? `${s.slice(0, 64)}…` : s;
}
