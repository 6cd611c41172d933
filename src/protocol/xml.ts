/**
 * A small XML writer for response bodies: elements, attributes and text, nothing else (no comments, no
 * CDATA, no declaration — AWS sends none). Text and attribute values are always escaped, so no value
 * can open a tag, close one or end a section (`]]>` loses its `>`). Names come from code (shapes,
 * envelopes) and are checked: a bad one is a programming error (`TypeError`), never a consequence of
 * user input.
 */

export type XmlNode =
  | { readonly name: string; readonly attributes?: Readonly<Record<string, string>>; readonly text: string }
  | {
      readonly name: string;
      readonly attributes?: Readonly<Record<string, string>>;
      readonly children: readonly XmlNode[];
    };

/** An element holding text. */
export function textElement(name: string, text: string): XmlNode {
  return { name, text };
}

/** An element holding elements. */
export function element(
  name: string,
  children: readonly XmlNode[],
  attributes?: Readonly<Record<string, string>>,
): XmlNode {
  return attributes === undefined ? { name, children } : { name, children, attributes };
}

/**
 * Escapes text for element content:
 * - `&`, `<` and `>` become entity references (escaping every `>` also defuses `]]>`);
 * - CR becomes `&#xD;`, since a parser turns a raw CR into LF (XML 1.0 §2.11); TAB and LF stay raw;
 * - what XML 1.0 cannot carry at all, not even as a character reference (§2.2 `Char`: C0 controls
 *   other than TAB, LF and CR; U+FFFE, U+FFFF; unpaired surrogates), becomes U+FFFD. Paired
 *   surrogates (astral characters such as emoji) are kept.
 *
 * Quotes stay raw in element content, where they mean nothing — and where AWS leaves them: the real STS
 * error quoted in awslabs/aws-sdk-rust#827 is 390 bytes with `Couldn't` as is, 395 with `&apos;`.
 */
export function escapeXmlText(text: string): string {
  // Most text (ids, ARNs, base64 tokens) needs nothing: one scan for any candidate character first,
  // far cheaper than the full pattern with its surrogate look-arounds.
  return MAYBE_UNSAFE.test(text) ? text.replace(UNSAFE_TEXT, replacement) : text;
}

/**
 * Escapes an attribute value: as `escapeXmlText`, and `"`, `'`, TAB and LF too (attribute-value
 * normalisation would turn TAB and LF into spaces, §3.3.3), so the value is safe in either quote.
 */
export function escapeXmlAttribute(text: string): string {
  return MAYBE_UNSAFE.test(text) ? text.replace(UNSAFE_ATTRIBUTE, replacement) : text;
}

/**
 * Renders a tree as AWS renders awsQuery bodies: two-space indentation, one element per line, a text
 * element on one line, and a final newline (the bytes of a real STS error: awslabs/aws-sdk-rust#827).
 */
export function renderXml(root: XmlNode): string {
  const out: string[] = [];
  write(root, '', out);
  return out.join('');
}

/* eslint-disable no-control-regex -- the control characters are what these patterns are for */
const UNSAFE_TEXT =
  /[&<>\r\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;
const UNSAFE_ATTRIBUTE =
  /[&<>"'\t\n\r\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;
/**
 * Every character either pattern can match, and some they leave alone (TAB, LF, paired surrogates):
 * text without any of them needs no escaping. Not global, so `test` keeps no `lastIndex` state.
 */
const MAYBE_UNSAFE = /[&<>"'\u0000-\u001f\ud800-\udfff\ufffe\uffff]/;
/* eslint-enable no-control-regex */

const ENTITIES: Readonly<Record<string, string>> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&apos;',
  '\t': '&#x9;',
  '\n': '&#xA;',
  '\r': '&#xD;',
};

function replacement(c: string): string {
  return ENTITIES[c] ?? '\ufffd';
}

/** An XML Name, restricted to ASCII (all AWS element names are) plus `:` for `xmlns:prefix`. */
const NAME = /^[A-Za-z_][A-Za-z0-9._:-]*$/;

/** `name` itself when it is an XML name (as `NAME` restricts it); a `TypeError` otherwise. */
export function xmlName(name: string): string {
  if (!NAME.test(name)) throw new TypeError(`\`${name}\` is not an XML name`);
  return name;
}

function write(node: XmlNode, indent: string, out: string[]): void {
  const name = xmlName(node.name);
  let open = `<${name}`;
  for (const [attr, value] of Object.entries(node.attributes ?? {})) {
    open += ` ${xmlName(attr)}="${escapeXmlAttribute(value)}"`;
  }
  open += '>';
  if ('text' in node) {
    out.push(`${indent}${open}${escapeXmlText(node.text)}</${name}>\n`);
    return;
  }
  if (node.children.length === 0) {
    out.push(`${indent}${open}</${name}>\n`);
    return;
  }
  out.push(`${indent}${open}\n`);
  for (const child of node.children) write(child, `${indent}  `, out);
  out.push(`${indent}</${name}>\n`);
}
