import {
  DEFAULT_WEBHOOK_SETTINGS,
  reviewAdmission,
  type ServiceAccountIdentity,
  type WebhookSettings,
} from '../identity/pod-mutation.js';
import { serviceAccountIdentity } from '../identity/service-account-identity.js';
import type { WireResponse } from '../protocol/query-response.js';

/**
 * Where the webhook reads a service account's annotations: the store (`ServiceAccountStore` fits), or
 * the cluster's API server (`k8s-service-accounts.ts`). `undefined`: unknown, the pod is not mutated.
 */
export interface ServiceAccountLookup {
  get(
    namespace: string,
    name: string,
  ): Promise<{ readonly annotations: Readonly<Record<string, string>> } | undefined>;
}

/**
 * A pod in an AdmissionReview is bounded by what kube-apiserver sends: its request body limit is
 * 3 MiB (`apiserver` `maxRequestBodyBytes`), so a review never needs more.
 */
export const MAX_ADMISSION_REVIEW_BYTES = 3 * 1024 * 1024;

/** handler.go `Handle`: `http.Error(w, "Invalid Content-Type, expected `application/json`", 415)`. */
export const INVALID_CONTENT_TYPE_MESSAGE = 'Invalid Content-Type, expected `application/json`';

/**
 * One AdmissionReview exchange as the webhook's `/mutate` answers it (irsa-wire.md §2.1, §2.5): the
 * Content-Type must be exactly `application/json` (Go compares the header string, so a `charset`
 * parameter is refused too), else 415 with Go's `http.Error` body; otherwise 200 with the review
 * response, service accounts read from `store` (the store, or the cluster's API server).
 */
export async function answerAdmissionReview(
  contentType: string | undefined,
  body: Buffer,
  store: ServiceAccountLookup,
  settings: WebhookSettings = DEFAULT_WEBHOOK_SETTINGS,
): Promise<WireResponse> {
  if (contentType !== 'application/json') {
    // Go's http.Error: text/plain, nosniff, the message and a newline.
    return {
      status: 415,
      headers: { 'Content-Type': 'text/plain; charset=utf-8', 'X-Content-Type-Options': 'nosniff' },
      body: `${INVALID_CONTENT_TYPE_MESSAGE}\n`,
    };
  }
  let review: unknown;
  try {
    review = JSON.parse(body.toString('utf8'));
  } catch {
    // Undecodable: `allowed: false`, no uid; the apiserver then applies the failurePolicy.
    review = undefined;
  }
  // reviewAdmission is pure and synchronous; the one service account it asks for is read first.
  const wanted: { namespace: string; name: string }[] = [];
  reviewAdmission(
    review,
    (namespace, name) => {
      wanted.push({ namespace, name });
      return undefined;
    },
    settings,
  );
  const known = new Map<string, ServiceAccountIdentity>();
  for (const { namespace, name } of wanted) {
    const account = await store.get(namespace, name);
    if (account !== undefined) {
      known.set(
        `${namespace}/${name}`,
        serviceAccountIdentity(account.annotations, settings.annotationPrefix),
      );
    }
  }
  const answer = reviewAdmission(review, (namespace, name) => known.get(`${namespace}/${name}`), settings);
  return { status: 200, headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(answer) };
}
