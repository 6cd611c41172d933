import type { PolicyDocument } from '../policy/ast.js';
import { parseTemplate } from '../policy/template.js';

/**
 * The context keys a set of policies reference, as GetContextKeysFor*Policy lists them: every condition
 * key and every policy variable (`${aws:username}` in a `Resource`), in document order, each named as
 * the first policy wrote it. AWS's example lists `aws:username` (a variable in `Resource`) before
 * `aws:CurrentTime` (a condition key) for a statement written in that order (AWS CLI reference,
 * get-context-keys-for-custom-policy). Names are case-insensitive, so a key is listed once.
 * ⚠ Which spelling AWS keeps when two policies spell a key differently is unconfirmed: we keep the first.
 */
export function contextKeysOf(documents: readonly (PolicyDocument | undefined)[]): string[] {
  const seen = new Set<string>();
  const out: string[] = [];
  const add = (name: string) => {
    const lower = name.toLowerCase();
    if (seen.has(lower)) return;
    seen.add(lower);
    out.push(name);
  };
  for (const doc of documents) {
    if (doc === undefined) continue;
    // Variables exist only under Version 2012-10-17 (IAM User Guide, "Policy variables").
    const variables = doc.version?.text === '2012-10-17';
    const addVariables = (text: string) => {
      if (!variables) return;
      for (const part of parseTemplate(text, true).template.parts) if (part.kind === 'var') add(part.name);
    };
    for (const s of doc.statements) {
      for (const v of s.resource?.values ?? []) addVariables(v.text);
      for (const v of s.notResource?.values ?? []) addVariables(v.text);
      for (const c of s.condition ?? []) {
        add(c.key);
        for (const v of c.values.values) addVariables(v.text);
      }
    }
  }
  return out;
}
