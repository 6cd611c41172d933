import { formatAmzDateTime, isAmzDate, parseAmzDateTime, parseHttpDate } from './amz-date.js';
import { parseQuery, queryValues, type QueryParam } from './canonical-query.js';
import {
  AMBIGUOUS_AUTHENTICATION_MESSAGE,
  INCOMPLETE_QUERY_MESSAGE,
  MALFORMED_CREDENTIAL_MESSAGE,
  MALFORMED_QUERY_DATE_MESSAGE,
  MISSING_AUTHENTICATION_MESSAGE,
  MISSING_DATE_MESSAGE,
  credentialDateMismatchMessage,
  failed,
  incompleteHeaderMessage,
  invalidExpiresMessage,
  missingEqualSignMessage,
  wrongTerminatorMessage,
  type Failed,
} from './failures.js';
import { splitOn } from './split.js';
import {
  distinctHeaders,
  ALGORITHM,
  SCOPE_TERMINATOR,
  type AuthType,
  type CredentialScope,
  type HttpHeaders,
  type ParsedAuthorization,
} from './types.js';

export type ParseAuthorizationResult = { readonly ok: true; readonly auth: ParsedAuthorization } | Failed;

/** SigV4 presigned URLs live at most seven days (S3 API Reference, "Authenticating Requests: Using Query Parameters"). */
export const MAX_EXPIRES_SECONDS = 604_800;

const HEADER: AuthType = 'REST-HEADER';
const QUERY: AuthType = 'REST-QUERY-STRING';

const QUERY_PARAMS = [
  'X-Amz-Algorithm',
  'X-Amz-Credential',
  'X-Amz-Signature',
  'X-Amz-Date',
  'X-Amz-SignedHeaders',
  'X-Amz-Expires',
] as const;

/**
 * Reads the SigV4 authentication parameters of a request, from the `Authorization` header or from a
 * presigned URL's query, and checks their syntax. Nothing is verified: see `verifyRequest`. Total: any
 * input gives a result, never an exception.
 *
 * Header form (IAM User Guide, "Elements of an AWS API request signature"):
 * `AWS4-HMAC-SHA256 Credential=AKID/DATE/REGION/SERVICE/aws4_request, SignedHeaders=a;b, Signature=hex`.
 * The three parts may come in any order, with or without spaces around `,` and `=`; a trailing comma is
 * ignored, and so are parts of other names.
 *
 * Query form: `X-Amz-Algorithm`, `X-Amz-Credential`, `X-Amz-Date`, `X-Amz-Expires` (0..604800),
 * `X-Amz-SignedHeaders`, `X-Amz-Signature`, and `X-Amz-Security-Token` with temporary credentials. The names
 * are case-sensitive. A query carrying any of `X-Amz-Algorithm`, `X-Amz-Credential`, `X-Amz-Signature` is a
 * presigned request; with an `Authorization` header too, it is ambiguous and refused, as S3 does.
 */
export function parseAuthorization(
  given: HttpHeaders,
  query: string | readonly QueryParam[],
): ParseAuthorizationResult {
  const headers = distinctHeaders(given);
  const params = typeof query === 'string' ? parseQuery(query) : query;
  const header = headers['authorization'];
  const presigned = params.some(
    (p) => p.key === 'X-Amz-Algorithm' || p.key === 'X-Amz-Credential' || p.key === 'X-Amz-Signature',
  );
  // SigV2 query authentication: `AWSAccessKeyId`, `Signature`, `Expires` (boto3's default presigner).
  const sigV2Query =
    params.some((p) => p.key === 'AWSAccessKeyId') && params.some((p) => p.key === 'Signature');
  if (header !== undefined && (presigned || sigV2Query)) {
    return failed({ code: 'AmbiguousAuthentication', message: AMBIGUOUS_AUTHENTICATION_MESSAGE });
  }
  if (header !== undefined) {
    if (typeof header !== 'string') {
      if (header.length !== 1) {
        return malformed(HEADER, `the request has ${header.length} Authorization headers, not one`);
      }
      return parseHeaderForm(header[0] ?? '', headers);
    }
    return parseHeaderForm(header, headers);
  }
  if (presigned) return parseQueryForm(params);
  if (sigV2Query) {
    return failed({
      code: 'UnsupportedAlgorithm',
      message: 'Signature Version 2 query authentication is not supported: sign with AWS4-HMAC-SHA256',
      algorithm: 'AWS',
      authType: QUERY,
    });
  }
  return failed({ code: 'MissingAuthentication', message: MISSING_AUTHENTICATION_MESSAGE });
}

