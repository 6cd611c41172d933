/**
 * The one error type that crosses a service boundary. Its `code` is the exact AWS wire code, so the wire
 * encoders never translate names. Pure modules (`policy/`, `sigv4/`) never throw it: they return typed
 * failures, and the service that calls them decides which AwsError to raise.
 */
export type Fault = 'Sender' | 'Receiver';

/** Extra members some protocols put beside `Code` and `Message` (S3's `Key`, `BucketName`, ...). */
export type ErrorFields = Readonly<Record<string, string>>;

export class AwsError extends Error {
  override readonly name = 'AwsError';
  readonly code: string;
  readonly status: number;
  readonly fault: Fault;
  readonly fields: ErrorFields;

  constructor(
    code: string,
    status: number,
    message: string,
    options: { fault?: Fault; fields?: ErrorFields } = {},
  ) {
    super(message);
    this.code = code;
    this.status = status;
    this.fault = options.fault ?? (status >= 500 ? 'Receiver' : 'Sender');
    this.fields = options.fields ?? {};
  }
}

/** One entry of a service's error catalogue: the wire code with its HTTP status. */
export interface ErrorSpec {
  readonly status: number;
  readonly fault?: Fault;
}

/**
 * Builds a typed error factory from a catalogue kept as data, so that a code is a literal union the
 * compiler checks: `const stsError = errorCatalogue({ ExpiredTokenException: { status: 400 } })`, then
 * `stsError('ExpiredTokenException', 'Token expired: ...')`.
 */
export function errorCatalogue<const C extends Record<string, ErrorSpec>>(catalogue: C) {
  return (code: keyof C & string, message: string, fields?: ErrorFields): AwsError => {
    const spec = catalogue[code];
    // INVARIANT: `code` is a key of the catalogue (the type says so); the fallback only guards casts.
    const status = spec?.status ?? 500;
    return new AwsError(code, status, message, {
      ...(spec?.fault ? { fault: spec.fault } : {}),
      ...(fields ? { fields } : {}),
    });
  };
}

/** An unimplemented operation says so, as AWS-compatible services do (501 InternalFailure). */
export function notImplemented(service: string, action: string): AwsError {
  return new AwsError('InternalFailure', 501, `${service}.${action} is not implemented`, {
    fault: 'Receiver',
  });
}
