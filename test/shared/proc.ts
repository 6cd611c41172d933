/**
 * What /proc (proc(5)) says of a process, for the tests that watch `openirsa up --workers N` and for
 * the benches that measure it. Linux only: without /proc the answers are empty or NaN.
 */
import { readdir, readFile } from 'node:fs/promises';

/**
 * The fields of `/proc/PID/stat` (or of one thread's, `/proc/PID/task/TID/stat`) after `pid (comm) `,
 * the command name being free text: index 0 is field 3 (state), so field N is index N - 3. `undefined`
 * when the process is gone or there is no /proc.
 */
export async function statFields(pid: number, thread?: number): Promise<string[] | undefined> {
  const path = thread === undefined ? `/proc/${pid}/stat` : `/proc/${pid}/task/${thread}/stat`;
  const stat = await readFile(path, 'utf8').catch(() => undefined);
  return stat === undefined ? undefined : stat.slice(stat.lastIndexOf(')') + 2).split(' ');
}

/** The processes whose parent is `pid` (field 4, ppid). */
export async function childPids(pid: number): Promise<number[]> {
  const out: number[] = [];
  for (const entry of await readdir('/proc').catch(() => [] as string[])) {
    if (!/^\d+$/.test(entry)) continue;
    const fields = await statFields(Number(entry));
    if (fields !== undefined && Number(fields[1]) === pid) out.push(Number(entry));
  }
  return out;
}