function parseHeaderForm(value: string, headers: HttpHeaders): ParseAuthorizationResult {
  const text = value.trim();
  const space = text.search(/[ \t]/);
  const algorithm = space < 0 ? text : text.slice(0, space);
  if (algorithm !== ALGORITHM) return unsupported(algorithm, HEADER);

  let credential: string | undefined;
  let signedHeaders: string | undefined;
  let signature: string | undefined;
  for (const piece of splitOn(text.slice(algorithm.length), ',')) {
    const pair = piece.trim();
    if (pair === '') continue;
    const eq = pair.indexOf('=');
    if (eq < 0) return malformed(HEADER, missingEqualSignMessage(pair, value));
    const name = pair.slice(0, eq).trimEnd();
    const part = pair.slice(eq + 1).trimStart();
    if (name === 'Credential') {
      if (credential !== undefined) return givenTwice(name);
      credential = part;
    } else if (name === 'SignedHeaders') {
      if (signedHeaders !== undefined) return givenTwice(name);
      signedHeaders = part;
    } else if (name === 'Signature') {
      if (signature !== undefined) return givenTwice(name);
      signature = part;
    }
  }

  const amzDate = headers['x-amz-date'];
  const httpDate = headers['date'];
  const undated = amzDate === undefined && httpDate === undefined;
  if (!credential || !signature || !signedHeaders || undated) {
    const missing: string[] = [];
    if (!credential) missing.push('Credential');
    if (!signature) missing.push('Signature');
    if (!signedHeaders) missing.push('SignedHeaders');
    if (undated) missing.push('Date');
    const message = incompleteHeaderMessage(missing, value);
    if (missing.length === 1 && undated) return failed({ code: 'MissingDate', message, authType: HEADER });
    return failed({ code: 'IncompleteSignature', message, missing, authType: HEADER });
  }

  // AWS looks for X-Amz-Date first, and for Date only when there is none ("Handling dates in SigV4").
  // A valid X-Amz-Date is already the string to sign's RequestDateTime; a Date is converted to it.
  let requestTime: number | undefined;
  let dateTime: string | undefined;
  let dateText: string;
  if (amzDate !== undefined) {
    dateText = typeof amzDate === 'string' ? amzDate.trim() : amzDate.join(',');
    requestTime = typeof amzDate === 'string' ? parseAmzDateTime(dateText) : undefined;
    dateTime = dateText;
  } else {
    dateText = typeof httpDate === 'string' ? httpDate.trim() : (httpDate ?? []).join(',');
    requestTime = typeof httpDate === 'string' ? parseHttpDate(dateText) : undefined;
    if (requestTime !== undefined) dateTime = formatAmzDateTime(requestTime);
  }
  if (requestTime === undefined || dateTime === undefined) {
    return failed({
      code: 'MalformedDate',
      message: MISSING_DATE_MESSAGE,
      value: dateText,
      authType: HEADER,
    });
  }

  const token = headers['x-amz-security-token'];
  if (token !== undefined && typeof token !== 'string') {
    return malformed(HEADER, 'the request has more than one x-amz-security-token header');
  }
  return finish(HEADER, {
    credential,
    signedHeaders,
    signature,
    requestTime,
    dateTime,
    sessionToken: token?.trim(),
    malformedCredentialMessage: MALFORMED_CREDENTIAL_MESSAGE,
  });
}

function parseQueryForm(params: readonly QueryParam[]): ParseAuthorizationResult {
  const found = new Map<string, string>();
  for (const name of [...QUERY_PARAMS, 'X-Amz-Security-Token']) {
    const values = queryValues(params, name);
    if (values.length > 1) return malformed(QUERY, `the query gives \`${name}\` ${values.length} times`);
    if (values.length === 1) found.set(name, values[0] ?? '');
  }
  const algorithm = found.get('X-Amz-Algorithm');
  if (algorithm !== undefined && algorithm !== ALGORITHM) return unsupported(algorithm, QUERY);
  const missing = QUERY_PARAMS.filter((name) => (found.get(name) ?? '') === '');
  if (missing.length > 0) {
    return failed({
      code: 'IncompleteSignature',
      message: INCOMPLETE_QUERY_MESSAGE,
      missing,
      authType: QUERY,
    });
  }
  const get = (name: (typeof QUERY_PARAMS)[number]): string => found.get(name) ?? '';

  const requestTime = parseAmzDateTime(get('X-Amz-Date'));
  if (requestTime === undefined) {
    return failed({
      code: 'MalformedDate',
      message: MALFORMED_QUERY_DATE_MESSAGE,
      value: get('X-Amz-Date'),
      authType: QUERY,
    });
  }
  const expires = get('X-Amz-Expires');
  const expiresSeconds = /^\d+$/.test(expires) ? Number(expires) : NaN;
  if (!(expiresSeconds >= 0 && expiresSeconds <= MAX_EXPIRES_SECONDS)) {
    return failed({
      code: 'InvalidExpires',
      message: invalidExpiresMessage(expires),
      value: expires,
      authType: QUERY,
    });
  }
  return finish(QUERY, {
    credential: get('X-Amz-Credential'),
    signedHeaders: get('X-Amz-SignedHeaders'),
    signature: get('X-Amz-Signature'),
    requestTime,
    dateTime: get('X-Amz-Date'),
    expiresSeconds,
    sessionToken: found.get('X-Amz-Security-Token'),
    malformedCredentialMessage: MALFORMED_CREDENTIAL_MESSAGE.replace(
      'The authorization header is malformed;',
      'Error parsing the X-Amz-Credential parameter;',
    ),
  });
}

