import type { Clock } from '../shared/clock.js';

/**
 * A token bucket: `burst` tokens, refilled at `perSecond`. The webhook's direct service-account GETs
 * take one each, at amazon-eks-pod-identity-webhook's rate (cache.go: 10 per second, burst 20), so a
 * burst of pods whose service account the cache lacks cannot flood the API server.
 */
export class TokenBucket {
  private tokens: number;
  private last: number;

  constructor(
    private readonly perSecond: number,
    private readonly burst: number,
    private readonly clock: Clock,
  ) {
    this.tokens = burst;
    this.last = clock.now();
  }

  /** Takes a token when one is left; `false` (nothing taken) otherwise. */
  take(): boolean {
    const now = this.clock.now();
    // A clock that steps back refills nothing.
    const elapsed = Math.max(0, now - this.last);
    this.last = now;
    this.tokens = Math.min(this.burst, this.tokens + (elapsed * this.perSecond) / 1000);
    if (this.tokens < 1) return false;
    this.tokens -= 1;
    return true;
  }
}
