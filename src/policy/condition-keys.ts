import { SERVICE_KEY_TYPES } from './catalog-data.js';

/**
 * What validation knows about condition keys: their type and whether they are multivalued. Global
 * keys from the IAM User Guide, "AWS global condition context keys"; service keys of s3, sts and iam
 * from the Service Authorization Reference (generated in `catalog-data.ts`).
 */
export type KeyType =
  'String' | 'ARN' | 'Numeric' | 'Date' | 'Bool' | 'IPAddress' | 'Binary' | 'ArrayOfString' | 'ArrayOfARN';

const GLOBAL: Readonly<Record<string, KeyType>> = {
  'aws:calledvia': 'ArrayOfString',
  'aws:calledviafirst': 'String',
  'aws:calledvialast': 'String',
  'aws:currenttime': 'Date',
  'aws:epochtime': 'Date',
  'aws:federatedprovider': 'String',
  'aws:multifactorauthage': 'Numeric',
  'aws:multifactorauthpresent': 'Bool',
  'aws:principalaccount': 'String',
  'aws:principalarn': 'ARN',
  'aws:principalisawsservice': 'Bool',
  'aws:principalorgid': 'String',
  'aws:principalorgpaths': 'ArrayOfString',
  'aws:principalservicename': 'String',
  'aws:principalservicenameslist': 'ArrayOfString',
  'aws:principaltype': 'String',
  'aws:referer': 'String',
  'aws:requestedregion': 'String',
  'aws:resourceaccount': 'String',
  'aws:resourceorgid': 'String',
  'aws:resourceorgpaths': 'ArrayOfString',
  'aws:securetransport': 'Bool',
  'aws:sourceaccount': 'String',
  'aws:sourcearn': 'ARN',
  'aws:sourceidentity': 'String',
  'aws:sourceip': 'IPAddress',
  'aws:sourceorgid': 'String',
  'aws:sourceorgpaths': 'ArrayOfString',
  'aws:sourcevpc': 'String',
  'aws:sourcevpce': 'String',
  'aws:tagkeys': 'ArrayOfString',
  'aws:tokenissuetime': 'Date',
  'aws:useragent': 'String',
  'aws:userid': 'String',
  'aws:username': 'String',
  'aws:viaawsservice': 'Bool',
  'aws:vpcsourceip': 'IPAddress',
  'aws:ec2instancesourcevpc': 'String',
  'aws:ec2instancesourceprivateipv4': 'IPAddress',
  'aws:ismcpserviceaction': 'Bool',
};

const GLOBAL_PREFIXES: Readonly<Record<string, KeyType>> = {
  'aws:principaltag/': 'String',
  'aws:resourcetag/': 'String',
  'aws:requesttag/': 'String',
};

/** The type of a known key (lower-cased name), or `undefined` when we do not know the key. */
export function keyType(key: string): KeyType | undefined {
  const global = GLOBAL[key];
  if (global) return global;
  for (const [prefix, type] of Object.entries(GLOBAL_PREFIXES)) if (key.startsWith(prefix)) return type;
  const svc = SERVICE_KEY_TYPES[key] ?? SERVICE_KEY_TYPES[key.replace(/\/.*$/, '/<key>')];
  if (svc) return normaliseType(svc);
  // Web-identity keys of a provider (`PROVIDER:amr` is multivalued; `:sub`, `:aud` and the rest are
  // single strings), IAM User Guide "Available keys for AWS web identity federation".
  if (/^[^:]+\.[^:]+:amr$/.test(key)) return 'ArrayOfString';
  if (/^[^:]+\.[^:]+:(sub|aud|oaud|id|app_id|user_id|azp|email)$/.test(key)) return 'String';
  return undefined;
}

function normaliseType(t: string): KeyType | undefined {
  switch (t) {
    case 'String':
    case 'ARN':
    case 'Numeric':
    case 'Date':
    case 'Bool':
    case 'ArrayOfString':
    case 'ArrayOfARN':
      return t;
    case 'Boolean':
      return 'Bool';
    case 'IPAddress':
      return 'IPAddress';
    default:
      return t.startsWith('ArrayOf') ? 'ArrayOfString' : undefined;
  }
}

export function isMultivalued(t: KeyType): boolean {
  return t === 'ArrayOfString' || t === 'ArrayOfARN';
}

/** Whether the key's service prefix names a known global or service key family. */
export function isKnownGlobalKey(key: string): boolean {
  return key in GLOBAL || Object.keys(GLOBAL_PREFIXES).some((p) => key.startsWith(p));
}
