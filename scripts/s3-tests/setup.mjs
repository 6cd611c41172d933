// Writes a ceph/s3-tests config (S3TEST_CONF) for a running `openirsa up`, from the checked-in template
// /work/shared/conformance/s3-tests/target.conf.TEMPLATE (or --template FILE).
//
// Who is who (run.sh starts the server on one data directory with two accounts in it):
//   [s3 main], [iam root]      the root of the first account (--credentials)
//   [s3 alt], [iam alt root]   the root of a second account (--alt-credentials): a different account, so
//                              the suite's "alt may not touch main's bucket" tests mean what they mean on AWS
//   [iam], [s3 tenant]         IAM users of the first account with an inline policy allowing everything
//                              (openirsa has no RGW tenants: the tenant user only has to be able to list
//                              and delete its buckets, which the suite does before every test)
// Canonical ids and display names are read back from ListBuckets' Owner, as a client sees them.
//
// usage: node scripts/s3-tests/setup.mjs --endpoint URL --credentials FILE --alt-credentials FILE
//          --out FILE [--template FILE] [--region R]
import { readFile, writeFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import {
  CreateAccessKeyCommand,
  CreateUserCommand,
  IAMClient,
  PutUserPolicyCommand,
} from '@aws-sdk/client-iam';
import { ListBucketsCommand, S3Client } from '@aws-sdk/client-s3';

const DEFAULT_TEMPLATE = '/work/shared/conformance/s3-tests/target.conf.TEMPLATE';
const ALLOW_ALL = JSON.stringify({
  Version: '2012-10-17',
  Statement: [{ Effect: 'Allow', Action: '*', Resource: '*' }],
});

const { values } = parseArgs({
  options: {
    endpoint: { type: 'string' },
    credentials: { type: 'string' },
    'alt-credentials': { type: 'string' },
    out: { type: 'string' },
    template: { type: 'string', default: DEFAULT_TEMPLATE },
    region: { type: 'string', default: 'us-east-1' },
  },
  strict: true,
});
for (const name of ['endpoint', 'credentials', 'alt-credentials', 'out']) {
  if (values[name] === undefined) throw new Error(`setup.mjs: \`--${name}\` is required`);
}
const endpoint = new URL(values.endpoint);
const region = values.region;

/** The `openirsa` profile of an AWS shared-credentials file, as openirsa up writes it. */
async function readProfile(path) {
  const text = await readFile(path, 'utf8');
  const accessKeyId = /aws_access_key_id = (\S+)/.exec(text)?.[1];
  const secretAccessKey = /aws_secret_access_key = (\S+)/.exec(text)?.[1];
  if (accessKeyId === undefined || secretAccessKey === undefined) {
    throw new Error(`setup.mjs: no access key in \`${path}\``);
  }
  return { accessKeyId, secretAccessKey };
}

function clients(credentials) {
  const common = { endpoint: values.endpoint, region, credentials, maxAttempts: 1 };
  return { iam: new IAMClient(common), s3: new S3Client({ ...common, forcePathStyle: true }) };
}

/** The account id of a root key: STS would tell too; the Owner of ListBuckets gives the canonical id. */
async function owner(s3) {
  const listed = await s3.send(new ListBucketsCommand({}));
  if (listed.Owner?.ID === undefined) throw new Error('setup.mjs: ListBuckets answered no Owner');
  return { id: listed.Owner.ID, displayName: listed.Owner.DisplayName ?? '' };
}

/** An IAM user allowed everything (inline policy), with a fresh access key. */
async function adminUser(iam, name) {
  await iam.send(new CreateUserCommand({ UserName: name }));
  await iam.send(new PutUserPolicyCommand({ UserName: name, PolicyName: 'all', PolicyDocument: ALLOW_ALL }));
  const created = await iam.send(new CreateAccessKeyCommand({ UserName: name }));
  const key = created.AccessKey;
  if (key?.AccessKeyId === undefined || key.SecretAccessKey === undefined) {
    throw new Error(`setup.mjs: CreateAccessKey for \`${name}\` answered no key`);
  }
  return { accessKeyId: key.AccessKeyId, secretAccessKey: key.SecretAccessKey };
}

function accountOf(arnLike, fallback) {
  return /^\d{12}$/.test(arnLike) ? arnLike : fallback;
}

const mainRoot = await readProfile(values.credentials);
const altRoot = await readProfile(values['alt-credentials']);
const main = clients(mainRoot);
const alt = clients(altRoot);
const mainOwner = await owner(main.s3);
const altOwner = await owner(alt.s3);
const iamUser = await adminUser(main.iam, 's3tests-iam');
const tenantUser = await adminUser(main.iam, 's3tests-tenant');

// The display name openirsa gives an owner is its account id (src/s3/owner.ts).
const mainAccount = accountOf(mainOwner.displayName, '123456789012');
const altAccount = accountOf(altOwner.displayName, '210987654321');

/** Sets `key = value` in `[section]` of an INI text (the template has every key already). */
function setKey(text, section, key, value) {
  const lines = text.split('\n');
  let current = '';
  let done = false;
  for (let i = 0; i < lines.length; i++) {
    const header = /^\[(.+)\]\s*$/.exec(lines[i]);
    if (header !== null) {
      current = header[1];
      continue;
    }
    if (current === section && new RegExp(`^${key.replace(/ /g, '\\s')}\\s*=`).test(lines[i])) {
      lines[i] = `${key} = ${value}`;
      done = true;
    }
  }
  if (!done) throw new Error(`setup.mjs: the template has no \`${key}\` in [${section}]`);
  return lines.join('\n');
}

let conf = await readFile(values.template, 'utf8');
const settings = [
  ['DEFAULT', 'host', endpoint.hostname],
  ['DEFAULT', 'port', endpoint.port],
  ['s3 main', 'access_key', mainRoot.accessKeyId],
  ['s3 main', 'secret_key', mainRoot.secretAccessKey],
  ['s3 main', 'user_id', mainOwner.id],
  ['s3 main', 'display_name', mainOwner.displayName],
  ['s3 alt', 'access_key', altRoot.accessKeyId],
  ['s3 alt', 'secret_key', altRoot.secretAccessKey],
  ['s3 alt', 'user_id', altOwner.id],
  ['s3 alt', 'display_name', altOwner.displayName],
  ['s3 tenant', 'access_key', tenantUser.accessKeyId],
  ['s3 tenant', 'secret_key', tenantUser.secretAccessKey],
  ['s3 tenant', 'user_id', mainOwner.id],
  ['s3 tenant', 'display_name', mainOwner.displayName],
  ['iam', 'access_key', iamUser.accessKeyId],
  ['iam', 'secret_key', iamUser.secretAccessKey],
  ['iam root', 'access_key', mainRoot.accessKeyId],
  ['iam root', 'secret_key', mainRoot.secretAccessKey],
  ['iam root', 'user_id', mainAccount],
  ['iam alt root', 'access_key', altRoot.accessKeyId],
  ['iam alt root', 'secret_key', altRoot.secretAccessKey],
  ['iam alt root', 'user_id', altAccount],
];
for (const [section, key, value] of settings) conf = setKey(conf, section, key, value);
await writeFile(values.out, conf, { mode: 0o600 });
process.stdout.write(`setup.mjs: wrote ${values.out} (main ${mainAccount}, alt ${altAccount})\n`);
