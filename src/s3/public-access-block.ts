import { element, textElement } from '../protocol/xml.js';
import type { XmlElement } from '../protocol/xml-parse.js';
import type { PublicAccessBlock } from '../store/buckets.js';
import { xmlBodyError } from './wire-errors.js';
import { malformed } from './xml-body.js';
import { S3_NAMESPACE, s3Xml } from './xml.js';

/** The four settings, wire name → field, in S3's order (S3 API Reference, PublicAccessBlockConfiguration). */
export const PUBLIC_ACCESS_BLOCK_FIELDS: readonly (readonly [string, keyof PublicAccessBlock])[] = [
  ['BlockPublicAcls', 'blockPublicAcls'],
  ['IgnorePublicAcls', 'ignorePublicAcls'],
  ['BlockPublicPolicy', 'blockPublicPolicy'],
  ['RestrictPublicBuckets', 'restrictPublicBuckets'],
];

/** Reads a `<PublicAccessBlockConfiguration>`: an absent setting is false; a value not a boolean is MalformedXML. */
export function readPublicAccessBlock(root: XmlElement): PublicAccessBlock {
  const out: Record<keyof PublicAccessBlock, boolean> = {
    blockPublicAcls: false,
    ignorePublicAcls: false,
    blockPublicPolicy: false,
    restrictPublicBuckets: false,
  };
  for (const child of root.children) {
    const field = PUBLIC_ACCESS_BLOCK_FIELDS.find(([name]) => name === child.localName)?.[1];
    const value = child.text.trim().toLowerCase();
    if (field === undefined || (value !== 'true' && value !== 'false')) {
      throw xmlBodyError(malformed(`<${child.localName.slice(0, 64)}> is not a public access block setting`));
    }
    out[field] = value === 'true';
  }
  return out;
}

/** The `<PublicAccessBlockConfiguration>` GetPublicAccessBlock answers. */
export function publicAccessBlockXml(settings: PublicAccessBlock): string {
  return s3Xml(
    element(
      'PublicAccessBlockConfiguration',
      PUBLIC_ACCESS_BLOCK_FIELDS.map(([name, field]) => textElement(name, String(settings[field]))),
      { xmlns: S3_NAMESPACE },
    ),
  );
}