interface Parts {
  readonly credential: string;
  readonly signedHeaders: string;
  readonly signature: string;
  readonly requestTime: number;
  /** The validated request time as it goes into the string to sign. */
  readonly dateTime: string;
  readonly expiresSeconds?: number;
  readonly sessionToken: string | undefined;
  readonly malformedCredentialMessage: string;
}

/** The checks both forms share: the credential, the signed header list, the date against the scope. */
function finish(authType: AuthType, parts: Parts): ParseAuthorizationResult {
  const fields = splitOn(parts.credential, '/');
  const [accessKeyId = '', date = '', region = '', service = '', terminator = ''] = fields;
  if (fields.length !== 5 || accessKeyId === '' || service === '') {
    return malformedCredential(authType, parts, 'shape', parts.malformedCredentialMessage);
  }
  const { dateTime } = parts;
  // INVARIANT: dateTime is a valid request time, so a scope date equal to its day is a valid date.
  const sameDay = date === dateTime.slice(0, 8);
  if (!sameDay && !isAmzDate(date)) {
    return malformedCredential(authType, parts, 'date', parts.malformedCredentialMessage);
  }
  if (terminator !== SCOPE_TERMINATOR) {
    return malformedCredential(authType, parts, 'terminator', wrongTerminatorMessage(terminator));
  }

  // Clients send the list lower-case, sorted, without white space; only an odd one pays for more work.
  const list = splitOn(parts.signedHeaders, ';');
  const signedHeaders = hasUpperCaseOrBlank(parts.signedHeaders)
    ? list.map((name) => name.trim().toLowerCase())
    : list;
  // While the list is strictly ascending it holds no repeat; from the first step down, look back.
  let ascending = true;
  for (let i = 0; i < signedHeaders.length; i++) {
    const name = signedHeaders[i] ?? '';
    if (name === '') {
      return malformed(authType, `SignedHeaders has an empty header name: \`${parts.signedHeaders}\``);
    }
    ascending &&= i === 0 || (signedHeaders[i - 1] ?? '') < name;
    if (!ascending && signedHeaders.indexOf(name) !== i) {
      return malformed(authType, `SignedHeaders names a header twice: \`${parts.signedHeaders}\``);
    }
  }

  // "If the dates do not match, AWS will reject the request, even if the time stamp is only seconds away"
  // ("Handling dates in Signature Version 4").
  if (!sameDay) {
    return failed({
      code: 'CredentialDateMismatch',
      message: credentialDateMismatchMessage(date, dateTime),
      credentialDate: date,
      dateTime,
      authType,
    });
  }

  const scope: CredentialScope = { date, region, service };
  const auth: { -readonly [K in keyof ParsedAuthorization]: ParsedAuthorization[K] } = {
    authType,
    accessKeyId,
    scope,
    credentialScope: `${date}/${region}/${service}/${SCOPE_TERMINATOR}`,
    signedHeaders,
    signature: parts.signature,
    dateTime,
    requestTime: parts.requestTime,
  };
  if (parts.expiresSeconds !== undefined) auth.expiresSeconds = parts.expiresSeconds;
  if (parts.sessionToken !== undefined && parts.sessionToken !== '') auth.sessionToken = parts.sessionToken;
  return { ok: true, auth };
}

/**
 * Whether `text` holds an upper-case ASCII letter, a space or a tab (`/[A-Z \t]/.test(text)`), by a scan
 * of its character codes: the signed header list is short, and the scan costs less than the regular
 * expression's call.
 */
function hasUpperCaseOrBlank(text: string): boolean {
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if ((c >= 0x41 && c <= 0x5a) || c === 0x20 || c === 0x09) return true;
  }
  return false;
}

function unsupported(algorithm: string, authType: AuthType): Failed {
  const what = algorithm === 'AWS4-ECDSA-P256-SHA256' ? ' (SigV4a)' : algorithm === 'AWS' ? ' (SigV2)' : '';
  return failed({
    code: 'UnsupportedAlgorithm',
    message: `unsupported signing algorithm \`${algorithm}\`${what}: only ${ALGORITHM} is supported`,
    algorithm,
    authType,
  });
}

function givenTwice(name: string): Failed {
  return malformed(HEADER, `the Authorization header gives \`${name}\` twice`);
}

function malformed(authType: AuthType, message: string): Failed {
  return failed({ code: 'MalformedAuthorization', message, authType });
}

function malformedCredential(
  authType: AuthType,
  parts: Parts,
  reason: 'shape' | 'date' | 'terminator',
  message: string,
): Failed {
  return failed({ code: 'MalformedCredential', message, credential: parts.credential, reason, authType });
}
