import type { LogFields } from '../shared/logger.js';

/** One object a manifest apply touched, as `convergeManifests` reports it. */
export interface AppliedObject {
  readonly kind: string;
  readonly name: string;
  readonly action: string;
}

/** Everything `openirsa up` says once it listens. */
export interface StartupFacts {
  /** The data directory was created by this start. */
  readonly created: boolean;
  readonly endpoint: string;
  readonly port: number;
  readonly issuer: string;
  readonly account: string;
  readonly region: string;
  readonly credentialsFile: string;
  readonly dataDir: string;
  readonly auditDir: string;
  readonly health: string;
  readonly proxy?: { readonly url: string; readonly caFile: string };
  /** The `-f` manifests: how many files, and what applying them did. */
  readonly manifests?: { readonly files: number; readonly objects: readonly AppliedObject[] };
  /** `--watch`: the paths watched. */
  readonly watching?: readonly string[];
  /** `--demo`: the commands that try the demo, one a line. */
  readonly demo?: readonly string[];
  /** `--workers N`, when N > 1: how many processes serve the port. */
  readonly workers?: number;
}

/** The AWS profile `up` writes to the credentials file. */
const PROFILE = 'openirsa';
/** Up to this many applied objects are listed one by one in the text summary; beyond, counts only. */
const LISTED_OBJECTS = 12;
/** Width of the label column of the text summary (tests and scripts match `endpoint     URL`). */
const LABEL = 13;

/**
 * The start-up summary as one log event: `fields` for the json format, `text` (the friendly block,
 * which ends with "Ctrl-C stops it.") for people. Holds paths and URLs only, never a key.
 */
export function startupSummary(f: StartupFacts): { msg: string; fields: LogFields; text: string } {
  const env = `AWS_SHARED_CREDENTIALS_FILE=${f.credentialsFile} AWS_PROFILE=${PROFILE} AWS_DEFAULT_REGION=${f.region}`;
  const next = `${env} aws --endpoint-url ${f.endpoint} sts get-caller-identity`;
  const counts = f.manifests !== undefined ? manifestCounts(f.manifests) : undefined;
  const fields: LogFields = {
    endpoint: f.endpoint,
    port: f.port,
    issuer: f.issuer,
    account: f.account,
    region: f.region,
    credentialsFile: f.credentialsFile,
    profile: PROFILE,
    dataDir: f.dataDir,
    newDataDir: f.created,
    auditDir: f.auditDir,
    health: f.health,
    ...(f.workers !== undefined ? { workers: f.workers } : {}),
    ...(f.proxy !== undefined ? { proxy: f.proxy.url, proxyCaFile: f.proxy.caFile } : {}),
    ...(f.manifests !== undefined && counts !== undefined
      ? {
          manifests: {
            files: f.manifests.files,
            objects: f.manifests.objects.length,
            byKind: counts.byKind,
            byAction: counts.byAction,
          },
        }
      : {}),
    ...(f.watching !== undefined ? { watching: f.watching } : {}),
    next,
    ...(f.demo !== undefined ? { demo: f.demo } : {}),
  };
  const row = (label: string, value: string) => `  ${label.padEnd(LABEL)}${value}`;
  const lines = [
    `openirsa is up${f.created ? ' (new data directory)' : ''}`,
    row('endpoint', f.endpoint),
    row('issuer', f.issuer),
    row('account', `${f.account} (region ${f.region})`),
    row('credentials', `${f.credentialsFile} (profile ${PROFILE})`),
    row('data', f.dataDir),
    row('audit log', f.auditDir),
    row('health', f.health),
  ];
  if (f.workers !== undefined) lines.push(row('workers', `${f.workers} processes serve the port`));
  if (f.proxy !== undefined) lines.push(row('proxy', `${f.proxy.url} (CA ${f.proxy.caFile})`));
  if (f.manifests !== undefined && counts !== undefined) {
    lines.push(row('manifests', counts.line));
    if (f.manifests.objects.length <= LISTED_OBJECTS) {
      for (const o of f.manifests.objects) lines.push(`    ${o.kind} ${o.name}: ${o.action}`);
    }
  }
  if (f.watching !== undefined) lines.push(row('watching', f.watching.join(', ')));
  lines.push('', 'Try it:', `  ${env} \\`, `    aws --endpoint-url ${f.endpoint} sts get-caller-identity`);
  if (f.proxy !== undefined) {
    lines.push(
      '',
      'Old SDKs (no AWS_ENDPOINT_URL), through the transparent proxy:',
      `  HTTPS_PROXY=${f.proxy.url} AWS_CA_BUNDLE=${f.proxy.caFile} \\`,
      `  ${env} \\`,
      '    aws sts get-caller-identity',
    );
  }
  if (f.demo !== undefined) lines.push('', ...f.demo);
  lines.push('', 'Ctrl-C stops it.', '');
  return { msg: 'openirsa is up', fields, text: lines.join('\n') };
}

/** `3 objects from 2 files: Role 1, ServiceAccount 2 (2 created, 1 unchanged)`, kinds and actions sorted. */
function manifestCounts(m: { readonly files: number; readonly objects: readonly AppliedObject[] }): {
  byKind: Record<string, number>;
  byAction: Record<string, number>;
  line: string;
} {
  const byKind = tally(m.objects.map((o) => o.kind));
  const byAction = tally(m.objects.map((o) => o.action));
  const n = m.objects.length;
  const head = `${n} object${n === 1 ? '' : 's'} from ${m.files} file${m.files === 1 ? '' : 's'}`;
  const kinds = Object.entries(byKind).map(([k, c]) => `${k} ${c}`);
  const actions = Object.entries(byAction).map(([a, c]) => `${c} ${a}`);
  return { byKind, byAction, line: n === 0 ? head : `${head}: ${kinds.join(', ')} (${actions.join(', ')})` };
}

function tally(values: readonly string[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const v of [...values].sort()) out[v] = (out[v] ?? 0) + 1;
  return out;
}
