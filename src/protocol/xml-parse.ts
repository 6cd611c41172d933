/**
 * A small, bounded XML reader for S3 request bodies (CompleteMultipartUpload, Delete, Tagging,
 * PublicAccessBlockConfiguration, CreateBucketConfiguration, ...). It reads the XML 1.0 those bodies use —
 * elements, attributes, character data, the five predefined entities and character references, CDATA
 * sections, comments, processing instructions and the XML declaration — and refuses every DTD
 * (`<!DOCTYPE`), so no entity can be defined, expanded or fetched. Everything is bounded: bytes, depth,
 * elements, attributes, name length. Total: bad input returns a failure, never throws. Names are kept as
 * written (`prefix:local`); `localName` drops the prefix, since S3 bodies come with and without
 * `xmlns="http://s3.amazonaws.com/doc/2006-03-01/"`.
 *
 * The failure is S3's MalformedXML (or MaxMessageLengthExceeded for a body over `maxBytes`); `detail` says
 * what was wrong and where, for logs and tests — S3 itself tells the client no more than its message.
 */

export interface XmlElement {
  /** The name as written, prefix included. */
  readonly name: string;
  /** The name without its namespace prefix. */
  readonly localName: string;
  readonly attributes: ReadonlyMap<string, string>;
  readonly children: readonly XmlElement[];
  /** The character data directly inside this element (CDATA included), entities decoded, in order. */
  readonly text: string;
}

export interface XmlLimits {
  /** The largest body, in UTF-8 bytes (ours: 2 MiB, above the 10,000-part CompleteMultipartUpload). */
  readonly maxBytes: number;
  readonly maxDepth: number;
  readonly maxElements: number;
  readonly maxAttributes: number;
  readonly maxNameLength: number;
}

export const DEFAULT_XML_LIMITS: XmlLimits = {
  maxBytes: 2 * 1024 * 1024,
  maxDepth: 16,
  maxElements: 60_000,
  maxAttributes: 16,
  maxNameLength: 256,
};

export type XmlFailureCode = 'MalformedXML' | 'MaxMessageLengthExceeded';

export interface XmlFailure {
  readonly code: XmlFailureCode;
  /** S3's message for the code. */
  readonly message: string;
  /** Ours: what was wrong, for logs and tests. */
  readonly detail: string;
  /** Offset (in characters) where reading stopped. */
  readonly offset: number;
}

export type XmlParseResult =
  { readonly ok: true; readonly root: XmlElement } | { readonly ok: false; readonly failure: XmlFailure };

/** (confirmed: S3's MalformedXML message, quoted in countless SDK issues, e.g. aws/aws-sdk-js#1329) */
export const MALFORMED_XML_MESSAGE =
  'The XML you provided was not well-formed or did not validate against our published schema';

/** ⚠ S3's MaxMessageLengthExceeded message as its error code list gives it (unconfirmed live). */
export const MAX_MESSAGE_LENGTH_MESSAGE = 'Your request was too big.';

class XmlError extends Error {
  constructor(
    readonly detail: string,
    readonly offset: number,
  ) {
    super(detail);
  }
}

interface Building {
  readonly name: string;
  readonly attributes: Map<string, string>;
  readonly children: XmlElement[];
  text: string;
}

