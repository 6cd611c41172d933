/**
 * Amazon Resource Names: `arn:partition:service:region:account-id:resource`, where the resource part may
 * itself contain `:` and `/` (IAM User Guide, "IAM identifiers" / reference-arns).
 */
export interface Arn {
  readonly partition: string;
  readonly service: string;
  readonly region: string;
  readonly account: string;
  /** Everything after the fifth colon, colons included. */
  readonly resource: string;
}

/** The partitions AWS operates; ARNs name one of them. */
export const PARTITIONS = [
  'aws',
  'aws-cn',
  'aws-us-gov',
  'aws-iso',
  'aws-iso-b',
  'aws-iso-e',
  'aws-iso-f',
  'aws-eusc',
];

/**
 * Splits an ARN into its six components. Returns `undefined` for anything that is not `arn:` followed by
 * five more colon-separated fields; it does not judge the fields' contents.
 */
export function parseArn(text: string): Arn | undefined {
  const parts = splitArn(text);
  if (parts === undefined) return undefined;
  const [prefix, partition, service, region, account, resource] = parts;
  if (prefix !== 'arn') return undefined;
  return { partition, service, region, account, resource };
}

/**
 * Splits on the first five colons: `[arn, partition, service, region, account, resource]`, or `undefined`
 * when there are fewer than five. Used both for ARNs and for ARN patterns, which split the same way.
 */
export function splitArn(text: string): [string, string, string, string, string, string] | undefined {
  const cuts: number[] = [];
  let from = 0;
  for (let i = 0; i < 5; i++) {
    const at = text.indexOf(':', from);
    if (at < 0) return undefined;
    cuts.push(at);
    from = at + 1;
  }
  const [a, b, c, d, e] = cuts as [number, number, number, number, number];
  return [
    text.slice(0, a),
    text.slice(a + 1, b),
    text.slice(b + 1, c),
    text.slice(c + 1, d),
    text.slice(d + 1, e),
    text.slice(e + 1),
  ];
}

export function formatArn(arn: Arn): string {
  return `arn:${arn.partition}:${arn.service}:${arn.region}:${arn.account}:${arn.resource}`;
}

/** A 12-digit AWS account id. */
export function isAccountId(text: string): boolean {
  return /^\d{12}$/.test(text);
}
