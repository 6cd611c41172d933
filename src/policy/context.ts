import { isoSecond } from '../shared/iso-second.js';
import type { ContextValue, Principal, RequestContext } from './types.js';

/**
 * The request context: condition keys and their values. Key names are case-insensitive (IAM User
 * Guide, "Condition"), so they are stored lower-cased; the tag-key part of `aws:ResourceTag/K` and the
 * like is lower-cased with them, which makes it case-insensitive as AWS documents.
 */

/**
 * Builds a context from plain values: strings; numbers and booleans as their text; arrays of those for
 * multivalued keys. Anything else (objects, null) is left out and reported in `problems`.
 */
export function buildContext(values: Readonly<Record<string, unknown>>, problems?: string[]): RequestContext {
  const ctx = new Map<string, ContextValue>();
  for (const [key, value] of Object.entries(values)) {
    const v = contextValue(value);
    if (v === undefined) {
      problems?.push(`context key \`${key}\` must be a string, number, boolean or an array of them`);
      continue;
    }
    const lower = key.toLowerCase();
    if (ctx.has(lower))
      problems?.push(`context key \`${key}\` is given twice (key names are case-insensitive)`);
    ctx.set(lower, v);
  }
  return ctx;
}

function contextValue(value: unknown): ContextValue | undefined {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (Array.isArray(value)) {
    const out: string[] = [];
    for (const item of value) {
      if (typeof item === 'string') out.push(item);
      else if (typeof item === 'number' || typeof item === 'boolean') out.push(String(item));
      else return undefined;
    }
    return out;
  }
  return undefined;
}

/**
 * The keys AWS sets for every request from this principal (IAM User Guide, "AWS global condition
 * context keys" and the principal-key table of "Policy variables"): `aws:PrincipalArn` (for a session,
 * the role's ARN with its path), `aws:PrincipalAccount`, `aws:PrincipalType`, `aws:userid`,
 * `aws:username` (IAM users only) and `aws:PrincipalIsAWSService`; plus `aws:CurrentTime` and
 * `aws:EpochTime` for the request time.
 */
export function derivedContext(
  principal: Principal,
  nowMs: number,
  times?: RequestTimeKeys,
): Map<string, ContextValue> {
  const ctx = new Map<string, ContextValue>();
  if (times !== undefined) times.setOn(ctx, nowMs);
  else setTimeKeys(ctx, nowMs);
  const set = (k: string, v: string | undefined) => {
    if (v !== undefined) ctx.set(k, v);
  };
  switch (principal.type) {
    case 'root':
      set('aws:principalarn', `arn:${principal.partition}:iam::${principal.account}:root`);
      set('aws:principalaccount', principal.account);
      set('aws:principaltype', 'Account');
      set('aws:userid', principal.account);
      set('aws:principalisawsservice', 'false');
      break;
    case 'user':
      set('aws:principalarn', principal.arn);
      set('aws:principalaccount', principal.account);
      set('aws:principaltype', 'User');
      set('aws:username', principal.name);
      set('aws:userid', principal.id);
      set('aws:principalisawsservice', 'false');
      break;
    case 'assumedRole':
      set('aws:principalarn', principal.roleArn);
      set('aws:principalaccount', principal.account);
      set('aws:principaltype', 'AssumedRole');
      set(
        'aws:userid',
        principal.roleId === undefined ? undefined : `${principal.roleId}:${principal.sessionName}`,
      );
      set('aws:principalisawsservice', 'false');
      break;
    case 'federatedUser':
      set('aws:principalarn', principal.arn);
      set('aws:principalaccount', principal.account);
      set('aws:principaltype', 'FederatedUser');
      set('aws:userid', `${principal.account}:${principal.name}`);
      set('aws:principalisawsservice', 'false');
      break;
    case 'service':
      set('aws:principalisawsservice', 'true');
      break;
    case 'anonymous':
      set('aws:principalaccount', 'anonymous');
      set('aws:principaltype', 'Anonymous');
      set('aws:userid', 'anonymous');
      break;
    case 'federated':
      break;
  }
  return ctx;
}

/** `aws:CurrentTime` (ISO 8601 to the second, as AWS sets it) and `aws:EpochTime` of `nowMs`. */
function setTimeKeys(ctx: Map<string, ContextValue>, nowMs: number): void {
  ctx.set('aws:currenttime', isoSecond(nowMs));
  ctx.set('aws:epochtime', String(Math.floor(nowMs / 1000)));
}

/** The largest time `Date` holds, in ms either side of the epoch (ECMA-262 §21.4.1.31 TimeClip). */
const MAX_TIME_MS = 8.64e15;

/**
 * The two time keys of `derivedContext`, formatted once per second: both depend on the whole second of
 * the request time only (the milliseconds are dropped), and `toISOString` is most of what
 * `derivedContext` costs. One instance belongs to whoever derives contexts request after request (an
 * action, a server); the values are exactly `derivedContext`'s without it (context.test.ts).
 */
export class RequestTimeKeys {
  #second = NaN;
  #currentTime = '';
  #epochTime = '';

  /** Sets `aws:currenttime` and `aws:epochtime` of `nowMs` on `ctx`. */
  setOn(ctx: Map<string, ContextValue>, nowMs: number): void {
    // A fractional time is formatted as derivedContext formats it: `Date` truncates it toward zero,
    // `aws:epochtime` floors it, and below zero the two can name different seconds. So is one beyond
    // `Date`'s range (±8.64e15 ms, ECMA-262 TimeClip), which throws, even within a second that starts
    // inside the range.
    if (!Number.isInteger(nowMs) || Math.abs(nowMs) > MAX_TIME_MS) return setTimeKeys(ctx, nowMs);
    const second = Math.floor(nowMs / 1000);
    if (second !== this.#second) {
      // A time toISOString refuses (NaN, out of range) throws here, as it does without the cache, and
      // caches nothing (NaN never equals the cached second).
      this.#currentTime = isoSecond(second * 1000);
      this.#epochTime = String(second);
      this.#second = second;
    }
    ctx.set('aws:currenttime', this.#currentTime);
    ctx.set('aws:epochtime', this.#epochTime);
  }
}

/** `base` with `overrides` on top: what a request states beats what is derived. */
export function mergeContext(
  base: ReadonlyMap<string, ContextValue>,
  overrides: RequestContext,
): RequestContext {
  const out = new Map(base);
  for (const [k, v] of overrides) out.set(k, v);
  return out;
}
