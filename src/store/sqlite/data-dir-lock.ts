import { chmodSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';

/** The file whose lock says a data directory is served; SQLite holds the lock, the OS drops it. */
export const LOCK_FILE_NAME = 'up.lock';
/** Who holds the lock, for the message another `up` prints; informative only. */
export const PID_FILE_NAME = 'up.pid';

/** A data directory this process serves alone, until `release`. */
export interface DataDirLock {
  release(): void;
}

/**
 * The connections whose locks are held, until `release`. The lock lives as long as its connection, and a
 * connection nothing references is closed by its finalizer when it is garbage collected: without this
 * set, a caller that dropped its handle (it only ever meant to hold the lock until exit) would lose the
 * lock at the next full GC, and a second server could take the directory. (Seen in this module's test:
 * its child process dropped the handle, and the parent got the lock about one run in 30.)
 */
const heldLocks = new Set<Database.Database>();

/** Another process (or another `up` in this one) serves the directory. */
export interface DataDirBusy {
  readonly busy: true;
  /** The holder's pid as it wrote it, when readable. */
  readonly pid?: number;
}

/**
 * Takes the data directory for one `openirsa up`, creating the directory (0700) when it is new. Two
 * servers on one directory would each seal sessions, rotate keys and sweep the other's half-written
 * object files; the second is refused instead.
 *
 * The lock is an exclusive SQLite lock on `up.lock` (locking_mode EXCLUSIVE, BEGIN EXCLUSIVE, never
 * committed): an fcntl lock that the kernel releases when the process dies, even by kill -9, so a crash
 * never leaves a stale lock, and that SQLite also enforces between connections of one process. Readers
 * of the store (`openirsa webhook --data`) never touch this file and are not affected.
 */
export function lockDataDir(dir: string): DataDirLock | DataDirBusy {
  if (!isDirectory(dir)) {
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    // mkdir's mode is masked by the umask: set it exactly.
    chmodSync(dir, 0o700);
  }
  const db = new Database(join(dir, LOCK_FILE_NAME), { timeout: 0 });
  try {
    db.pragma('locking_mode = EXCLUSIVE');
    db.exec('BEGIN EXCLUSIVE');
  } catch (error) {
    db.close();
    if (isBusy(error)) {
      const pid = readPid(join(dir, PID_FILE_NAME));
      return pid !== undefined ? { busy: true, pid } : { busy: true };
    }
    throw error;
  }
  try {
    writeFileSync(join(dir, PID_FILE_NAME), `${process.pid}\n`, { mode: 0o600 });
  } catch (error) {
    // No handle goes back, so nothing could release the lock later: drop it now.
    db.close();
    throw error;
  }
  heldLocks.add(db);
  return {
    release() {
      if (!heldLocks.delete(db)) return;
      // Closing the connection drops the lock; the never-committed transaction leaves the file empty.
      db.close();
    },
  };
}

function isBusy(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return code === 'SQLITE_BUSY' || code === 'SQLITE_LOCKED';
}

function readPid(path: string): number | undefined {
  try {
    const pid = Number(readFileSync(path, 'utf8').trim());
    return Number.isSafeInteger(pid) && pid > 0 ? pid : undefined;
  } catch {
    return undefined;
  }
}

function isDirectory(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}
