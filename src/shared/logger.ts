import type { Clock } from './clock.js';

/** `info` is what an operator reads in passing; `warn` and `error` want attention. */
export type LogLevel = 'info' | 'warn' | 'error';

/** `text` for people (today's friendly lines), `json` for machines (one object a line). */
export type LogFormat = 'text' | 'json';

export const LOG_FORMATS: readonly LogFormat[] = ['text', 'json'];

/** Structured fields of a log line: request ids, error codes, paths, counts. Never a secret. */
export type LogFields = Readonly<Record<string, unknown>>;

/**
 * Where the server and the long-running commands (`up`, `webhook`) write every log line. One instance,
 * made by the command and passed down; nothing is kept in module state.
 *
 * `msg` is a short, stable event name-like sentence; `fields` carry the details. `text`, when given, is
 * the complete line (or lines) the text format prints instead of `msg` and the fields: the friendly
 * rendering people read; the json format ignores it.
 */
export interface Logger {
  info(msg: string, fields?: LogFields, text?: string): void;
  warn(msg: string, fields?: LogFields, text?: string): void;
  error(msg: string, fields?: LogFields, text?: string): void;
}

/** Where the lines go: `info` on stdout, `warn` and `error` on stderr, in both formats. */
export interface LogOutput {
  readonly stdout: (text: string) => void;
  readonly stderr: (text: string) => void;
}

/** Keys whose values are secrets whatever they hold (compared case-insensitively). */
const SECRET_KEYS = new Set([
  'secretaccesskey',
  'sessiontoken',
  'securitytoken',
  'token',
  'webidentitytoken',
  'password',
  'authorization',
  'privatekey',
  'signature',
]);

/** A JWT (JWS compact serialization: three base64url parts, the header a JSON object, so `eyJ`). */
const JWT = /eyJ[A-Za-z0-9_-]{2,}\.[A-Za-z0-9_-]{2,}\.[A-Za-z0-9_-]*/g;

/** Nested fields deeper than this are cut: a log line stays bounded. */
const MAX_DEPTH = 6;
/** Longest string kept in a field; the rest is cut with a marker. */
const MAX_STRING = 8192;
const REDACTED = '[redacted]';

/** `text` or `json` from a flag or an environment variable; `undefined` for anything else. */
export function parseLogFormat(value: string): LogFormat | undefined {
  return LOG_FORMATS.find((f) => f === value);
}

/** The logger of a command: `format` decides the rendering, `clock` the `time` of json lines. */
export function createLogger(format: LogFormat, out: LogOutput, clock: Clock): Logger {
  const write = (level: LogLevel, msg: string, fields: LogFields | undefined, text: string | undefined) => {
    const line = format === 'json' ? jsonLine(level, msg, fields, clock) : textLine(level, msg, fields, text);
    if (level === 'info') out.stdout(line);
    else out.stderr(line);
  };
  return {
    info: (msg, fields, text) => write('info', msg, fields, text),
    warn: (msg, fields, text) => write('warn', msg, fields, text),
    error: (msg, fields, text) => write('error', msg, fields, text),
  };
}

/** One JSON object: `time` (RFC 3339, UTC), `level`, `msg`, then the fields (a clash gets a `_`). */
function jsonLine(level: LogLevel, msg: string, fields: LogFields | undefined, clock: Clock): string {
  const record: Record<string, unknown> = {
    time: new Date(clock.now()).toISOString(),
    level,
    msg: redactString(msg),
  };
  for (const [key, value] of Object.entries(fields ?? {})) {
    let name = key;
    while (name in record) name = `_${name}`;
    record[name] = safeValue(key, value, 0);
  }
  return `${JSON.stringify(record)}\n`;
}

/** The caller's friendly text, else `openirsa: [warning: ]msg key=value ...`. */
function textLine(
  level: LogLevel,
  msg: string,
  fields: LogFields | undefined,
  text: string | undefined,
): string {
  if (text !== undefined) return `${redactString(text)}\n`;
  const parts = [`openirsa: ${level === 'warn' ? 'warning: ' : ''}${redactString(msg)}`];
  for (const [key, value] of Object.entries(fields ?? {})) {
    const safe = safeValue(key, value, 0);
    if (safe === undefined) continue;
    const shown = typeof safe === 'string' ? safe : JSON.stringify(safe);
    parts.push(`${key}=${shown === '' || /[\s"=]/.test(shown) ? JSON.stringify(shown) : shown}`);
  }
  return `${parts.join(' ')}\n`;
}

/**
 * A JSON-safe copy of a field value with secrets removed: values under a secret key become
 * `[redacted]`, JWTs inside strings too; errors become their message (and stack); depth and string
 * length are bounded.
 */
function safeValue(key: string, value: unknown, depth: number): unknown {
  if (SECRET_KEYS.has(key.toLowerCase())) return REDACTED;
  if (typeof value === 'string') return redactString(value);
  if (typeof value === 'number' || typeof value === 'boolean' || value === null) return value;
  if (typeof value === 'bigint') return value.toString();
  if (value === undefined || typeof value === 'function' || typeof value === 'symbol') return undefined;
  if (depth >= MAX_DEPTH) return '[too deep]';
  if (value instanceof Error) return redactString(value.stack ?? value.message);
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? null : value.toISOString();
  if (Array.isArray(value)) return value.map((v: unknown) => safeValue('', v, depth + 1) ?? null);
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) {
    const safe = safeValue(k, v, depth + 1);
    if (safe !== undefined) out[k] = safe;
  }
  return out;
}

function redactString(value: string): string {
  // Redacted before the cut, so that a cut never leaves the start of a token behind.
  const redacted = value.replace(JWT, '[redacted JWT]');
  return redacted.length > MAX_STRING ? `${redacted.slice(0, MAX_STRING)}...[cut]` : redacted;
}
