import { randomBytes, randomFillSync, randomUUID } from 'node:crypto';

/**
 * Identifier generators, injected like the clock. IAM unique ids are a four-letter prefix that names the
 * kind of entity, then 17 characters of base32 (upper-case letters and digits 2-7), as AWS issues them
 * (IAM User Guide, "Unique identifiers": AIDA user, AROA role, AKIA access key, ASIA temporary key, ANPA
 * managed policy, AGPA group, AIPA instance profile).
 */
export type UniqueIdPrefix = 'AIDA' | 'AROA' | 'AKIA' | 'ASIA' | 'ANPA' | 'AGPA' | 'AIPA';

export interface IdGenerator {
  /** A request id in AWS's UUID form. */
  requestId(): string;
  /** An IAM unique id such as `AROA2EXAMPLE4JQ7DNEWO`. */
  uniqueId(prefix: UniqueIdPrefix): string;
  /** `n` random bytes, for secrets and keys. */
  bytes(n: number): Buffer;
}

const BASE32 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';

export const randomIds: IdGenerator = {
  requestId: () => randomUUID(),
  uniqueId: (prefix) => prefix + base32(randomBytes(17)),
  bytes: (n) => randomBytes(n),
};

/**
 * `randomIds` with `bytes` (and so `uniqueId`) served from a pool of random bytes that one
 * `randomFillSync` call refills when it runs out: a session's key id and secret cost a copy instead of
 * two calls into the CSPRNG each. The pool belongs to the generator (the server that owns it), never
 * to the module. Bytes handed out are copied, then zeroed in the pool, so no byte is ever served
 * twice and a served secret does not linger there. A request larger than the pool gets its own bytes.
 */
export function pooledRandomIds(poolBytes = 4096): IdGenerator {
  if (!Number.isInteger(poolBytes) || poolBytes < 1)
    throw new TypeError('poolBytes must be a positive integer');
  const pool = Buffer.alloc(poolBytes);
  let at = poolBytes;
  const bytes = (n: number): Buffer => {
    // randomBytes checks n (throws for negative or fractional sizes): the pool must never step back.
    if (!Number.isInteger(n) || n < 0 || n > poolBytes) return randomBytes(n);
    if (at + n > poolBytes) {
      randomFillSync(pool);
      at = 0;
    }
    const out = Buffer.from(pool.subarray(at, at + n));
    pool.fill(0, at, at + n);
    at += n;
    return out;
  };
  return {
    requestId: () => randomUUID(),
    uniqueId: (prefix) => prefix + base32(bytes(17)),
    bytes,
  };
}

/** Deterministic ids for tests: every value is a function of a counter. */
export function sequentialIds(seed = 0): IdGenerator {
  let n = seed;
  const next = () => ++n;
  return {
    requestId: () => {
      const hex = next().toString(16).padStart(12, '0');
      return `00000000-0000-4000-8000-${hex}`;
    },
    uniqueId: (prefix) => prefix + next().toString(32).toUpperCase().padStart(17, 'A').slice(-17),
    bytes: (len) => {
      const b = Buffer.alloc(len);
      let x = next();
      for (let i = 0; i < len; i++) {
        x = (x * 1103515245 + 12345) >>> 0;
        b[i] = x >>> 24;
      }
      return b;
    },
  };
}

function base32(bytes: Uint8Array): string {
  let out = '';
  for (const b of bytes) out += BASE32[b & 31];
  return out;
}
