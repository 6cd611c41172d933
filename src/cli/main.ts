#!/usr/bin/env node
import { readFile } from 'node:fs/promises';
import { realpathSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { systemClock } from '../shared/clock.js';
import { EXIT_INTERNAL, EXIT_OK, EXIT_USAGE, UsageError, type CommandIo } from './io.js';
import { explainHelp, policyExplain } from './policy-explain.js';
import { policySimulate, simulateHelp } from './policy-simulate.js';
import { policyValidate, validateHelp } from './policy-validate.js';
import { token, tokenHelp } from './token.js';
import { explainRequest, explainRequestHelp } from './explain.js';
import { up, upHelp } from './up.js';
import { apply, applyHelp } from './apply.js';
import { rotateHelp, rotateSigningKey } from './rotate-signing-key.js';
import { exec, execHelp } from './exec.js';
import { webhook, webhookHelp } from './webhook.js';
import { k8sManifests, k8sManifestsHelp } from './k8s-manifests.js';
import { mintWebhookCertificate } from '../server/webhook-certificate.js';
import { randomIds } from '../shared/ids.js';

const VERSION = '0.1.0';

export const mainHelp = `openirsa ${VERSION}: IAM Roles for Service Accounts, self-hosted and AWS-wire-compatible

usage: openirsa COMMAND [ARGS...]

Commands:
  up                run STS, IAM and S3 on one port, state in a data directory (--demo: a scenario to try)
  policy simulate   decide IAM requests as AWS does (JSON in, JSON out)
  policy explain    say why a request is allowed or denied, for people
  policy validate   check policy documents as IAM and Access Analyzer do
  token             print a service-account token of the built-in issuer
  explain ID        say why the server allowed or denied a request (from its audit log)
  apply -f P        send manifests to a running server (--prune deletes what was removed)
  rotate-signing-key  make a new issuer signing key active; old tokens keep verifying
  exec              run a command as a pod of a service account (IRSA token and environment)
  webhook           serve the pod-identity mutating webhook over TLS (/mutate, /healthz)
  k8s manifests     print the Kubernetes objects that run openirsa in a cluster

Options:
  -h, --help   print this help (\`openirsa help COMMAND\`, \`openirsa COMMAND --help\`: a command's)
  --version    print the version

Run \`openirsa COMMAND --help\` for a command's options and examples.

Example:
  openirsa up --demo

Exit status: 0 success, 1 the command ran and failed (bad input, refused, unreachable, cannot listen),
2 usage errors, 70 internal errors; \`exec\` exits with its command's status (README, "Exit codes").
`;

const policyHelp = `usage: openirsa policy (simulate | explain | validate) [ARGS...]

Decides, explains and checks IAM policies offline, as AWS does; no server needed.

Commands:
  simulate   decide IAM requests as AWS does (JSON in, JSON out)
  explain    say why a request is allowed or denied, for people
  validate   check policy documents as IAM and Access Analyzer do

Options:
  -h, --help   print this help (\`openirsa policy COMMAND --help\`: that command's)

Example:
  openirsa policy validate --kind trust trust-policy.json
`;

const k8sHelp = `usage: openirsa k8s manifests [ARGS...]

Commands:
  manifests   print the Kubernetes objects that run openirsa in a cluster

Options:
  -h, --help   print this help (\`openirsa k8s manifests --help\`: that command's)

Example:
  openirsa k8s manifests | kubectl apply -f -
`;

/** A command: its entry point and its help. */
interface Command {
  readonly run: (args: string[], io: CommandIo) => Promise<number>;
  readonly help: string;
  /** Options end at `--` (everything after is another program's: `exec`). */
  readonly endsAtDoubleDash?: boolean;
}

/** A command with subcommands (`policy simulate`). */
interface Group {
  readonly help: string;
  readonly commands: Readonly<Record<string, Command>>;
}

const POLICY: Group = {
  help: policyHelp,
  commands: {
    simulate: { run: policySimulate, help: simulateHelp },
    explain: { run: policyExplain, help: explainHelp },
    validate: { run: policyValidate, help: validateHelp },
  },
};

const K8S: Group = {
  help: k8sHelp,
  commands: {
    manifests: {
      run: (args, io) =>
        k8sManifests(args, io, (names) =>
          Promise.resolve(mintWebhookCertificate(names, { clock: io.clock, ids: randomIds })),
        ),
      help: k8sManifestsHelp,
    },
  },
};

/** Every command, by its name on the command line: the one list `main` dispatches from. */
const COMMANDS: Readonly<Record<string, Command | Group>> = {
  up: { run: up, help: upHelp },
  policy: POLICY,
  token: { run: token, help: tokenHelp },
  explain: { run: explainRequest, help: explainRequestHelp },
  apply: { run: apply, help: applyHelp },
  'rotate-signing-key': { run: rotateSigningKey, help: rotateHelp },
  exec: { run: exec, help: execHelp, endsAtDoubleDash: true },
  webhook: { run: webhook, help: webhookHelp },
  k8s: K8S,
};

function isHelp(arg: string | undefined): boolean {
  return arg === '--help' || arg === '-h';
}

/** Runs the command line; returns the exit status (io.ts, "Exit codes"). */
export async function main(argv: string[], io: CommandIo): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined) return usageError(io, 'name a command', []);
  if (isHelp(name) || name === 'help') {
    // `openirsa help [COMMAND [SUBCOMMAND]]`: that command's help.
    const [topic, sub] = name === 'help' ? rest : [];
    const entry = topic !== undefined && Object.hasOwn(COMMANDS, topic) ? COMMANDS[topic] : undefined;
    if (topic !== undefined && entry === undefined) return usageError(io, `unknown command \`${topic}\``, []);
    const leaf =
      entry !== undefined && 'commands' in entry && sub !== undefined
        ? Object.hasOwn(entry.commands, sub)
          ? entry.commands[sub]
          : undefined
        : entry;
    if (sub !== undefined && leaf === undefined) {
      return usageError(io, `unknown command \`${topic ?? ''} ${sub}\``, []);
    }
    io.stdout(leaf?.help ?? mainHelp);
    return EXIT_OK;
  }
  if (name === '--version') {
    io.stdout(`${VERSION}\n`);
    return EXIT_OK;
  }
  const entry = Object.hasOwn(COMMANDS, name) ? COMMANDS[name] : undefined;
  if (entry === undefined) return usageError(io, `unknown command \`${name}\``, []);
  let path = [name];
  let command: Command;
  let args = rest;
  if ('commands' in entry) {
    const [sub, ...subArgs] = rest;
    if (isHelp(sub)) {
      io.stdout(entry.help);
      return EXIT_OK;
    }
    const names = Object.keys(entry.commands).map((c) => `\`${name} ${c}\``);
    const expected = `${names.slice(0, -1).join(', ')}${names.length > 1 ? ' or ' : ''}${names.at(-1) ?? ''}`;
    if (sub === undefined) return usageError(io, `name a command: ${expected}`, path);
    const found = Object.hasOwn(entry.commands, sub) ? entry.commands[sub] : undefined;
    if (found === undefined) {
      return usageError(io, `unknown command \`${name} ${sub}\`; expected ${expected}`, path);
    }
    path = [name, sub];
    command = found;
    args = subArgs;
  } else command = entry;
  const own = command.endsAtDoubleDash && args.includes('--') ? args.slice(0, args.indexOf('--')) : args;
  if (own.some(isHelp)) {
    io.stdout(command.help);
    return EXIT_OK;
  }
  try {
    return await command.run(args, io);
  } catch (e) {
    const usage = usageMessage(e);
    if (usage !== undefined) return usageError(io, usage, path);
    if (
      e instanceof Error &&
      'code' in e &&
      (e.code === 'ENOENT' || e.code === 'EACCES' || e.code === 'EISDIR')
    ) {
      // A file named on the command line that cannot be read: the command line was wrong.
      io.stderr(`openirsa: ${e.message}\n`);
      return EXIT_USAGE;
    }
    throw e;
  }
}

