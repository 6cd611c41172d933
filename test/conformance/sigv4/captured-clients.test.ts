/**
 * The requests real AWS clients sent, byte for byte (AWS SDK for JavaScript v3, boto3 with and without the
 * CRT signer, aws-cli v2), as recorded in `docs/raw-requests.md` of the shared material beside the
 * repository, read in place and skipped, saying so, when it is absent. Every signed request must verify
 * at the time it was signed, with the capture's keys: the example key pair for the long-term requests,
 * the temporary key pair of the captured STS answer (§4) for the session-token ones.
 */
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { parseAmzDateTime } from '../../../src/sigv4/amz-date.js';
import { parseAuthorization } from '../../../src/sigv4/parse-authorization.js';
import type { SigV4Request } from '../../../src/sigv4/types.js';
import { verifyRequest } from '../../../src/sigv4/verify-request.js';
import { parseHttpMessage } from './http-message.js';

const repoRoot = fileURLToPath(new URL('../../../../', import.meta.url));
const DOC = path.resolve(repoRoot, '..', 'shared', 'docs', 'raw-requests.md');
const ABSENT = `the captured requests are not at ${DOC} (shared material beside the repository)`;

const SECRETS = new Map([
  ['AKIDEXAMPLE', 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY'],
  ['ASIACAPTURE000000001', 'capturesecretcapturesecretcapturesecret0'],
]);

interface Captured {
  readonly title: string;
  readonly request: SigV4Request;
}

/** The ```http blocks, titled by the section above them, and the `aws s3 presign` URL as a GET. */
function capturedRequests(markdown: string): Captured[] {
  const found: Captured[] = [];
  let title = '';
  const lines = markdown.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i] ?? '';
    if (line.startsWith('### ')) title = line.slice(4);
    if (line.startsWith('http://127.0.0.1:4599/')) {
      const url = new URL(line);
      found.push({
        title: `${title} (aws s3 presign URL)`,
        request: {
          method: 'GET',
          path: url.pathname,
          query: url.search.slice(1),
          headers: { host: url.host },
        },
      });
    }
    if (line !== '```http') continue;
    const block: string[] = [];
    for (i++; i < lines.length && lines[i] !== '```'; i++) block.push(lines[i] ?? '');
    const m = parseHttpMessage(block.join('\n'));
    // The capture shows bodies without their final newline when there was one (`hello\n`, 6 bytes).
    const length = Number(m.headers['content-length'] ?? m.headers['Content-Length'] ?? NaN);
    const body = Buffer.byteLength(m.body) + 1 === length ? `${m.body}\n` : m.body;
    found.push({
      title,
      request: { method: m.method, path: m.path, query: m.query, headers: m.headers, body },
    });
  }
  return found;
}

const present = existsSync(DOC);
const captured = present ? capturedRequests(readFileSync(DOC, 'utf8')) : [];

test('every signed request a real client sent verifies', { skip: present ? false : ABSENT }, (t) => {
  let signed = 0;
  let unsigned = 0;
  for (const { title, request } of captured) {
    const parsed = parseAuthorization(request.headers, request.query);
    if (!parsed.ok && parsed.failure.code === 'MissingAuthentication') {
      // AssumeRoleWithWebIdentity: sent unsigned by every client (key fact 2).
      assert.match(String(request.body), /^Action=AssumeRoleWithWebIdentity&/, title);
      unsigned++;
      continue;
    }
    assert.ok(parsed.ok, `${title}: ${parsed.ok ? '' : parsed.failure.message}`);
    const now = parseAmzDateTime(parsed.auth.dateTime) ?? NaN;
    const result = verifyRequest(request, { secretFor: (id) => SECRETS.get(id), now, auth: parsed.auth });
    assert.ok(result.ok, `${title}: ${result.ok ? '' : `${result.failure.code}: ${result.failure.message}`}`);
    signed++;
  }
  t.diagnostic(
    `${signed} signed requests verified, ${unsigned} unsigned AssumeRoleWithWebIdentity requests recognized`,
  );
  assert.ok(signed >= 25, `only ${signed} signed requests found in ${DOC}`);
});

test('the captures cover the forms the verifier must accept', { skip: present ? false : ABSENT }, () => {
  const verified = captured
    .map(({ title, request }) => ({
      title,
      request,
      parsed: parseAuthorization(request.headers, request.query),
    }))
    .filter((c) => c.parsed.ok);
  const results = verified.map(({ request, parsed }) => {
    assert.ok(parsed.ok);
    return verifyRequest(request, {
      secretFor: (id) => SECRETS.get(id),
      now: parsed.auth.requestTime,
      auth: parsed.auth,
    });
  });
  const ok = results.filter((r) => r.ok);
  // A presigned URL; an aws-chunked body; temporary credentials; the empty region s3-tests signs with.
  assert.ok(ok.some((r) => r.authType === 'REST-QUERY-STRING' && r.payloadHash === 'UNSIGNED-PAYLOAD'));
  assert.ok(ok.some((r) => r.payloadHash === 'STREAMING-UNSIGNED-PAYLOAD-TRAILER'));
  assert.ok(ok.some((r) => r.sessionToken === 'CAPTURESESSIONTOKEN' && r.sessionTokenSigned));
  assert.ok(ok.some((r) => r.region === '' && r.service === 'sts'));
  // boto3 signs STS and IAM without x-amz-content-sha256: the body's hash is what was signed.
  assert.ok(ok.some((r) => r.service === 'iam' && !r.signedHeaders.includes('x-amz-content-sha256')));
});

test(
  'a captured request a minute past its skew is refused as skewed',
  { skip: present ? false : ABSENT },
  () => {
    const first = captured.find(({ request }) => typeof request.headers['authorization'] === 'string');
    assert.ok(first !== undefined);
    const parsed = parseAuthorization(first.request.headers, first.request.query);
    assert.ok(parsed.ok);
    const result = verifyRequest(first.request, {
      secretFor: (id) => SECRETS.get(id),
      now: parsed.auth.requestTime + 16 * 60 * 1000,
    });
    assert.equal(result.ok ? 'ok' : result.failure.code, 'RequestTimeTooSkewed');
  },
);
