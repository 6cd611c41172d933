import { parseArn, PARTITIONS, isAccountId } from '../shared/arn.js';
import type { ConditionEntry, Located, PolicyDocument, PrincipalBlock, Statement } from './ast.js';
import { ACTION_RESOURCE_TYPES, ACTIONS, SERVICE_PREFIXES } from './catalog-data.js';
import { compilePolicy } from './compile.js';
import { jsonFromValue, jsonText } from '../shared/json.js';
import { isMultivalued, keyType } from './condition-keys.js';
import { globFromPattern, matchGlob } from './glob.js';
import { awsMessages, LIMIT_EXCEEDED, MALFORMED } from './messages.js';
import { parseOperator } from './operators.js';
import { parseTemplate } from './template.js';
import type { Finding, PolicyKind, Severity } from './types.js';
import { formatCidr, hasHostBits, parseCidr } from './values.js';

/**
 * Validation per policy kind, in the spirit of IAM Access Analyzer's policy checks. Severity `error`
 * is kept for what IAM itself refuses (it answers `MalformedPolicyDocument` or `LimitExceeded`, and
 * `awsError` says which); Access Analyzer errors that IAM accepts become warnings here, because an
 * emulator stricter than AWS would refuse documents that work in production.
 */
export function validatePolicy(document: string | object, kind: PolicyKind): Finding[] {
  const compiled = compilePolicy(document);
  const findings: Finding[] = [...compiled.errors];
  checkText(typeof document === 'string' ? document : jsonText(jsonFromValue(document)), kind, findings);
  const doc = compiled.document;
  if (!doc) return findings;
  new Checker(doc, kind, findings).run();
  return dedupe(findings);
}

/** Whether IAM would refuse the document: any finding of severity `error`. */
export function hasErrors(findings: readonly Finding[]): boolean {
  return findings.some((f) => f.severity === 'error');
}

const IAM_KINDS: ReadonlySet<PolicyKind> = new Set(['identity', 'boundary', 'trust', 'session']);

/** S3 resources other than buckets and objects, which do carry a region and an account. */
const S3_TYPED_RESOURCE =
  /^(accesspoint|job|storage-lens|storage-lens-group|access-grants|async-request|multi-region-access-point|accessgrantsinstance)\//;

/** Size quotas: IAM User Guide "IAM and AWS STS quotas"; S3 User Guide (bucket policies: 20 KB). */
function checkText(text: string, kind: PolicyKind, findings: Finding[]): void {
  // Policy documents may hold only TAB, LF, CR and U+0020-U+00FF (IAM User Guide, quotas).
  const bad = /[^\t\n\r\u0020-\u00ff]/.exec(text);
  if (bad && kind !== 'resource') {
    findings.push(
      error(
        'INVALID_CHARACTERS',
        `the policy contains \`${bad[0]}\` (U+${bad[0].codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')}); IAM accepts only tab, line breaks and U+0020 to U+00FF`,
        '',
        awsMessages.syntax,
      ),
    );
  }
  const compact = text.replace(/\s+/g, '').length;
  if ((kind === 'identity' || kind === 'boundary') && compact > 6144) {
    findings.push(
      error(
        'POLICY_SIZE_EXCEEDED',
        `the policy has ${compact} characters without white space; a managed policy may have 6,144`,
        '',
        awsMessages.policySize(6144),
        LIMIT_EXCEEDED,
      ),
    );
  }
  if (kind === 'trust' && compact > 2048) {
    findings.push(
      error(
        'POLICY_SIZE_EXCEEDED',
        `the trust policy has ${compact} characters without white space; the default quota is 2,048 (raisable to 4,096)`,
        '',
        awsMessages.trustPolicySize(2048),
        LIMIT_EXCEEDED,
      ),
    );
  }
  if (kind === 'session' && text.length > 2048) {
    findings.push(
      error(
        'POLICY_SIZE_EXCEEDED',
        `the session policy has ${text.length} characters; STS accepts 2,048`,
        '',
        `1 validation error detected: Value at 'policy' failed to satisfy constraint: Member must have length less than or equal to 2048`,
        'ValidationError',
      ),
    );
  }
  if (kind === 'resource' && Buffer.byteLength(text) > 20 * 1024) {
    // UNCONFIRMED: S3's exact error for an oversized bucket policy.
    findings.push(
      error(
        'POLICY_SIZE_EXCEEDED',
        `the bucket policy has ${Buffer.byteLength(text)} bytes; S3 accepts 20 KB`,
        '',
        'Policies must be less than 20 KB',
        'MalformedPolicy',
      ),
    );
  }
}

