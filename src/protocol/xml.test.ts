import assert from 'node:assert/strict';
import { test } from 'node:test';
import { element, escapeXmlAttribute, escapeXmlText, renderXml, textElement } from './xml.js';

/**
 * What an XML 1.0 parser accepts as character data: legal characters only (§2.2), no `<`, and `&` only
 * as the start of a reference. Enough to prove escaped text cannot change the document's structure.
 */
function isSafeCharData(text: string): boolean {
  for (const ch of text) {
    const c = ch.codePointAt(0)!;
    const legal =
      c === 0x9 ||
      c === 0xa ||
      c === 0xd ||
      (c >= 0x20 && c <= 0xd7ff) ||
      (c >= 0xe000 && c <= 0xfffd) ||
      (c >= 0x10000 && c <= 0x10ffff);
    if (!legal) return false;
  }
  if (text.includes('<') || text.includes('>') || text.includes('\r')) return false;
  return !/&(?!(?:amp|lt|gt|quot|apos|#xD|#x9|#xA);)/.test(text);
}

/** What XML 1.0 cannot carry, in the hostile strings below: C0 controls, an unpaired high surrogate. */
// eslint-disable-next-line no-control-regex -- those characters are the point
const NOT_CARRIABLE = /[\u0000-\u0008\u000b\u000c\u000e-\u001f]|[\ud800-\udbff](?![\udc00-\udfff])/g;

/** Reverses the escaping, for round-trip checks. */
function unescape(text: string): string {
  return text
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&apos;/g, "'")
    .replace(/&#xD;/g, '\r')
    .replace(/&#x9;/g, '\t')
    .replace(/&#xA;/g, '\n')
    .replace(/&amp;/g, '&');
}

test('markup characters in text become entity references; ]]> cannot close anything', () => {
  assert.equal(escapeXmlText('<script>alert(1)</script>'), '&lt;script&gt;alert(1)&lt;/script&gt;');
  assert.equal(escapeXmlText(']]>'), ']]&gt;');
  assert.equal(escapeXmlText('a & b &amp; c'), 'a &amp; b &amp;amp; c');
  assert.equal(
    escapeXmlText('</Message></Error><Code>AccessDenied</Code>'),
    '&lt;/Message&gt;&lt;/Error&gt;&lt;Code&gt;AccessDenied&lt;/Code&gt;',
  );
});

test('quotes stay raw in element content, as AWS sends them, and are escaped in attribute values', () => {
  assert.equal(escapeXmlText(`Value 'a:b' at "x"`), `Value 'a:b' at "x"`);
  assert.equal(escapeXmlAttribute(`a"b'c<d&e`), 'a&quot;b&apos;c&lt;d&amp;e');
  assert.equal(
    renderXml(element('E', [], { xmlns: `"/><Evil a="` })),
    '<E xmlns="&quot;/&gt;&lt;Evil a=&quot;"></E>\n',
  );
});

test('control characters XML 1.0 cannot carry become U+FFFD; TAB and LF stay, CR is a reference', () => {
  assert.equal(
    escapeXmlText('a\u0000b\u0001c\u0008d\u000be\u000cf\u001fg'),
    'a\ufffdb\ufffdc\ufffdd\ufffde\ufffdf\ufffdg',
  );
  assert.equal(escapeXmlText('line1\nline2\tx\r\n'), 'line1\nline2\tx&#xD;\n');
  assert.equal(escapeXmlAttribute('a\tb\nc\rd'), 'a&#x9;b&#xA;c&#xD;d');
  assert.equal(escapeXmlText('\ufffe\uffff'), '\ufffd\ufffd');
  // Legal, if unusual, characters pass: DEL, C1 controls, NEL, LINE SEPARATOR, U+FFFD itself.
  assert.equal(escapeXmlText('\u007f\u0085\u2028\ufffd'), '\u007f\u0085\u2028\ufffd');
});

test('astral characters are kept whole; unpaired surrogates become U+FFFD', () => {
  assert.equal(escapeXmlText('\u{1F600} \u{10FFFF} 𝕏'), '\u{1F600} \u{10FFFF} 𝕏');
  assert.equal(escapeXmlText('a\ud83db'), 'a\ufffdb');
  assert.equal(escapeXmlText('a\ude00b'), 'a\ufffdb');
  assert.equal(escapeXmlText('\ude00\ud83d'), '\ufffd\ufffd');
  assert.equal(escapeXmlText('\ud83d\ud83d\ude00'), '\ufffd\u{1F600}');
  assert.equal(escapeXmlText('end\ud83d'), 'end\ufffd');
});

test('escaped hostile strings are safe character data and round-trip where XML can carry them', () => {
  const hostile = [
    ']]>',
    '<![CDATA[x]]>',
    '<!-- -->',
    '<?xml version="1.0"?>',
    '&#x0;',
    '&lt;',
    `'"'"`,
    '\u0000\u0007\r\n',
    '\u{1F600}\ud800',
    '<a href="javascript:alert(1)">',
  ];
  for (const s of hostile) {
    const text = escapeXmlText(s);
    const attr = escapeXmlAttribute(s);
    assert.ok(isSafeCharData(text), s);
    assert.ok(isSafeCharData(attr) && !attr.includes('"') && !attr.includes("'"), s);
    const carriable = s.replace(NOT_CARRIABLE, '\ufffd');
    assert.equal(unescape(text), carriable, s);
    assert.equal(unescape(attr), carriable, s);
  }
});

test('the tree renders with two-space indentation, text on one line and a final newline', () => {
  const xml = renderXml(
    element(
      'R',
      [textElement('A', 'x < y'), element('L', [textElement('member', '1')]), element('Empty', [])],
      {
        xmlns: 'urn:x',
      },
    ),
  );
  assert.equal(
    xml,
    '<R xmlns="urn:x">\n  <A>x &lt; y</A>\n  <L>\n    <member>1</member>\n  </L>\n  <Empty></Empty>\n</R>\n',
  );
});

test('a name that is no XML name is a programming error', () => {
  for (const name of ['', '1a', 'a b', 'a>b', 'a"', 'é']) {
    assert.throws(() => renderXml(textElement(name, 'x')), TypeError, name);
    assert.throws(() => renderXml(element('E', [], { [name]: 'x' })), TypeError, name);
  }
});

test('every UTF-16 code unit is escaped as XML 1.0 requires, in text and in attributes', () => {
  const expected = (c: number, attribute: boolean): string => {
    const ch = String.fromCharCode(c);
    const entity: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '\r': '&#xD;' };
    if (attribute) Object.assign(entity, { '"': '&quot;', "'": '&apos;', '\t': '&#x9;', '\n': '&#xA;' });
    if (entity[ch] !== undefined) return entity[ch];
    const forbidden =
      (c < 0x20 && c !== 0x09 && c !== 0x0a && c !== 0x0d) ||
      c === 0xfffe ||
      c === 0xffff ||
      (c >= 0xd800 && c <= 0xdfff); // alone between two ASCII letters, a surrogate is unpaired
    return forbidden ? '\ufffd' : ch;
  };
  for (let c = 0; c <= 0xffff; c++) {
    const ch = String.fromCharCode(c);
    assert.equal(escapeXmlText(`a${ch}b`), `a${expected(c, false)}b`, `text U+${c.toString(16)}`);
    assert.equal(escapeXmlAttribute(`a${ch}b`), `a${expected(c, true)}b`, `attribute U+${c.toString(16)}`);
  }
  assert.equal(escapeXmlText('a\ud83d\ude00b'), 'a\ud83d\ude00b', 'a paired surrogate is kept');
});
