import type { Clock } from '../shared/clock.js';
import type { IdGenerator } from '../shared/ids.js';
import type { SealingKey, SealingKeyStore } from '../store/sealing-keys.js';

/**
 * The server's session-token sealing keys (DESIGN.md, "Session credentials"), read from the store and
 * held by this instance: a token names its key id, and `get` finds it without a store round trip
 * after the first time. The first `current()` on an empty store creates a key.
 */
export class SealingKeyRing {
  private readonly byId = new Map<string, SealingKey>();
  private currentKey: Promise<SealingKey> | undefined;

  constructor(
    private readonly store: SealingKeyStore,
    private readonly clock: Clock,
    private readonly ids: IdGenerator,
  ) {}

  /** The key that seals new sessions: the newest one not retired, created when there is none. */
  current(): Promise<SealingKey> {
    this.currentKey ??= ensureSealingKey(this.store, this.clock, this.ids).then(
      (key) => {
        this.byId.set(key.id, key);
        return key;
      },
      (error: unknown) => {
        this.currentKey = undefined;
        throw error;
      },
    );
    return this.currentKey;
  }

  /** The key with this id, retired or not, or `undefined`. */
  async get(id: string): Promise<SealingKey | undefined> {
    const hit = this.byId.get(id);
    if (hit !== undefined) return hit;
    const key = await this.store.get(id);
    if (key !== undefined) this.byId.set(id, key);
    return key;
  }
}

/** Returns the newest active sealing key, creating one (32 random bytes) when there is none. */
export async function ensureSealingKey(
  store: SealingKeyStore,
  clock: Clock,
  ids: IdGenerator,
): Promise<SealingKey> {
  const active = (await store.list()).filter((k) => k.retiredAt === undefined);
  const newest = active[active.length - 1];
  if (newest !== undefined) return newest;
  return store.create({
    id: `sk-${ids.bytes(8).toString('hex')}`,
    key: ids.bytes(32),
    createdAt: clock.now(),
  });
}
