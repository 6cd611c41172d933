/**
 * The worker thread of `Checkpointer` (checkpointer.ts): a connection of its own to the store's database
 * file, which runs `PRAGMA wal_checkpoint(PASSIVE)` once per message and answers with SQLite's result.
 * PASSIVE copies as many WAL frames into the database as it can without waiting for any reader or writer,
 * and never blocks them (SQLite's "Write-Ahead Logging", checkpointing): the store's own connection keeps
 * committing meanwhile. At `synchronous = FULL` the checkpoint fsyncs the WAL before it copies and the
 * database after, so a crash at any point leaves every committed frame in the WAL or the database.
 */
import Database from 'better-sqlite3';
import { parentPort, workerData } from 'node:worker_threads';
import type { CheckpointAnswer } from './checkpointer.js';

const port = parentPort;
if (port === null) throw new TypeError('checkpoint-worker.js runs as a worker thread only');
const { path } = workerData as { readonly path: string };
const db = new Database(path, { fileMustExist: true, timeout: 1000 });
db.pragma('synchronous = FULL');
// Its own automatic checkpoint stays off: it only checkpoints when asked.
db.pragma('wal_autocheckpoint = 0');

port.on('message', (message: unknown) => {
  if (message === 'close') {
    // The connection closes first (it holds no lock between checkpoints), then the thread ends.
    db.close();
    port.close();
    return;
  }
  let answer: CheckpointAnswer;
  try {
    const [row] = db.pragma('wal_checkpoint(PASSIVE)') as {
      busy: number;
      log: number;
      checkpointed: number;
    }[];
    answer = { ok: true, busy: row?.busy ?? 0, log: row?.log ?? 0, checkpointed: row?.checkpointed ?? 0 };
  } catch (error) {
    answer = { ok: false, message: error instanceof Error ? error.message : String(error) };
  }
  port.postMessage(answer);
});
