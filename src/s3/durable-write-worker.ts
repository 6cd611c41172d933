/**
 * The worker thread of `DurableWriters` (durable-writers.ts): it makes one small blob durable per message,
 * with synchronous calls — temporary file (0600, exclusive) → write → fdatasync → close → rename into
 * place (making a missing fan-out directory, fsynced into its parent) → fsync of the directory — and
 * answers once, so the server's event loop pays two thread hand-offs for all of it instead of two for
 * each of eight threadpool calls. On any failure the temporary file it made is removed and the error's
 * code and message go back. It touches nothing but the two paths it is given.
 */
import {
  closeSync,
  fdatasyncSync,
  fsyncSync,
  mkdirSync,
  openSync,
  renameSync,
  rmSync,
  writeSync,
} from 'node:fs';
import { dirname } from 'node:path';
import { parentPort } from 'node:worker_threads';
import type { DurableWriteAnswer, DurableWriteJob } from './durable-writers.js';

function syncDirectory(dir: string): void {
  const fd = openSync(dir, 'r');
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

/** Creates `path` (0600, exclusive) holding `bytes`, fdatasynced; `made()` once the file exists. */
function writeFile(path: string, bytes: Uint8Array, made: () => void): void {
  const fd = openSync(path, 'wx', 0o600);
  made();
  try {
    // A regular file takes the whole buffer in one write; the loop is for a short write all the same.
    for (let at = 0; at < bytes.length;) at += writeSync(fd, bytes, at, bytes.length - at, at);
    fdatasyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

/** Renames into place; a missing directory is made, and made durable in its parent, first. */
function renameIntoPlace(tmp: string, target: string): void {
  try {
    renameSync(tmp, target);
    return;
  } catch (error) {
    if ((error as { code?: unknown }).code !== 'ENOENT') throw error;
  }
  const dir = dirname(target);
  const first = mkdirSync(dir, { recursive: true, mode: 0o700 });
  if (first !== undefined) {
    // `first` is the top directory made: its parent, and each directory made below it, gain an entry.
    for (let d = dir; d.length >= first.length; d = dirname(d)) syncDirectory(dirname(d));
  }
  renameSync(tmp, target);
}

function run(job: DurableWriteJob): DurableWriteAnswer {
  let made = false;
  try {
    writeFile(job.tmp, job.bytes, () => (made = true));
    renameIntoPlace(job.tmp, job.target);
    syncDirectory(dirname(job.target));
    return { id: job.id, ok: true };
  } catch (error) {
    // Only a file this job made: a name that was taken (EEXIST) belongs to someone else.
    if (made) rmSync(job.tmp, { force: true });
    const code = (error as { code?: unknown }).code;
    return {
      id: job.id,
      ok: false,
      message: error instanceof Error ? error.message : String(error),
      ...(typeof code === 'string' ? { code } : {}),
    };
  }
}

const port = parentPort;
if (port === null) throw new TypeError('durable-write-worker.js runs as a worker thread only');
port.on('message', (job: DurableWriteJob) => port.postMessage(run(job)));
