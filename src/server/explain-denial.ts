import { AwsError } from '../shared/aws-error.js';

/**
 * The longest explanation appended to a wire message. Explanations name statements and condition
 * values of the caller's own policies; a huge policy must not make a huge error body.
 */
export const MAX_EXPLANATION_CHARS = 2000;

/** What marks openirsa's text inside an AWS message, so scripts can cut it off again. */
export const EXPLANATION_MARKER = ' (openirsa: ';

/**
 * The AccessDenied message with the explanation appended (`openirsa up --explain-denials`), in one
 * stable format: `<AWS's message> (openirsa: <explanation>)`. The explanation is the multi-line text
 * `openirsa explain` prints (policy/explain.ts), folded onto one line: its lines trimmed and joined with
 * `; ` (a line ending in `:` joins the next with a space), without its `aws: ` line, which only repeats
 * the message it follows; so a client that prints the message on one line shows all of it. Longer than
 * `MAX_EXPLANATION_CHARS`, it is cut and ends with `...`. AWS's own text always comes first, unchanged.
 */
export function explainedMessage(message: string, explanation: string): string {
  const lines = explanation
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line !== '' && !line.startsWith('aws: '));
  const folded = lines.reduce(
    (out, line, i) => (i === 0 ? line : `${out}${out.endsWith(':') ? ' ' : '; '}${line}`),
    '',
  );
  if (folded === '') return message;
  const cut =
    folded.length > MAX_EXPLANATION_CHARS ? `${folded.slice(0, MAX_EXPLANATION_CHARS - 3)}...` : folded;
  return `${message}${EXPLANATION_MARKER}${cut})`;
}

/**
 * `error` with the explanation appended when it is an AccessDenied and there is one; any other error,
 * or no explanation, comes back as it was. Code, status, fault and extra fields stay AWS's. Made for
 * every service's authorize step (IAM and STS now, S3 later).
 */
export function explainDenial(error: unknown, explanation: string | undefined): unknown {
  if (!(error instanceof AwsError) || error.code !== 'AccessDenied' || explanation === undefined) {
    return error;
  }
  return new AwsError(error.code, error.status, explainedMessage(error.message, explanation), {
    fault: error.fault,
    fields: error.fields,
  });
}
