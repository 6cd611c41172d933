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