class Checker {
  constructor(
    private readonly doc: PolicyDocument,
    private readonly kind: PolicyKind,
    private readonly out: Finding[],
  ) {}

  private get variables(): boolean {
    return this.doc.version?.text === '2012-10-17';
  }

  run(): void {
    const { doc, kind } = this;
    if (!doc.version) {
      this.add(
        'warning',
        'MISSING_VERSION',
        'the policy has no `Version`: policy variables are literal text; add "Version": "2012-10-17"',
        '',
      );
    } else if (doc.version.text === '2008-10-17') {
      this.add(
        'warning',
        'OLD_VERSION',
        '`Version` 2008-10-17 treats policy variables as literal text; use 2012-10-17',
        doc.version.path,
      );
    }
    if (doc.id && (kind === 'identity' || kind === 'boundary' || kind === 'session')) {
      this.add(
        'warning',
        'ID_IN_IDENTITY_POLICY',
        '`Id` has no meaning in identity-based policies',
        doc.id.path,
      );
    }
    const sids = new Map<string, string>();
    for (const s of doc.statements) {
      this.statement(s);
      if (s.sid) {
        const previous = sids.get(s.sid.text);
        if (previous !== undefined && s.sid.text !== '') {
          if (IAM_KINDS.has(kind)) {
            this.err(
              'UNIQUE_SIDS_REQUIRED',
              `Sid \`${s.sid.text}\` is used twice (also at ${previous})`,
              s.sid.path,
              awsMessages.uniqueSids,
            );
          } else {
            this.add(
              'warning',
              'UNIQUE_SIDS_RECOMMENDED',
              `Sid \`${s.sid.text}\` is used twice (also at ${previous})`,
              s.sid.path,
            );
          }
        }
        sids.set(s.sid.text, s.sid.path);
      }
    }
    this.redundantStatements();
  }

  private statement(s: Statement): void {
    const { kind } = this;
    if (s.sid) {
      if (s.sid.text === '')
        this.add('suggestion', 'EMPTY_SID_VALUE', 'remove the empty `Sid` or give it a value', s.sid.path);
      else if (IAM_KINDS.has(kind) && !/^[A-Za-z0-9]*$/.test(s.sid.text)) {
        this.err(
          'UNSUPPORTED_SID',
          `Sid \`${s.sid.text}\` may contain only letters and digits in an IAM policy`,
          s.sid.path,
          awsMessages.alphanumericSid,
        );
      }
    }
    const hasPrincipal = s.principal !== undefined || s.notPrincipal !== undefined;
    if (kind === 'identity' || kind === 'boundary' || kind === 'session') {
      if (hasPrincipal) {
        this.err(
          'UNSUPPORTED_PRINCIPAL',
          'identity-based policies cannot name a principal: the principal is whoever the policy is attached to',
          (s.principal ?? s.notPrincipal)!.path,
          awsMessages.principalNotAllowed,
        );
      }
    } else if (!hasPrincipal) {
      this.err(
        'MISSING_PRINCIPAL',
        `${kind === 'trust' ? 'a trust policy' : 'a resource-based policy'} statement must have a \`Principal\``,
        s.path,
        awsMessages.missingPrincipal,
      );
    }
    if (kind === 'trust') {
      if (s.notPrincipal)
        this.err(
          'ROLE_TRUST_POLICY_UNSUPPORTED_NOT_PRINCIPAL',
          'trust policies cannot use `NotPrincipal`',
          s.notPrincipal.path,
          awsMessages.prohibitedNotPrincipal,
        );
      if (s.principal?.wildcard) {
        this.add(
          'securityWarning',
          'ROLE_TRUST_POLICY_UNSUPPORTED_WILDCARD_IN_PRINCIPAL',
          '`"Principal": "*"` lets anyone assume the role; name the principals that may',
          s.principal.path,
        );
      }
      const r = s.resource ?? s.notResource;
      if (r)
        this.err(
          'ROLE_TRUST_POLICY_RESOURCE',
          'a trust policy applies to its role; it cannot have `Resource` or `NotResource`',
          r.path,
          awsMessages.prohibitedResource,
        );
    } else if (!s.resource && !s.notResource) {
      this.err(
        'MISSING_RESOURCE',
        'the statement has no `Resource` or `NotResource`',
        s.path,
        awsMessages.missingResources,
      );
    }
    if (s.principal) this.principal(s.principal, s);
    if (s.notPrincipal) {
      this.principal(s.notPrincipal, s);
      if (s.effect?.text === 'Allow') {
        this.add(
          'securityWarning',
          'ALLOW_WITH_NOT_PRINCIPAL',
          'Allow with `NotPrincipal` grants everyone not listed, anonymous users too',
          s.notPrincipal.path,
        );
      }
    }
    if (s.notResource && s.effect?.text === 'Allow') {
      this.add(
        'warning',
        'NOTRESOURCE_WITH_ALLOW',
        'Allow with `NotResource` grants every other resource of the actions, including ones created later',
        s.notResource.path,
      );
    }
    for (const list of [s.action, s.notAction]) if (list) for (const a of list.values) this.action(a);
    this.redundantActions(s);
    for (const list of [s.resource, s.notResource])
      if (list) for (const r of list.values) this.resource(r, s);
    for (const c of s.condition ?? []) this.condition(c, s);
    this.duplicateConditionKeys(s);
    this.passRole(s);
    this.oidcTrust(s);
  }

