import type { SealedSession } from '../sts/session-token.js';

/**
 * Session tokens this server has opened, by token text (DESIGN.md, "Session credentials": the server
 * decrypts the token on each request, cached). The same credentials sign request after request, and
 * opening a token costs an AES-GCM decryption and a strict JSON parse. Only tokens that opened are kept;
 * a token's text determines its context, and expiry is checked on every request after the signature,
 * cached or not. Bounded: past `max`, the oldest entry goes.
 */
export class OpenedSessions {
  private readonly sessions = new Map<string, SealedSession>();

  constructor(private readonly max = 10_000) {}

  get(token: string): SealedSession | undefined {
    return this.sessions.get(token);
  }

  set(token: string, context: SealedSession): void {
    if (this.sessions.size >= this.max && !this.sessions.has(token)) {
      const oldest = this.sessions.keys().next();
      if (oldest.done !== true) this.sessions.delete(oldest.value);
    }
    this.sessions.set(token, context);
  }

  get size(): number {
    return this.sessions.size;
  }
}
