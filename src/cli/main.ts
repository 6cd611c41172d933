#!/usr/bin/env node
import { readFile } from 'node:fs/promises';
import { realpathSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { systemClock } from '../shared/clock.js';
import { EXIT_USAGE, UsageError, type CommandIo } from './io.js';
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

Run \`openirsa COMMAND --help\` for a command's options and examples.
`;

const policyHelp = `usage: openirsa policy (simulate | explain | validate) [ARGS...]

  simulate   decide IAM requests as AWS does (JSON in, JSON out)
  explain    say why a request is allowed or denied, for people
  validate   check policy documents as IAM and Access Analyzer do
`;

const k8sHelp = `usage: openirsa k8s manifests [ARGS...]

  manifests   print the Kubernetes objects that run openirsa in a cluster
`;

type Command = { run: (args: string[], io: CommandIo) => Promise<number>; help: string };

const POLICY: Record<string, Command> = {
  simulate: { run: policySimulate, help: simulateHelp },
  explain: { run: policyExplain, help: explainHelp },
  validate: { run: policyValidate, help: validateHelp },
};

/** Runs the command line; returns the exit status. */
export async function main(argv: string[], io: CommandIo): Promise<number> {
  const [command, ...rest] = argv;
  try {
    if (command === undefined || command === '--help' || command === '-h' || command === 'help') {
      io.stdout(mainHelp);
      return command === undefined ? EXIT_USAGE : 0;
    }
    if (command === '--version') {
      io.stdout(`${VERSION}\n`);
      return 0;
    }
    if (command === 'up') {
      if (rest.includes('--help') || rest.includes('-h')) {
        io.stdout(upHelp);
        return 0;
      }
      return await up(rest, io);
    }
    if (command === 'explain') {
      if (rest.includes('--help') || rest.includes('-h')) {
        io.stdout(explainRequestHelp);
        return 0;
      }
      return await explainRequest(rest, io);
    }
    if (command === 'token') {
      if (rest.includes('--help') || rest.includes('-h')) {
        io.stdout(tokenHelp);
        return 0;
      }
      return await token(rest, io);
    }
    if (command === 'apply') {
      if (rest.includes('--help') || rest.includes('-h')) {
        io.stdout(applyHelp);
        return 0;
      }
      return await apply(rest, io);
    }
    if (command === 'rotate-signing-key') {
      if (rest.includes('--help') || rest.includes('-h')) {
        io.stdout(rotateHelp);
        return 0;
      }
      return await rotateSigningKey(rest, io);
    }
    if (command === 'exec') {
      // Options end at `--`: a `--help` of COMMAND is COMMAND's.
      const own = rest.indexOf('--') < 0 ? rest : rest.slice(0, rest.indexOf('--'));
      if (own.includes('--help') || own.includes('-h')) {
        io.stdout(execHelp);
        return 0;
      }
      return await exec(rest, io);
    }
    if (command === 'webhook') {
      if (rest.includes('--help') || rest.includes('-h')) {
        io.stdout(webhookHelp);
        return 0;
      }
      return await webhook(rest, io);
    }
    if (command === 'policy') {
      const [sub, ...args] = rest;
      if (sub === undefined || sub === '--help' || sub === '-h') {
        io.stdout(policyHelp);
        return sub === undefined ? EXIT_USAGE : 0;
      }
      const cmd = POLICY[sub];
      if (!cmd)
        throw new UsageError(`unknown command \`policy ${sub}\`; expected simulate, explain or validate`);
      if (args.includes('--help') || args.includes('-h')) {
        io.stdout(cmd.help);
        return 0;
      }
      return await cmd.run(args, io);
    }
    if (command === 'k8s') {
      const [sub, ...args] = rest;
      if (sub === undefined || sub === '--help' || sub === '-h') {
        io.stdout(k8sHelp);
        return sub === undefined ? EXIT_USAGE : 0;
      }
      if (sub !== 'manifests') throw new UsageError(`unknown command \`k8s ${sub}\`; expected manifests`);
      if (args.includes('--help') || args.includes('-h')) {
        io.stdout(k8sManifestsHelp);
        return 0;
      }
      return await k8sManifests(args, io, (names) =>
        Promise.resolve(mintWebhookCertificate(names, { clock: io.clock, ids: randomIds })),
      );
    }
    throw new UsageError(`unknown command \`${command}\`; run \`openirsa --help\``);
  } catch (e) {
    if (
      e instanceof UsageError ||
      (e instanceof TypeError && 'code' in e && String(e.code).startsWith('ERR_PARSE_ARGS'))
    ) {
      io.stderr(`openirsa: ${e.message}\n`);
      return EXIT_USAGE;
    }
    if (
      e instanceof Error &&
      'code' in e &&
      (e.code === 'ENOENT' || e.code === 'EACCES' || e.code === 'EISDIR')
    ) {
      io.stderr(`openirsa: ${e.message}\n`);
      return EXIT_USAGE;
    }
    throw e;
  }
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
      process.exitCode = 70;
    },
  );
}
