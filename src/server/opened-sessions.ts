import type { SealedSession } from '../sts/session-token.js';

/**
 * Session tokens this server has opened, by token text (DESIGN.md, "Session credentials": the server
 * decrypts the token on each request, cached). The same credentials sign request after request, and
 * opening a token costs an AES-GCM decryption and a strict JSON parse. Only tokens that opened are kept;
 * a token's text determines its context, and expiry is checked on every request after the signature,
 * cached or not. Bounded: past `max`, the oldest entry goes.
 *
 * The Map is keyed by the token's last `KEY_CHARS` characters, and an entry answers only a token equal
 * to the one it holds, in full. Keyed by the whole text, each lookup hashed the ~1 KB token that the
 * request had just brought (a new string every time): 5.9 µs a lookup, against 0.5 µs for the suffix
 * and the comparison (node /tmp/h2/os.mjs). A token ends in AES-GCM ciphertext under a fresh IV, so
 * suffixes do not repeat by chance; two tokens made to share one simply take turns in the entry.
 */
export class OpenedSessions {
  private readonly sessions = new Map<string, { readonly token: string; readonly context: SealedSession }>();

  constructor(private readonly max = 10_000) {}

  get(token: string): SealedSession | undefined {
    const entry = this.sessions.get(keyOf(token));
    return entry !== undefined && entry.token === token ? entry.context : undefined;
  }

  set(token: string, context: SealedSession): void {
    const key = keyOf(token);
    if (this.sessions.size >= this.max && !this.sessions.has(key)) {
      const oldest = this.sessions.keys().next();
      if (oldest.done !== true) this.sessions.delete(oldest.value);
    }
    this.sessions.set(key, { token, context });
  }

  get size(): number {
    return this.sessions.size;
  }
}

/** How many of a token's last characters key its entry. */
const KEY_CHARS = 32;

function keyOf(token: string): string {
  return token.length <= KEY_CHARS ? token : token.slice(-KEY_CHARS);
}