  private principal(block: PrincipalBlock, s: Statement): void {
    if (block.wildcard) return;
    if (block.entries.length === 0)
      this.add(
        'suggestion',
        'EMPTY_OBJECT_PRINCIPAL',
        'the principal object is empty and matches nobody',
        block.path,
      );
    for (const { type, values } of block.entries) {
      if (!['AWS', 'Federated', 'Service', 'CanonicalUser'].includes(type)) {
        this.err(
          'INVALID_PRINCIPAL_KEY',
          `unknown principal type \`${type}\`; expected AWS, Federated, Service or CanonicalUser`,
          values.path,
          awsMessages.invalidPrincipal(`"${type}":"${values.values[0]?.text ?? ''}"`),
        );
        continue;
      }
      if (values.values.length === 0)
        this.add(
          'suggestion',
          'EMPTY_ARRAY_PRINCIPAL',
          `the \`${type}\` list is empty and matches nobody`,
          values.path,
        );
      if (type === 'Federated' && this.kind !== 'trust') {
        this.err(
          'FEDERATED_PRINCIPAL_NOT_SUPPORTED',
          'federated principals can only be named in role trust policies',
          values.path,
          awsMessages.invalidPrincipal(`"Federated":"${values.values[0]?.text ?? ''}"`),
        );
      }
      for (const v of values.values) this.principalValue(type, v, s);
    }
  }

  private principalValue(type: string, v: Located, s: Statement): void {
    const t = v.text;
    if (t !== '*' && /[*?]/.test(t)) {
      this.err(
        'UNSUPPORTED_WILDCARD_IN_PRINCIPAL',
        `wildcards are not supported in principal \`${t}\`; use "*" with a condition on aws:PrincipalArn`,
        v.path,
        awsMessages.invalidPrincipal(`"${type}":"${t}"`),
      );
      return;
    }
    if (type === 'AWS' && t !== '*') {
      if (isAccountId(t) || /^A(IDA|ROA)[A-Z2-7]{12,}$/.test(t)) return;
      const arn = parseArn(t);
      const ok =
        arn !== undefined &&
        isAccountId(arn.account) &&
        arn.region === '' &&
        ((arn.service === 'iam' && /^(root|user\/.+|role\/.+)$/.test(arn.resource)) ||
          (arn.service === 'sts' && /^(assumed-role\/[^/]+\/.+|federated-user\/.+)$/.test(arn.resource)));
      if (!ok)
        this.err(
          'INVALID_PRINCIPAL_FORMAT',
          `\`${t}\` is not an account id or the ARN of a root user, user, role or session`,
          v.path,
          awsMessages.invalidPrincipal(`"AWS":"${t}"`),
        );
    }
    if (type === 'Service' && t !== '*' && !/^[a-z0-9.-]+\.(amazonaws\.com(\.cn)?|amazon\.com)$/.test(t)) {
      this.add(
        'warning',
        'UNKNOWN_SERVICE_PRINCIPAL',
        `\`${t}\` does not look like a service principal (such as \`ec2.amazonaws.com\`)`,
        v.path,
      );
    }
    if (type === 'Federated') {
      const actions = (s.action?.values ?? []).map((a) => a.text.toLowerCase());
      const saml = t.includes(':saml-provider/');
      if (saml && actions.includes('sts:assumerolewithwebidentity')) {
        this.add(
          'warning',
          'MISMATCHED_ACTION_FOR_PRINCIPAL',
          'a SAML provider is trusted with sts:AssumeRoleWithWebIdentity; SAML uses sts:AssumeRoleWithSAML',
          v.path,
        );
      }
      if (!saml && actions.includes('sts:assumerolewithsaml')) {
        this.add(
          'warning',
          'MISMATCHED_ACTION_FOR_PRINCIPAL',
          'a web-identity provider is trusted with sts:AssumeRoleWithSAML; it uses sts:AssumeRoleWithWebIdentity',
          v.path,
        );
      }
    }
  }

