/**
 * The child processes of a bench: servers that say on stdout when they are ready, and one-shot node
 * scripts (the load and transfer processes) whose stdout is their result.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { childPids, statFields } from '../../test/shared/proc.js';

export { freePort } from '../../test/shared/free-port.js';

/** Starts a node child and resolves with it once `ready` matches its stdout. */
export function startChild(
  args: string[],
  ready: RegExp,
): Promise<{ child: ChildProcess; match: RegExpExecArray }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, args, {
      env: { ...process.env, AWS_EC2_METADATA_DISABLED: 'true' },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let out = '';
    child.stdout?.on('data', (c: Buffer) => {
      out += c.toString();
      const match = ready.exec(out);
      if (match) resolve({ child, match });
    });
    child.once('exit', (code) => reject(new Error(`${args.join(' ')} exited with ${code}: ${out}`)));
  });
}

/** Runs `node ARGS` to its end and resolves with its stdout; a non-zero exit rejects. */
export function runNode(args: string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    child.stdout.on('data', (c: Buffer) => (out += c.toString()));
    child.once('exit', (code) =>
      code === 0 ? resolve(out) : reject(new Error(`${args[0]} exited ${code}`)),
    );
  });
}

/**
 * The processes of a server: `pid` and its children (`up --workers N` forks its workers); only `pid`
 * without /proc.
 */
export async function serverPids(pid: number): Promise<number[]> {
  return [pid, ...(await childPids(pid))];
}

/** Linux USER_HZ: the unit of utime/stime in /proc/<pid>/stat (`getconf CLK_TCK` is 100 on every Linux). */
const CLOCK_TICKS_PER_SECOND = 100;

/** utime + stime of a process (or of one of its threads) in µs (proc(5): fields 14 and 15); NaN without /proc. */
export async function cpuMicrosOf(pid: number, thread?: number): Promise<number> {
  const fields = await statFields(pid, thread);
  if (fields === undefined) return NaN;
  return ((Number(fields[11]) + Number(fields[12])) * 1e6) / CLOCK_TICKS_PER_SECOND;
}

/** `cpuMicrosOf` summed over a server's processes (`serverPids`). */
export async function serverCpuMicros(pid: number): Promise<number> {
  let total = 0;
  for (const p of await serverPids(pid)) total += await cpuMicrosOf(p);
  return total;
}
