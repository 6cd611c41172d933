import { readdir, readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { parseManifestFile, type ParsedFile } from './manifests.js';

const MANIFEST_FILE = /\.(ya?ml|json)$/i;

/**
 * Reads manifests from files and directories (directories recursively, files ending in .yaml, .yml or
 * .json, in name order, as `kubectl apply -R -f` would). Each file is judged on its own: a file with an
 * error contributes nothing, the others still load.
 */
export async function loadManifestPaths(paths: readonly string[]): Promise<ParsedFile[]> {
  const files: string[] = [];
  for (const p of paths) files.push(...(await expand(p)));
  const out: ParsedFile[] = [];
  for (const file of files) out.push(parseManifestFile(await readFile(file, 'utf8'), file));
  return out;
}

/** A manifest file's path and content, as `openirsa apply` sends it to the server. */
export interface ManifestSource {
  readonly path: string;
  readonly text: string;
}

/** Reads the manifest files under `paths` (expanded as `loadManifestPaths` does), unparsed. */
export async function readManifestSources(paths: readonly string[]): Promise<ManifestSource[]> {
  const out: ManifestSource[] = [];
  for (const p of paths)
    for (const file of await expand(p)) out.push({ path: file, text: await readFile(file, 'utf8') });
  return out;
}

async function expand(path: string): Promise<string[]> {
  const s = await stat(path);
  if (!s.isDirectory()) return [path];
  const out: string[] = [];
  for (const entry of (await readdir(path, { withFileTypes: true })).sort((a, b) =>
    a.name.localeCompare(b.name),
  )) {
    const child = join(path, entry.name);
    if (entry.isDirectory()) out.push(...(await expand(child)));
    else if (MANIFEST_FILE.test(entry.name)) out.push(child);
  }
  return out;
}