  private action(a: Located): void {
    const t = a.text;
    if (t === '*') return;
    const colon = t.indexOf(':');
    if (colon < 0) {
      this.err(
        'INVALID_ACTION',
        `\`${t}\` has no service prefix (such as \`s3:GetObject\`)`,
        a.path,
        awsMessages.vendorPrefix,
      );
      return;
    }
    if (t.indexOf(':', colon + 1) >= 0) {
      this.err('INVALID_ACTION', `\`${t}\` has more than one colon`, a.path, awsMessages.oneColon);
      return;
    }
    if (!/^[A-Za-z0-9*?-]+:[A-Za-z0-9*?-]+$/.test(t)) {
      this.err(
        'INVALID_ACTION',
        `\`${t}\` may contain only letters, digits, \`-\`, \`*\` and \`?\``,
        a.path,
        awsMessages.syntax,
      );
      return;
    }
    const service = t.slice(0, colon).toLowerCase();
    const name = t.slice(colon + 1);
    if (/[*?]/.test(service)) {
      this.add(
        'suggestion',
        'WILDCARD_IN_SERVICE_NAME',
        `\`${t}\` uses a wildcard in the service prefix; name the service`,
        a.path,
      );
      return;
    }
    if (!SERVICE_PREFIXES.includes(service)) {
      this.add(
        'warning',
        'INVALID_SERVICE',
        `\`${service}\` is not an AWS service prefix${suggest(service, SERVICE_PREFIXES)}`,
        a.path,
      );
      return;
    }
    const names = ACTIONS[service];
    if (!names) return;
    const g = globFromPattern(name.toLowerCase());
    if (!names.some((n) => matchGlob(g, n.toLowerCase()))) {
      this.add(
        'warning',
        'INVALID_ACTION',
        `\`${t}\` matches no ${service} action${suggest(name, names, `${service}:`)}`,
        a.path,
      );
    }
  }

