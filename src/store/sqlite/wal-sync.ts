import { close as fsClose, fsync, open as fsOpen } from 'node:fs';
import { open } from 'node:fs/promises';
import { dirname } from 'node:path';

/** Makes the written pages of one file durable (fsync), off the event loop. Injectable for tests. */
export type FileSync = (path: string) => Promise<void>;

/** fsync of `path` through an fd of its own: fsync on any fd of a file flushes all its dirty pages. */
export const fsyncFile: FileSync = async (path) => {
  const handle = await open(path, 'r');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
};

/**
 * The function that makes a commit made under `synchronous = NORMAL` as durable as a FULL one: an
 * fsync of the -wal file (open per call, so it is always the file SQLite writes now: the WAL is only
 * deleted when the last connection closes, and a restarted WAL is the same file). The first call also
 * fsyncs the directory, once, as SQLite does on the first sync of a new -wal file, so the file's name
 * is durable too. The -shm file needs none: it is an index rebuilt from the WAL after a crash.
 */
export function walSync(databasePath: string, sync: FileSync = fsyncFile): () => Promise<void> {
  const wal = `${databasePath}-wal`;
  let directorySynced = false;
  return async () => {
    await sync(wal);
    if (!directorySynced) {
      await sync(dirname(wal));
      directorySynced = true;
    }
  };
}

/** `FileSync`s through file descriptors kept open, and the end of their life. */
export interface HeldFileSyncs {
  readonly sync: FileSync;
  /** Closes every descriptor; a sync after it opens again. Idempotent. */
  close(): Promise<void>;
}

/**
 * A `FileSync` that opens each path once and keeps its descriptor for every later fsync: one threadpool
 * round trip per sync instead of three (open, fsync, close), and no FileHandle per call — the open and
 * close were most of the ~40 µs of main-thread time that each group commit's WAL sync cost (profiled).
 *
 * INVARIANT: the store that owns it keeps its own connection open while it syncs, so the -wal file is
 * never deleted meanwhile (SQLite deletes it only when the last connection closes; a restarted or
 * truncated WAL is the same file), and a held descriptor always names the file SQLite writes. The store
 * closes the descriptors when it closes its connection.
 */
export function heldFileSyncs(): HeldFileSyncs {
  const held = new Map<string, Promise<number>>();
  /** Syncs in flight: `close` waits for them, so no fsync ever runs on a closed (or reused) descriptor. */
  const inFlight = new Set<Promise<void>>();
  const syncOnce = async (path: string) => {
    let fd = held.get(path);
    if (fd === undefined) {
      fd = new Promise<number>((resolve, reject) =>
        fsOpen(path, 'r', (error, opened) => (error === null ? resolve(opened) : reject(error))),
      );
      held.set(path, fd);
      // A path that could not be opened is tried again next time.
      fd.catch(() => held.delete(path));
    }
    const descriptor = await fd;
    await new Promise<void>((resolve, reject) =>
      fsync(descriptor, (error) => (error === null ? resolve() : reject(error))),
    );
  };
  const sync: FileSync = (path) => {
    const running = syncOnce(path);
    inFlight.add(running);
    const done = () => inFlight.delete(running);
    running.then(done, done);
    return running;
  };
  return {
    sync,
    close: async () => {
      await Promise.allSettled([...inFlight]);
      const open = [...held.values()];
      held.clear();
      for (const fd of open) {
        const descriptor = await fd.catch(() => undefined);
        if (descriptor === undefined) continue;
        await new Promise<void>((resolve) => fsClose(descriptor, () => resolve()));
      }
    },
  };
}