// XML 1.0 §2.3 Name, by Unicode category: a letter, `_` or `:` first, then letters, marks, digits, `.`
// `-` and U+00B7. Close enough to §2.3 for request bodies, whose names S3 defines in ASCII.
const NAME = /[\p{L}_:][\p{L}\p{M}\p{N}_:.\-\u00b7]*/uy;
const SPACE = /[ \t\n]*/y;
const ENTITY = /&(?:(amp|lt|gt|quot|apos)|#([0-9]{1,7})|#x([0-9a-fA-F]{1,6}));/y;
// §2.2 Char: TAB, LF, CR and U+0020 up; no U+FFFE/U+FFFF; surrogates only in pairs.
/* eslint-disable no-control-regex -- control characters are what this pattern finds */
const NOT_CHAR =
  /[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;
/* eslint-enable no-control-regex */
const PREDEFINED: Readonly<Record<string, string>> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };

/** Parses one XML document (a string, or UTF-8 bytes) into its root element. */
export function parseXml(input: string | Uint8Array, limits: Partial<XmlLimits> = {}): XmlParseResult {
  const bounds = { ...DEFAULT_XML_LIMITS, ...limits };
  const size = typeof input === 'string' ? Buffer.byteLength(input, 'utf8') : input.length;
  if (size > bounds.maxBytes) {
    return fail(
      'MaxMessageLengthExceeded',
      MAX_MESSAGE_LENGTH_MESSAGE,
      `the body is ${size} bytes, more than ${bounds.maxBytes}`,
      0,
    );
  }
  let text: string;
  if (typeof input === 'string') {
    text = input;
  } else {
    try {
      text = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(input);
    } catch {
      return fail('MalformedXML', MALFORMED_XML_MESSAGE, 'the body is not UTF-8', 0);
    }
  }
  try {
    return { ok: true, root: new Reader(text, bounds).document() };
  } catch (error) {
    if (error instanceof XmlError)
      return fail('MalformedXML', MALFORMED_XML_MESSAGE, error.detail, error.offset);
    throw error;
  }
}

function fail(code: XmlFailureCode, message: string, detail: string, offset: number): XmlParseResult {
  return { ok: false, failure: { code, message, detail, offset } };
}

class Reader {
  readonly #s: string;
  readonly #limits: XmlLimits;
  #pos = 0;
  #elements = 0;

  constructor(text: string, limits: XmlLimits) {
    // §2.11: a parser sees every CR LF and lone CR as LF. A leading BOM is not content.
    this.#s = text.replace(/^\ufeff/, '').replace(/\r\n?/g, '\n');
    this.#limits = limits;
    const bad = NOT_CHAR.exec(this.#s);
    if (bad !== null) throw new XmlError('a character XML does not allow', bad.index);
  }

  document(): XmlElement {
    if (this.#s.startsWith('<?xml')) this.#declaration();
    this.#misc();
    if (!this.#s.startsWith('<', this.#pos) || this.#s.startsWith('</', this.#pos))
      this.#error('no root element');
    const root = this.#element(1);
    this.#misc();
    if (this.#pos < this.#s.length) this.#error('content after the root element');
    return root;
  }

  /** `<?xml version="1.0" [encoding="..."] [standalone="..."]?>`, only at the very start. */
  #declaration(): void {
    const end = this.#s.indexOf('?>');
    if (end === -1) this.#error('an XML declaration that does not end');
    const body = this.#s.slice(5, end);
    if (
      !/^\s+version\s*=\s*(["'])1\.[0-9]+\1(\s+encoding\s*=\s*(["'])[A-Za-z][A-Za-z0-9._-]*\3)?(\s+standalone\s*=\s*(["'])(yes|no)\5)?\s*$/.test(
        body,
      )
    ) {
      this.#error('a malformed XML declaration');
    }
    const encoding = /encoding\s*=\s*["']([^"']*)["']/.exec(body)?.[1]?.toLowerCase();
    if (encoding !== undefined && encoding !== 'utf-8' && encoding !== 'utf8' && encoding !== 'us-ascii') {
      this.#error(`encoding \`${encoding}\`: only UTF-8 is read`);
    }
    this.#pos = end + 2;
  }

  /** White space, comments and processing instructions outside the root element. */
  #misc(): void {
    for (;;) {
      this.#space();
      if (this.#s.startsWith('<!--', this.#pos)) this.#comment();
      else if (this.#s.startsWith('<?', this.#pos)) this.#instruction();
      else if (this.#s.startsWith('<!DOCTYPE', this.#pos) || this.#s.startsWith('<!doctype', this.#pos)) {
        this.#error('a DTD (DOCTYPE is not accepted)');
      } else return;
    }
  }

  #element(depth: number): XmlElement {
    if (depth > this.#limits.maxDepth) this.#error(`elements nested deeper than ${this.#limits.maxDepth}`);
    this.#elements += 1;
    if (this.#elements > this.#limits.maxElements)
      this.#error(`more than ${this.#limits.maxElements} elements`);
    this.#pos += 1; // '<'
    const name = this.#name();
    const node: Building = { name, attributes: new Map(), children: [], text: '' };
    for (;;) {
      const before = this.#pos;
      this.#space();
      if (this.#s.startsWith('/>', this.#pos)) {
        this.#pos += 2;
        return finish(node);
      }
      if (this.#s.startsWith('>', this.#pos)) {
        this.#pos += 1;
        break;
      }
      if (this.#pos === before) this.#error('white space expected between attributes');
      this.#attribute(node);
    }
    this.#content(node, depth);
    return finish(node);
  }

  #attribute(node: Building): void {
    const name = this.#name();
    this.#space();
    if (this.#s[this.#pos] !== '=') this.#error(`\`=\` expected after attribute \`${name}\``);
    this.#pos += 1;
    this.#space();
    const quote = this.#s[this.#pos];
    if (quote !== '"' && quote !== "'") this.#error('a quoted attribute value expected');
    const end = this.#s.indexOf(quote, this.#pos + 1);
    if (end === -1) this.#error('an attribute value that does not end');
    const raw = this.#s.slice(this.#pos + 1, end);
    if (raw.includes('<')) this.#error('`<` in an attribute value');
    if (node.attributes.has(name)) this.#error(`attribute \`${name}\` twice`);
    if (node.attributes.size >= this.#limits.maxAttributes)
      this.#error(`more than ${this.#limits.maxAttributes} attributes`);
    // §3.3.3: literal TAB and LF in a value become spaces; character references keep theirs.
    node.attributes.set(name, this.#decode(raw.replace(/[\t\n]/g, ' '), this.#pos + 1, false));
    this.#pos = end + 1;
  }

  /** Content up to and including the matching end tag. */
  #content(node: Building, depth: number): void {
    for (;;) {
      const lt = this.#s.indexOf('<', this.#pos);
      if (lt === -1) this.#error(`element \`${node.name}\` is not closed`);
      if (lt > this.#pos) node.text += this.#decode(this.#s.slice(this.#pos, lt), this.#pos);
      this.#pos = lt;
      if (this.#s.startsWith('</', lt)) {
        this.#pos += 2;
        const name = this.#name();
        if (name !== node.name) this.#error(`\`</${name}>\` closes \`<${node.name}>\``);
        this.#space();
        if (this.#s[this.#pos] !== '>') this.#error('`>` expected');
        this.#pos += 1;
        return;
      }
      if (this.#s.startsWith('<![CDATA[', lt)) {
        const end = this.#s.indexOf(']]>', lt + 9);
        if (end === -1) this.#error('a CDATA section that does not end');
        node.text += this.#s.slice(lt + 9, end);
        this.#pos = end + 3;
      } else if (this.#s.startsWith('<!--', lt)) {
        this.#comment();
      } else if (this.#s.startsWith('<?', lt)) {
        this.#instruction();
      } else if (this.#s.startsWith('<!', lt)) {
        this.#error('a declaration inside an element');
      } else {
        node.children.push(this.#element(depth + 1));
      }
    }
  }

  #comment(): void {
    const end = this.#s.indexOf('-->', this.#pos + 4);
    if (end === -1) this.#error('a comment that does not end');
    // §2.5: `--` may not occur inside a comment.
    if (this.#s.slice(this.#pos + 4, end).includes('--') || this.#s[end - 1] === '-')
      this.#error('`--` inside a comment');
    this.#pos = end + 3;
  }

  #instruction(): void {
    this.#pos += 2;
    const target = this.#name();
    if (target.toLowerCase() === 'xml') this.#error('an XML declaration that is not at the start');
    const end = this.#s.indexOf('?>', this.#pos);
    if (end === -1) this.#error('a processing instruction that does not end');
    this.#pos = end + 2;
  }

  #name(): string {
    NAME.lastIndex = this.#pos;
    const match = NAME.exec(this.#s);
    if (match === null) this.#error('a name expected');
    const name = match[0];
    if (name.length > this.#limits.maxNameLength)
      this.#error(`a name longer than ${this.#limits.maxNameLength}`);
    this.#pos += name.length;
    return name;
  }

  #space(): void {
    SPACE.lastIndex = this.#pos;
    SPACE.exec(this.#s);
    this.#pos = SPACE.lastIndex;
  }

  /** Character data with its references decoded; a bare `&`, or `>` in `]]>`, is an error. */
  #decode(raw: string, offset: number, content = true): string {
    if (content && raw.includes(']]>')) this.#error('`]]>` in character data', offset + raw.indexOf(']]>'));
    let amp = raw.indexOf('&');
    if (amp === -1) return raw;
    let out = '';
    let from = 0;
    while (amp !== -1) {
      out += raw.slice(from, amp);
      ENTITY.lastIndex = amp;
      const match = ENTITY.exec(raw);
      if (match === null)
        this.#error('`&` that is not a reference to a predefined entity or a character', offset + amp);
      const [whole, named, decimal, hex] = match;
      if (named !== undefined) {
        out += PREDEFINED[named] ?? '';
      } else {
        const code = decimal !== undefined ? Number.parseInt(decimal, 10) : Number.parseInt(hex ?? '', 16);
        if (!isXmlChar(code))
          this.#error(`a reference to character ${code}, which XML does not allow`, offset + amp);
        out += String.fromCodePoint(code);
      }
      from = amp + whole.length;
      amp = raw.indexOf('&', from);
    }
    return out + raw.slice(from);
  }

  #error(detail: string, offset = this.#pos): never {
    throw new XmlError(detail, offset);
  }
}

function isXmlChar(code: number): boolean {
  return (
    code === 0x9 ||
    code === 0xa ||
    code === 0xd ||
    (code >= 0x20 && code <= 0xd7ff) ||
    (code >= 0xe000 && code <= 0xfffd) ||
    (code >= 0x10000 && code <= 0x10ffff)
  );
}

function finish(node: Building): XmlElement {
  const colon = node.name.indexOf(':');
  return {
    name: node.name,
    localName: colon === -1 ? node.name : node.name.slice(colon + 1),
    attributes: node.attributes,
    children: node.children,
    text: node.text,
  };
}

/** The children of `element` with local name `localName`, in order. */
export function childrenNamed(element: XmlElement, localName: string): XmlElement[] {
  return element.children.filter((child) => child.localName === localName);
}

/** The only child named `localName`; undefined when there is none, `'many'` when there are several. */
export function onlyChild(element: XmlElement, localName: string): XmlElement | 'many' | undefined {
  const found = childrenNamed(element, localName);
  if (found.length > 1) return 'many';
  return found[0];
}