  private resource(r: Located, s: Statement): void {
    const t = r.text;
    if (t === '*') return;
    if (!t.startsWith('arn:')) {
      this.err(
        'INVALID_ARN_PREFIX',
        `resource \`${t}\` must be an ARN (arn:partition:service:...) or "*"`,
        r.path,
        awsMessages.resourceFormat(t),
      );
      return;
    }
    const arn = parseArn(t);
    if (!arn) {
      const spans = t.endsWith('*');
      this.add(
        'warning',
        'MISSING_ARN_FIELD',
        spans
          ? `resource \`${t}\` has fewer than six ARN fields; its final \`*\` spans the rest`
          : `resource \`${t}\` has fewer than six ARN fields and matches nothing`,
        r.path,
      );
      return;
    }
    if (!/[*?]/.test(arn.partition) && !PARTITIONS.includes(arn.partition)) {
      this.err(
        'INVALID_PARTITION',
        `\`${arn.partition}\` is not an AWS partition`,
        r.path,
        awsMessages.partition(arn.partition, t),
      );
    }
    if (arn.service !== arn.service.toLowerCase()) {
      this.add(
        'warning',
        'INVALID_ARN_SERVICE_CASE',
        `the service in \`${t}\` must be lower-case: ARNs match case-sensitively`,
        r.path,
      );
    }
    if (
      arn.service === 's3' &&
      !/[*?]/.test(arn.resource.split('/')[0] ?? '') &&
      !arn.resource.includes(':') &&
      !S3_TYPED_RESOURCE.test(arn.resource)
    ) {
      if (arn.region !== '' && arn.region !== '*')
        this.add(
          'warning',
          'ARN_REGION_NOT_ALLOWED',
          `S3 bucket and object ARNs have no region: \`${t}\` matches nothing`,
          r.path,
        );
      if (arn.account !== '' && arn.account !== '*')
        this.add(
          'warning',
          'ARN_ACCOUNT_NOT_ALLOWED',
          `S3 bucket and object ARNs have no account: \`${t}\` matches nothing`,
          r.path,
        );
    }
    // `aws` is the account of AWS-managed resources (`arn:aws:iam::aws:policy/...`).
    if (
      arn.account !== '' &&
      arn.account !== 'aws' &&
      !/[*?]/.test(arn.account) &&
      !isAccountId(arn.account) &&
      !arn.account.includes('${')
    ) {
      this.add('warning', 'INVALID_ARN_ACCOUNT', `\`${arn.account}\` is not a 12-digit account id`, r.path);
    }
    const head = t.slice(0, t.length - arn.resource.length);
    if (head.includes('${') && this.variables) {
      this.add(
        'warning',
        'VARIABLE_UNSUPPORTED_IN_ELEMENT',
        `policy variables work only in the resource part of an ARN (after the fifth colon); \`${t}\` matches nothing`,
        r.path,
      );
    }
    this.variableSyntax(arn.resource, r.path);
    this.resourceMismatch(r, arn.service, arn.resource, s);
  }

  /** parliament's RESOURCE_MISMATCH, for S3: bucket actions need bucket ARNs, object actions object ARNs. */
  private resourceMismatch(r: Located, service: string, resource: string, s: Statement): void {
    if (service !== 's3' || !s.action || s.resource === undefined) return;
    // Only a plain bucket ARN (no `/`, no wildcard in the bucket name) or an object ARN (a `/` after a
    // literal bucket name) says which kind it is: `arn:aws:s3:::*` or `arn:aws:s3:::b*` covers both.
    const bucketName = resource.split('/')[0] ?? '';
    if (/[*?]/.test(bucketName) || S3_TYPED_RESOURCE.test(resource)) return;
    const isObject = resource.includes('/');
    const others = s.resource.values.filter((v) => v !== r);
    if (others.length > 0) return;
    for (const a of s.action.values) {
      const types = ACTION_RESOURCE_TYPES[a.text.toLowerCase()];
      if (!types || types.length === 0) continue;
      if (
        isObject &&
        types.every((x) => x !== 'object' && !x.includes('object')) &&
        types.includes('bucket')
      ) {
        this.add(
          'warning',
          'RESOURCE_MISMATCH',
          `\`${a.text}\` applies to bucket ARNs (arn:aws:s3:::BUCKET), not to \`${r.text}\``,
          r.path,
        );
      } else if (!isObject && types.includes('object') && !types.includes('bucket')) {
        this.add(
          'warning',
          'RESOURCE_MISMATCH',
          `\`${a.text}\` applies to object ARNs (arn:aws:s3:::BUCKET/KEY), not to \`${r.text}\``,
          r.path,
        );
      }
    }
  }

  private variableSyntax(text: string, path: string): void {
    if (!text.includes('${')) return;
    if (!this.variables) {
      this.add(
        'warning',
        'VARIABLE_UNSUPPORTED_IN_VERSION',
        `\`${text}\` is literal text: policy variables need "Version": "2012-10-17"`,
        path,
      );
      return;
    }
    for (const p of parseTemplate(text, true).problems)
      this.add(
        'warning',
        p.code === 'MISSING_BRACE'
          ? 'MISSING_BRACE_IN_VARIABLE'
          : p.code === 'MISSING_QUOTE'
            ? 'MISSING_QUOTE_IN_VARIABLE'
            : p.code === 'UNSUPPORTED_SPACE'
              ? 'UNSUPPORTED_SPACE_IN_VARIABLE'
              : 'EMPTY_VARIABLE',
        p.message,
        path,
      );
  }

