import { AwsError } from '../shared/aws-error.js';
import type { FormFailure, FormLimits, FormParams } from './form.js';
import { decodeForm, DEFAULT_FORM_LIMITS, isFormContentType } from './form.js';

/**
 * An awsQuery request as IAM and STS receive it: `POST /` with a form body (irsa-wire.md §5.3), or the
 * same parameters in the query string (`POST /?Action=AssumeRoleWithWebIdentity&...`, historic STS and
 * MinIO clients), or both. `Action` selects the operation, `Version` the API version; the server
 * dispatches on them, the action's shape reads the rest.
 */
export interface QueryRequest {
  readonly action: string | undefined;
  readonly version: string | undefined;
  /** Every parameter, `Action` and `Version` included, from the query string and the body together. */
  readonly params: FormParams;
}

export type QueryRequestResult =
  | { readonly ok: true; readonly request: QueryRequest }
  | { readonly ok: false; readonly failure: FormFailure };

export interface QueryRequestParts {
  /** The URL's query, without the `?`. */
  readonly query?: string;
  readonly body?: string | Uint8Array;
  readonly contentType?: string;
}

/**
 * Decodes the query string and, when the Content-Type is a form (or absent), the body. A body of any
 * other type is not awsQuery input and is left unread. A parameter in both places is a duplicate.
 * Never throws.
 */
export function readQueryRequest(
  parts: QueryRequestParts,
  limits: FormLimits = DEFAULT_FORM_LIMITS,
): QueryRequestResult {
  const fromQuery = decodeForm(parts.query ?? '', limits);
  if (!fromQuery.ok) return fromQuery;
  const readBody =
    parts.body !== undefined &&
    parts.body.length > 0 &&
    (parts.contentType === undefined || isFormContentType(parts.contentType));
  let params = fromQuery.params;
  if (readBody) {
    const fromBody = decodeForm(parts.body ?? '', limits);
    if (!fromBody.ok) return fromBody;
    if (params.size > 0) {
      if (params.size + fromBody.params.size > limits.maxParameters) {
        return { ok: false, failure: { kind: 'tooManyParameters', limit: limits.maxParameters } };
      }
      const merged = new Map(params);
      for (const [name, value] of fromBody.params) {
        if (merged.has(name)) return { ok: false, failure: { kind: 'duplicateParameter', name } };
        merged.set(name, value);
      }
      params = merged;
    } else {
      params = fromBody.params;
    }
  }
  return { ok: true, request: { action: params.get('Action'), version: params.get('Version'), params } };
}

/**
 * The awsQuery error for a request that could not be decoded. AWS's common errors for Query APIs (IAM
 * and STS API references, "Common Errors") list `MalformedQueryString`, HTTP 404, "The query string
 * contains a syntax error." ⚠ That real STS/IAM answer exactly this for a bad percent-escape is
 * unconfirmed, and the duplicate and size cases have no known AWS answer: their messages are ours.
 */
export function queryRequestError(failure: FormFailure): AwsError {
  switch (failure.kind) {
    case 'badEncoding':
      return new AwsError('MalformedQueryString', 404, 'The query string contains a syntax error.');
    case 'duplicateParameter':
      return new AwsError(
        'MalformedQueryString',
        404,
        `The query string contains a syntax error: parameter ${shorten(failure.name)} appears more than once.`,
      );
    case 'tooManyParameters':
      return new AwsError(
        'MalformedQueryString',
        404,
        `The query string contains a syntax error: more than ${failure.limit} parameters.`,
      );
    case 'tooLarge':
      return new AwsError(
        'MalformedQueryString',
        404,
        `The query string contains a syntax error: more than ${failure.limit} bytes.`,
      );
  }
}

/** A parameter name echoed in a message is user input: keep it short. */
function shorten(name: string): string {
  const chars = Array.from(name);
  return chars.length <= 64 ? name : `${chars.slice(0, 64).join('')}...`;
}
