import { watch, type FSWatcher } from 'node:fs';
import { stat } from 'node:fs/promises';
import { basename, dirname } from 'node:path';

/** How long the files must be quiet before a re-apply: editors write a file in several steps. */
export const WATCH_DEBOUNCE_MS = 200;

export interface ManifestWatcher {
  /** Stops watching and waits for a re-apply under way. */
  close(): Promise<void>;
}

/**
 * Calls `onChange` when any file under `roots` changes, once the changes have been quiet for
 * `debounceMs`; calls never overlap (a change during a call schedules one more after it). A directory
 * is watched recursively (fs.watch `recursive`, Node 20 on Linux, macOS and Windows); a file is watched
 * through its directory, so that an editor replacing the file (write to a temporary file, rename) is
 * seen too. A failing `onChange` is passed to `onError`, and watching goes on.
 */
export async function watchManifests(
  roots: readonly string[],
  onChange: () => Promise<void>,
  onError: (error: unknown) => void,
  debounceMs: number = WATCH_DEBOUNCE_MS,
): Promise<ManifestWatcher> {
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<void> | undefined;
  let again = false;
  let closed = false;

  const run = () => {
    timer = undefined;
    if (closed) return;
    if (running !== undefined) {
      again = true;
      return;
    }
    running = onChange()
      .catch(onError)
      .finally(() => {
        running = undefined;
        if (again && !closed) {
          again = false;
          schedule();
        }
      });
  };
  const schedule = () => {
    if (closed) return;
    if (timer !== undefined) clearTimeout(timer);
    timer = setTimeout(run, debounceMs);
  };

  const watchers: FSWatcher[] = [];
  try {
    for (const root of roots) {
      if ((await stat(root)).isDirectory()) {
        watchers.push(watch(root, { recursive: true, persistent: true }, schedule));
      } else {
        const name = basename(root);
        watchers.push(
          watch(dirname(root), { persistent: true }, (_event, file) => {
            if (file === null || file === name) schedule();
          }),
        );
      }
    }
  } catch (error) {
    for (const w of watchers) w.close();
    throw error;
  }
  for (const w of watchers) w.on('error', onError);

  return {
    close: async () => {
      closed = true;
      if (timer !== undefined) clearTimeout(timer);
      for (const w of watchers) w.close();
      await running;
    },
  };
}
