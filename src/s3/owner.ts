import { createHash } from 'node:crypto';
import { element, textElement, type XmlNode } from '../protocol/xml.js';

/**
 * An account's S3 canonical user id: 64 hex digits, as S3's are (S3 User Guide, "Find the canonical user
 * ID"). S3's ids are opaque; here a digest of the account id, stable across restarts.
 */
export function canonicalUserId(accountId: string): string {
  return createHash('sha256').update(`openirsa-canonical-user:${accountId}`).digest('hex');
}

/** `<Owner><ID/><DisplayName/></Owner>`; the display name is the account id. */
export function ownerXml(accountId: string): XmlNode {
  return element('Owner', [
    textElement('ID', canonicalUserId(accountId)),
    textElement('DisplayName', accountId),
  ]);
}
