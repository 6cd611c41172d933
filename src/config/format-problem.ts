import type { ManifestProblem } from './manifests.js';

/**
 * One line for a manifest problem: `file: document N: field: message`, N counted from 1 as people
 * count documents (the first document of a file is `document 1`); warnings say so.
 */
export function formatManifestProblem(p: ManifestProblem): string {
  const where = p.path === '' ? '' : `${p.path}: `;
  const severity = p.severity === 'warning' ? 'warning: ' : '';
  return `${p.file}: document ${p.documentIndex + 1}: ${where}${severity}${p.message}`;
}