  private condition(c: ConditionEntry, s: Statement): void {
    const parsed = parseOperator(c.operator);
    const keyPath = c.values.path;
    if (!c.key.includes(':')) {
      this.err(
        'INVALID_CONDITION_KEY_FORMAT',
        `condition key \`${c.key}\` has no service prefix (such as \`aws:SourceIp\`)`,
        keyPath,
        awsMessages.vendorPrefix,
      );
    }
    if (!parsed.ok) return; // compile already reported it
    const op = parsed.operator;
    if (op.canonical !== c.operator) {
      this.add(
        'warning',
        'OPERATOR_CASE',
        `write \`${op.canonical}\`, not \`${c.operator}\``,
        c.operatorPath,
      );
    }
    const key = c.key.toLowerCase();
    const type = keyType(key);
    const family = op.base.family;
    if (c.values.values.length === 0) {
      this.add(
        'suggestion',
        op.qualifier === 'forAllValues' ? 'EMPTY_ARRAY_CONDITION_FORALLVALUES' : 'EMPTY_ARRAY_CONDITION',
        op.qualifier === 'forAllValues'
          ? `ForAllValues with no values matches only when \`${c.key}\` is absent or empty; use Null to say that`
          : `the condition on \`${c.key}\` has no values and never matches`,
        keyPath,
      );
    }
    if (family === 'null' && op.qualifier !== 'none') {
      this.add('suggestion', 'NULL_WITH_QUALIFIER', `a set qualifier on Null has no effect`, c.operatorPath);
    }
    if (family === 'bool' && c.values.values.length > 1) {
      this.add(
        'warning',
        'INVALID_CONDITION_MULTIPLE_BOOLEAN',
        `\`${c.key}\` is compared with several booleans; use one`,
        keyPath,
      );
    }
    if (type) {
      if (isMultivalued(type) && op.qualifier === 'none' && family !== 'null') {
        this.add(
          'warning',
          'MISSING_QUALIFIER',
          `\`${c.key}\` can hold several values; use ForAnyValue:${op.base.name} or ForAllValues:${op.base.name}`,
          c.operatorPath,
        );
      }
      if (!isMultivalued(type) && op.qualifier === 'forAllValues') {
        this.add(
          'securityWarning',
          'FORALLVALUES_WITH_SINGLE_VALUED_KEY',
          `ForAllValues on the single-valued key \`${c.key}\` is also true when the key is absent; drop the qualifier`,
          c.operatorPath,
        );
      } else if (!isMultivalued(type) && op.qualifier === 'forAnyValue') {
        this.add(
          'suggestion',
          'FORANYVALUE_WITH_SINGLE_VALUED_KEY',
          `\`${c.key}\` is single-valued; ForAnyValue: adds nothing`,
          c.operatorPath,
        );
      }
      this.typeMismatch(c, op.base.family, type, keyPath);
    }
    if (family === 'string' && op.base.comparison !== 'like') {
      for (const v of c.values.values) {
        const stripped = v.text.replace(/\$\{[^}]*\}/g, '');
        if (/[*?]/.test(stripped)) {
          this.add(
            'warning',
            'WILDCARD_WITHOUT_LIKE_OPERATOR',
            `\`${v.text}\` has \`*\` or \`?\`, which ${op.base.name} compares literally; use ${op.base.negated ? 'StringNotLike' : 'StringLike'} for wildcards`,
            v.path,
          );
        }
      }
    }
    if (family === 'ip') {
      for (const v of c.values.values) {
        if (hasHostBits(v.text)) {
          const cidr = parseCidr(v.text);
          this.add(
            'suggestion',
            'IMPROVE_IP_RANGE',
            `the bits of \`${v.text}\` past the mask are ignored; write \`${cidr ? formatCidr(cidr) : v.text}\``,
            v.path,
          );
        }
        if (key === 'aws:sourceip' && isPrivate(v.text)) {
          this.add(
            'warning',
            'PRIVATE_IP_ADDRESS',
            `\`${v.text}\` is a private range; aws:SourceIp holds public addresses (use aws:VpcSourceIp for VPC traffic)`,
            v.path,
          );
        }
      }
    }
    if (family === 'string' || family === 'arn')
      for (const v of c.values.values) this.variableSyntax(v.text, v.path);
    if (
      family === 'bool' &&
      key === 'aws:multifactorauthpresent' &&
      !op.ifExists &&
      s.effect?.text === 'Deny' &&
      c.values.values.some((v) => v.text.toLowerCase() === 'false')
    ) {
      this.add(
        'warning',
        'BAD_PATTERN_FOR_MFA',
        'long-term keys carry no aws:MultiFactorAuthPresent, so this Deny never applies to them; use BoolIfExists',
        c.operatorPath,
      );
    }
  }

  private typeMismatch(c: ConditionEntry, family: string, type: string, path: string): void {
    const base = type.replace(/^ArrayOf/, '');
    const fits: Record<string, string[]> = {
      string: ['String'],
      arn: ['ARN'],
      numeric: ['Numeric'],
      date: ['Date'],
      bool: ['Bool'],
      ip: ['IPAddress'],
      binary: ['Binary'],
    };
    if (family === 'null' || fits[family]?.includes(base)) return;
    if (family === 'string' && base === 'ARN') {
      this.add(
        'warning',
        'MISMATCHED_TYPE_BUT_USABLE',
        `\`${c.key}\` is an ARN key; Arn operators compare it component by component`,
        path,
      );
      return;
    }
    if (family === 'numeric' && c.key.toLowerCase() === 'aws:epochtime') return;
    this.add(
      'warning',
      'MISMATCHED_TYPE',
      `\`${c.key}\` holds ${base} values, but \`${c.operator}\` compares ${family} values`,
      path,
    );
  }

  private duplicateConditionKeys(s: Statement): void {
    const seen = new Map<string, string>();
    for (const c of s.condition ?? []) {
      const k = `${c.operator}\u0000${c.key.toLowerCase()}`;
      const previous = seen.get(k);
      if (previous !== undefined && previous !== c.key) {
        this.err(
          'DUPLICATE_KEYS_WITH_DIFFERENT_CASE',
          `condition keys \`${previous}\` and \`${c.key}\` are the same key (key names are case-insensitive)`,
          c.values.path,
          awsMessages.syntax,
        );
      }
      seen.set(k, c.key);
    }
  }

  private passRole(s: Statement): void {
    if (s.effect?.text !== 'Allow') return;
    const passes = s.action?.values.some(
      (a) => matchGlob(globFromPattern(a.text.toLowerCase()), 'iam:passrole') && a.text !== '*',
    );
    const star = s.resource?.values.some((r) => r.text === '*') || s.notResource !== undefined;
    if (passes && star) {
      this.add(
        'securityWarning',
        'PASS_ROLE_WITH_STAR_IN_RESOURCE',
        'iam:PassRole on every resource lets the holder hand any role to a service; name the roles',
        s.path,
      );
    }
  }

  /** Access Analyzer: "Missing condition key for OIDC principal". */
  private oidcTrust(s: Statement): void {
    if (this.kind !== 'trust' || s.effect?.text !== 'Allow' || !s.principal || s.principal.wildcard) return;
    const providers = s.principal.entries
      .filter((e) => e.type === 'Federated')
      .flatMap((e) => e.values.values);
    for (const p of providers) {
      const host = oidcHost(p.text);
      if (host === undefined) continue;
      const keys = (s.condition ?? []).map((c) => c.key.toLowerCase());
      const lower = host.toLowerCase();
      if (lower === 'cognito-identity.amazonaws.com') {
        // Cognito tokens are scoped by identity pool (`:aud`), not by subject.
        if (!keys.includes(`${lower}:aud`)) {
          this.add(
            'securityWarning',
            'MISSING_CONDITION_KEY_FOR_OIDC_PRINCIPAL',
            `no condition on \`${host}:aud\`: identities of every Cognito identity pool can assume this role`,
            p.path,
          );
        }
        continue;
      }
      if (!keys.includes(`${lower}:sub`)) {
        this.add(
          'securityWarning',
          'MISSING_CONDITION_KEY_FOR_OIDC_PRINCIPAL',
          `no condition on \`${host}:sub\`: every identity the provider issues tokens for (for a Kubernetes issuer, every service account of the cluster) can assume this role`,
          p.path,
        );
      }
      if (!keys.includes(`${lower}:aud`)) {
        this.add(
          'warning',
          'MISSING_AUDIENCE_CONDITION',
          `no condition on \`${host}:aud\`: tokens minted for other audiences are accepted too; add "StringEquals": {"${host}:aud": "sts.amazonaws.com"}`,
          p.path,
        );
      }
    }
  }

  private redundantActions(s: Statement): void {
    const list = s.action ?? s.notAction;
    if (!list || list.values.length < 2) return;
    for (const a of list.values) {
      const lower = a.text.toLowerCase();
      const cover = list.values.find(
        (b) =>
          b !== a &&
          b.text.toLowerCase() !== lower &&
          matchGlob(globFromPattern(b.text.toLowerCase()), lower),
      );
      if (cover)
        this.add(
          'suggestion',
          'REDUNDANT_ACTION',
          `\`${a.text}\` is already covered by \`${cover.text}\``,
          a.path,
        );
    }
  }

  private redundantStatements(): void {
    const seen = new Map<string, Statement>();
    for (const s of this.doc.statements) {
      const key = JSON.stringify(
        { ...s, sid: undefined, index: undefined, path: undefined },
        (k, v: unknown) =>
          k === 'path' || k === 'operatorPath' || k === 'conditionPath' || k === 'bare' ? undefined : v,
      );
      const previous = seen.get(key);
      if (previous)
        this.add(
          'suggestion',
          'REDUNDANT_STATEMENT',
          `this statement grants what ${previous.path} grants`,
          s.path,
        );
      else seen.set(key, s);
    }
  }

  private add(severity: Severity, code: string, message: string, path: string): void {
    this.out.push({ severity, code, message, path });
  }

  private err(code: string, message: string, path: string, awsMessage: string): void {
    this.out.push(error(code, message, path, awsMessage));
  }
}

