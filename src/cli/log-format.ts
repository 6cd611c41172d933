import { createLogger, LOG_FORMATS, parseLogFormat, type LogFormat, type Logger } from '../shared/logger.js';
import { UsageError, type CommandIo } from './io.js';

/** The environment variable that sets the default of `--log-format` (the flag wins). */
export const LOG_FORMAT_ENV = 'OPENIRSA_LOG_FORMAT';

const FLAG = '--log-format';

/**
 * Takes `--log-format F` (or `--log-format=F`) out of a command's arguments, so that the command's own
 * parser never sees it. The last flag wins, as with every other option; without one,
 * `$OPENIRSA_LOG_FORMAT` (an empty value counts as unset), else `text`. A bad value in either is a
 * usage error: a machine that asked for json must not silently get text.
 */
export function takeLogFormat(
  args: readonly string[],
  env: Readonly<Record<string, string | undefined>>,
): { readonly rest: string[]; readonly format: LogFormat } {
  const rest: string[] = [];
  let given: string | undefined;
  for (let i = 0; i < args.length; i++) {
    // INVARIANT: i < args.length.
    const arg = args[i]!;
    if (arg === FLAG) {
      const value = args[i + 1];
      if (value === undefined || value.startsWith('-')) {
        throw new UsageError(`\`${FLAG}\` expects ${LOG_FORMATS.join(' or ')}, got nothing`);
      }
      given = value;
      i++;
    } else if (arg.startsWith(`${FLAG}=`)) given = arg.slice(FLAG.length + 1);
    else rest.push(arg);
  }
  if (given !== undefined) {
    const format = parseLogFormat(given);
    if (format === undefined) {
      throw new UsageError(`\`${FLAG}\` expects ${LOG_FORMATS.join(' or ')}, got \`${given}\``);
    }
    return { rest, format };
  }
  const fromEnv = env[LOG_FORMAT_ENV];
  if (fromEnv === undefined || fromEnv === '') return { rest, format: 'text' };
  const format = parseLogFormat(fromEnv);
  if (format === undefined) {
    throw new UsageError(`\`${LOG_FORMAT_ENV}\` expects ${LOG_FORMATS.join(' or ')}, got \`${fromEnv}\``);
  }
  return { rest, format };
}

/** The one logger of a long-running command, writing through its `io`. */
export function commandLogger(
  args: readonly string[],
  io: CommandIo,
  env: Readonly<Record<string, string | undefined>>,
): { readonly rest: string[]; readonly format: LogFormat; readonly logger: Logger } {
  const { rest, format } = takeLogFormat(args, env);
  return { rest, format, logger: createLogger(format, io, io.clock) };
}