/** One line on stderr, the error and where to read more; exit 2. */
function usageError(io: CommandIo, message: string, path: readonly string[]): number {
  io.stderr(`openirsa: ${message}; run \`${['openirsa', ...path, '--help'].join(' ')}\`\n`);
  return EXIT_USAGE;
}

/**
 * The message of a usage error: ours (`UsageError`), or node:util parseArgs's, reworded to our style
 * (lower-case, the flag in backticks, one line); `undefined` for any other error.
 */
export function usageMessage(e: unknown): string | undefined {
  if (e instanceof UsageError) return e.message;
  if (!(e instanceof TypeError) || !('code' in e) || typeof e.code !== 'string') return undefined;
  if (!e.code.startsWith('ERR_PARSE_ARGS')) return undefined;
  const quoted = /'([^']*)'/.exec(e.message)?.[1] ?? '';
  const flag = quoted.replace(/ <value>$/, '');
  if (e.code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION') return `unknown option \`${flag}\``;
  if (e.code === 'ERR_PARSE_ARGS_UNEXPECTED_POSITIONAL') return `unexpected argument \`${flag}\``;
  if (e.code === 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE') {
    if (/argument missing/.test(e.message)) return `\`${flag}\` needs a value`;
    if (/does not take an argument/.test(e.message)) return `\`${flag}\` takes no value`;
  }
  const first = e.message.split('. ')[0] ?? e.message;
  return `${first.charAt(0).toLowerCase()}${first.slice(1)}`;
}

export const processIo: CommandIo = {
  stdin: async () => {
    const chunks: Buffer[] = [];
    for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
    return Buffer.concat(chunks).toString('utf8');
  },
  stdout: (t) => process.stdout.write(t),
  stderr: (t) => process.stderr.write(t),
  readFile: (p) => readFile(p, 'utf8'),
  clock: systemClock,
};

function isEntryPoint(): boolean {
  const arg = process.argv[1];
  if (!arg) return false;
  try {
    return realpathSync(arg) === fileURLToPath(import.meta.url);
  } catch {
    return false;
  }
}

if (isEntryPoint()) {
  main(process.argv.slice(2), processIo).then(
    (code) => {
      process.exitCode = code;
    },
    (e: unknown) => {
      process.stderr.write(
        `openirsa: internal error: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`,
      );
      process.exitCode = EXIT_INTERNAL;
    },
  );
}
