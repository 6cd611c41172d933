import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { Harness } from './harness.js';
import { xmlText } from './harness.js';

/** Starts an upload and returns its id. */
export async function createUpload(
  h: Harness,
  bucket: string,
  key: string,
  headers: Record<string, string> = {},
): Promise<string> {
  const r = await h.call({ method: 'POST', bucket, key, query: { uploads: '' }, headers });
  if (r.status !== 200) throw new Error(`CreateMultipartUpload answered ${r.status}: ${r.body}`);
  const id = xmlText(r.body, 'UploadId');
  if (id === undefined) throw new Error('no UploadId');
  return id;
}

/** Uploads one part and returns its ETag. */
export async function putPart(
  h: Harness,
  bucket: string,
  key: string,
  uploadId: string,
  partNumber: number,
  body: Buffer,
  headers: Record<string, string> = {},
): Promise<string> {
  const r = await h.call({
    method: 'PUT',
    bucket,
    key,
    query: { partNumber: String(partNumber), uploadId },
    body,
    headers,
  });
  if (r.status !== 200) throw new Error(`UploadPart answered ${r.status}: ${r.body}`);
  return r.headers.ETag ?? '';
}

/** A CompleteMultipartUpload body. */
export function completeXml(parts: readonly { n: number; etag: string; extra?: string }[]): string {
  return `<CompleteMultipartUpload>${parts
    .map((p) => `<Part><PartNumber>${p.n}</PartNumber><ETag>${p.etag}</ETag>${p.extra ?? ''}</Part>`)
    .join('')}</CompleteMultipartUpload>`;
}

/** Every blob file under the blob root (temporary files excluded). */
export function blobFiles(root: string): string[] {
  const out: string[] = [];
  const walk = (dir: string) => {
    let names: string[];
    try {
      names = readdirSync(dir);
    } catch {
      return;
    }
    for (const name of names) {
      const path = join(dir, name);
      if (name === 'tmp') continue;
      if (statSync(path).isDirectory()) walk(path);
      else out.push(name);
    }
  };
  walk(root);
  return out;
}
