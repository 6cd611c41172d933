/**
 * Reads simulation requests: one JSON value (an object, or an array of objects), or JSON Lines. A line
 * that does not parse yields an error entry in its place, so results stay aligned with the input.
 */
export type RequestEntry =
  { readonly ok: true; readonly value: unknown } | { readonly ok: false; readonly error: string };

export function readRequests(text: string): RequestEntry[] {
  const trimmed = text.trim();
  if (trimmed === '') return [];
  try {
    const whole: unknown = JSON.parse(trimmed);
    if (Array.isArray(whole)) return whole.map((value: unknown) => ({ ok: true, value }));
    return [{ ok: true, value: whole }];
  } catch {
    // Not one JSON value: JSON Lines.
  }
  const out: RequestEntry[] = [];
  text.split(/\r?\n/).forEach((line, i) => {
    if (line.trim() === '') return;
    try {
      out.push({ ok: true, value: JSON.parse(line) as unknown });
    } catch (e) {
      out.push({
        ok: false,
        error: `line ${i + 1} is not valid JSON: ${e instanceof Error ? e.message : String(e)}`,
      });
    }
  });
  return out;
}
