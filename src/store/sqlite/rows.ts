import { alreadyExists, type StoreEntity } from '../errors.js';
import { prefixEnd } from '../objects.js';
import type { Tag } from '../types.js';

/** JSON columns are TEXT; these read them back. */
export function parseTags(text: string): readonly Tag[] {
  return JSON.parse(text) as Tag[];
}

/** A JSON list of strings (client ids, thumbprints). */
export function parseStrings(text: string): readonly string[] {
  return JSON.parse(text) as string[];
}

/** Tags are stored as `[{key, value}]` with exactly those members, whatever else the caller's objects hold. */
export function tagsText(tags: readonly Tag[] | undefined): string {
  return JSON.stringify((tags ?? []).map((t) => ({ key: t.key, value: t.value })));
}

/** `{ [name]: value }` when the column is not NULL, `{}` otherwise: optional members stay absent. */
export function optional<K extends string, V>(name: K, value: V | null): { [P in K]?: V } {
  return (value === null ? {} : { [name]: value }) as { [P in K]?: V };
}

/**
 * Turns a unique-constraint violation into `alreadyExists`: the explicit checks before each insert name
 * the usual collision; this covers the rest (an id the caller generated twice).
 */
export function mapConflict<T>(entity: StoreEntity, key: string, where: string, work: () => T): T {
  try {
    return work();
  } catch (error) {
    if (isUniqueViolation(error)) throw alreadyExists(entity, key, where);
    throw error;
  }
}

function isUniqueViolation(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return code === 'SQLITE_CONSTRAINT_PRIMARYKEY' || code === 'SQLITE_CONSTRAINT_UNIQUE';
}

/** "account `111122223333`", the `where` of store messages. */
export function inAccount(accountId: string): string {
  return `account \`${accountId}\``;
}

/**
 * Narrows a WHERE under construction to keys starting with `prefix`, as a range of `column` (from the
 * prefix to its end, `prefixEnd`) so the (bucket, key) index is scanned, never filtered. `''` adds nothing.
 */
export function wherePrefix(
  column: string,
  prefix: string,
  where: string[],
  args: (string | number)[],
): void {
  if (prefix === '') return;
  where.push(`${column} >= ?`);
  args.push(prefix);
  const end = prefixEnd(prefix);
  if (end !== undefined) {
    where.push(`${column} < ?`);
    args.push(end);
  }
}