function error(
  code: string,
  message: string,
  path: string,
  awsMessage: string,
  awsCode: string = MALFORMED,
): Finding {
  return { severity: 'error', code, message, path, awsError: { code: awsCode, message: awsMessage } };
}

/** `arn:aws:iam::A:oidc-provider/HOST/PATH` → `HOST/PATH`; well-known providers are their host. */
function oidcHost(provider: string): string | undefined {
  const m = /^arn:[^:]+:iam::\d{12}:oidc-provider\/(.+)$/.exec(provider);
  if (m) return m[1]!;
  if (provider === 'accounts.google.com' || provider === 'cognito-identity.amazonaws.com') return provider;
  return undefined;
}

function isPrivate(text: string): boolean {
  const c = parseCidr(text);
  if (!c || c.v !== 4) return false;
  const inside = (net: string, bits: number) => {
    const n = parseCidr(`${net}/${bits}`);
    return (
      n !== undefined &&
      n.v === 4 &&
      c.bits >= bits &&
      (c.net & (bits === 0 ? 0 : ~0 << (32 - bits))) >>> 0 === n.net
    );
  };
  return (
    inside('10.0.0.0', 8) || inside('172.16.0.0', 12) || inside('192.168.0.0', 16) || inside('127.0.0.0', 8)
  );
}

function suggest(word: string, candidates: readonly string[], prefix = ''): string {
  const w = word.toLowerCase();
  let best: string | undefined;
  let bestD = 3;
  for (const c of candidates) {
    const d = distance(w, c.toLowerCase(), bestD);
    if (d < bestD) {
      bestD = d;
      best = c;
    }
  }
  return best ? `; did you mean \`${prefix}${best}\`?` : '';
}

/** Levenshtein distance, giving up once it reaches `limit`. */
function distance(a: string, b: string, limit: number): number {
  if (Math.abs(a.length - b.length) >= limit) return limit;
  let prev = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    const cur = [i];
    let rowMin = i;
    for (let j = 1; j <= b.length; j++) {
      const v = Math.min(prev[j]! + 1, cur[j - 1]! + 1, prev[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
      cur.push(v);
      rowMin = Math.min(rowMin, v);
    }
    if (rowMin >= limit) return limit;
    prev = cur;
  }
  return prev[b.length]!;
}

function dedupe(findings: Finding[]): Finding[] {
  const seen = new Set<string>();
  return findings.filter((f) => {
    const k = `${f.code}\u0000${f.path}\u0000${f.message}`;
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
}
