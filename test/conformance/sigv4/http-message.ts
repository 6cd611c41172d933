/**
 * Reads the HTTP/1.1 request texts of the AWS signing test suites (`.req`, `.sreq`, `request.txt`,
 * `*-signed-request.txt`) into the shape `verifyRequest` takes. The texts are not wire-exact: paths and
 * values may hold raw spaces and UTF-8, header lines may be obs-folded (a continuation line starts with
 * white space) and a header may repeat. So the parser keeps everything raw: the target as written, values
 * as written after the colon, folded lines joined with `\n`, repeats as arrays in order.
 */
import type { HttpHeaders } from '../../../src/sigv4/types.js';

export interface HttpMessage {
  readonly method: string;
  readonly path: string;
  readonly query: string;
  readonly headers: HttpHeaders;
  readonly body: string;
}

export function parseHttpMessage(text: string): HttpMessage {
  const lines = text.split(/\r?\n/);
  const requestLine = lines[0] ?? '';
  const firstSpace = requestLine.indexOf(' ');
  const version = requestLine.lastIndexOf(' HTTP/');
  if (firstSpace < 0 || version <= firstSpace) throw new Error(`not an HTTP request line: ${requestLine}`);
  const method = requestLine.slice(0, firstSpace);
  const target = requestLine.slice(firstSpace + 1, version);
  const q = target.indexOf('?');
  const path = q < 0 ? target : target.slice(0, q);
  const query = q < 0 ? '' : target.slice(q + 1);

  const headers: Record<string, string | string[]> = {};
  let last: string | undefined;
  let i = 1;
  for (; i < lines.length; i++) {
    const line = lines[i] ?? '';
    if (line === '') break;
    if (/^[ \t]/.test(line) && last !== undefined) {
      const current = headers[last];
      if (Array.isArray(current)) current[current.length - 1] += `\n${line}`;
      else headers[last] = `${current ?? ''}\n${line}`;
      continue;
    }
    const colon = line.indexOf(':');
    if (colon < 0) throw new Error(`not a header line: ${line}`);
    const name = line.slice(0, colon).toLowerCase();
    const value = line.slice(colon + 1);
    const existing = headers[name];
    if (existing === undefined) headers[name] = value;
    else if (Array.isArray(existing)) existing.push(value);
    else headers[name] = [existing, value];
    last = name;
  }
  const body = lines.slice(i + 1).join('\n');
  return { method, path, query, headers, body };
}
