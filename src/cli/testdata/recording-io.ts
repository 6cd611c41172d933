import { systemClock, type Clock } from '../../shared/clock.js';
import type { CommandIo } from '../io.js';

/** A command's io for tests: what it writes is kept in `out` and `err`; stdin is empty. */
export interface RecordingIo {
  readonly io: CommandIo;
  readonly out: string[];
  readonly err: string[];
}

/**
 * Records stdout and stderr. Without `readFile`, every read fails as a missing file does (ENOENT);
 * without `clock`, the system clock.
 */
export function recordingIo(options: { readFile?: CommandIo['readFile']; clock?: Clock } = {}): RecordingIo {
  const out: string[] = [];
  const err: string[] = [];
  const io: CommandIo = {
    stdin: () => Promise.resolve(''),
    stdout: (t) => out.push(t),
    stderr: (t) => err.push(t),
    readFile:
      options.readFile ??
      (() => Promise.reject(Object.assign(new Error('ENOENT: no such file'), { code: 'ENOENT' }))),
    clock: options.clock ?? systemClock,
  };
  return { io, out, err };
}
