import { chmod, mkdtemp, rename, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** A minted token and when it expires (the TokenRequest `status.expirationTimestamp`), in ms. */
export interface MintedToken {
  readonly token: string;
  readonly expiresAt: number;
}

/** The kubelet rotates at 80 % of the token's lifetime, or after 24 hours (irsa-wire.md §1.5). */
export const ROTATE_AT_FRACTION = 0.8;
export const ROTATE_AT_MOST_AFTER_MS = 24 * 3600 * 1000;
/** After a failed refresh the old token stays and the refresh is retried this much later. */
export const RETRY_AFTER_MS = 10_000;

/** When the kubelet would rewrite a token minted at `issuedAt` that expires at `expiresAt`. */
export function rotationDelayMs(issuedAt: number, expiresAt: number): number {
  return Math.max(0, Math.min((expiresAt - issuedAt) * ROTATE_AT_FRACTION, ROTATE_AT_MOST_AFTER_MS));
}

export interface TokenFileDeps {
  readonly mint: () => Promise<MintedToken>;
  readonly now: () => number;
  /** Reports a failed refresh; never given the token. */
  readonly warn: (message: string) => void;
  /**
   * Test-only: rewrite the file this often instead of at 80 % of its lifetime. The token's lifetime is
   * unchanged (at least 600 s, as TokenRequest requires); only the rewrite comes sooner.
   */
  readonly rotateEveryMs?: number;
}

/**
 * The projected token volume of one pod, played on the local file system: a private directory (0700)
 * holding `token` (0600), rewritten atomically (a temporary file, then `rename`) before it expires, as
 * the kubelet does. Clients re-read the file when they refresh, so a rename is never seen half written.
 */
export class TokenFile {
  private timer: NodeJS.Timeout | undefined;
  private stopped = false;
  private writes = 0;

  private constructor(
    readonly dir: string,
    private readonly deps: TokenFileDeps,
  ) {}

  /** Writes the first token into `dir` (see `createPrivateDir`) and schedules its rotation. */
  static async create(dir: string, deps: TokenFileDeps): Promise<TokenFile> {
    const file = new TokenFile(dir, deps);
    await file.refresh();
    return file;
  }

  /** The token file: the value of AWS_WEB_IDENTITY_TOKEN_FILE. */
  get path(): string {
    return join(this.dir, 'token');
  }

  private async refresh(): Promise<void> {
    const issuedAt = this.deps.now();
    const minted = await this.deps.mint();
    const tmp = join(this.dir, `.token.${++this.writes}.tmp`);
    await writeFile(tmp, minted.token, { mode: 0o600, flag: 'wx' });
    await rename(tmp, this.path);
    this.schedule(this.deps.rotateEveryMs ?? rotationDelayMs(issuedAt, minted.expiresAt));
  }

  private schedule(delayMs: number): void {
    if (this.stopped) return;
    this.timer = setTimeout(() => {
      this.refresh().catch((error: unknown) => {
        if (this.stopped) return;
        this.deps.warn(
          `openirsa: could not refresh the token (the current one stays): ${error instanceof Error ? error.message : String(error)}`,
        );
        this.schedule(Math.min(RETRY_AFTER_MS, this.deps.rotateEveryMs ?? RETRY_AFTER_MS));
      });
    }, delayMs);
    // The child process keeps exec alive; a pending rotation alone must not.
    this.timer.unref();
  }

  /** Stops rotating (the directory is the caller's to remove). */
  stop(): void {
    this.stopped = true;
    if (this.timer !== undefined) clearTimeout(this.timer);
  }
}

/** A fresh directory only the user can enter (0700), under the system's temporary directory. */
export async function createPrivateDir(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'openirsa-exec-'));
  // mkdtemp creates 0700 already; chmod states it whatever the platform's default.
  await chmod(dir, 0o700);
  return dir;
}

export async function removePrivateDir(dir: string): Promise<void> {
  await rm(dir, { recursive: true, force: true });
}
