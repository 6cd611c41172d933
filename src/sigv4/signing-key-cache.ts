import { hmacPads, signatureWithPads, type HmacPads } from './signature.js';
import { deriveSigningKey } from './signing-key.js';

/**
 * Signing keys by (secret, date, region, service). A key is valid for one day, so a server verifying many
 * requests of the same callers derives each key once a day instead of four HMACs per request (DESIGN.md,
 * performance budget). Bounded: past `maxEntries`, the least recently used key is dropped. The server
 * creates and owns the instance; nothing is shared between instances.
 *
 * The cache holds secrets (in its keys) and signing keys: it is never serialized or logged.
 */
export class SigningKeyCache {
  private readonly entries = new Map<string, Buffer>();
  /** The HMAC pads of keys handed out (`signature`). */
  private readonly pads = new WeakMap<Buffer, HmacPads>();
  /**
   * The key handed out last and what it was for: the same caller signing request after request is
   * answered without building the Map key or moving the entry (it is the most recent one already).
   */
  private last: { secret: string; date: string; region: string; service: string; key: Buffer } | undefined;

  constructor(private readonly maxEntries = 1024) {
    if (!Number.isInteger(maxEntries) || maxEntries < 1) {
      throw new TypeError(`maxEntries must be a positive integer, got ${String(maxEntries)}`);
    }
  }

  /** The signing key for the scope, derived on a miss. */
  get(secretAccessKey: string, date: string, region: string, service: string): Buffer {
    const last = this.last;
    if (
      last !== undefined &&
      last.secret === secretAccessKey &&
      last.date === date &&
      last.region === region &&
      last.service === service
    ) {
      return last.key;
    }
    const key = this.lookup(secretAccessKey, date, region, service);
    this.last = { secret: secretAccessKey, date, region, service, key };
    return key;
  }

  private lookup(secretAccessKey: string, date: string, region: string, service: string): Buffer {
    // Length prefixes make the key unambiguous whatever the parts contain.
    const key = `${date.length}:${date}${region.length}:${region}${service.length}:${service}${secretAccessKey}`;
    const hit = this.entries.get(key);
    if (hit !== undefined) {
      // Refresh: Map iteration order is insertion order, so the first key is the least recently used.
      this.entries.delete(key);
      this.entries.set(key, hit);
      return hit;
    }
    const derived = deriveSigningKey(secretAccessKey, date, region, service);
    this.entries.set(key, derived);
    if (this.entries.size > this.maxEntries) {
      const oldest = this.entries.keys().next();
      if (oldest.done !== true) this.entries.delete(oldest.value);
    }
    return derived;
  }

  /**
   * `computeSignature(key, stringToSign)` for a key this cache handed out, with the key's HMAC pads made
   * once and kept beside it (weakly: a key the cache drops takes its pads with it).
   */
  signature(key: Buffer, stringToSign: string): string {
    let pads = this.pads.get(key);
    if (pads === undefined) {
      pads = hmacPads(key);
      this.pads.set(key, pads);
    }
    return signatureWithPads(pads, stringToSign);
  }

  /** How many keys are held. */
  get size(): number {
    return this.entries.size;
  }

  /** Drops every key, e.g. after a secret was rotated or deleted. */
  clear(): void {
    this.entries.clear();
    this.last = undefined;
  }
}
