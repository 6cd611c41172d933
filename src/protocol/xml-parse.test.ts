import assert from 'node:assert/strict';
import { test } from 'node:test';
import { childrenNamed, onlyChild, parseXml, type XmlElement, type XmlParseResult } from './xml-parse.js';

function root(result: XmlParseResult): XmlElement {
  assert.equal(result.ok, true, result.ok ? '' : result.failure.detail);
  // INVARIANT: asserted just above.
  return (result as { root: XmlElement }).root;
}

function malformed(input: string | Uint8Array, detail: RegExp, limits = {}): void {
  const result = parseXml(input, limits);
  assert.equal(result.ok, false, `accepted: ${typeof input === 'string' ? input.slice(0, 80) : 'bytes'}`);
  if (result.ok) return;
  assert.equal(result.failure.code, 'MalformedXML');
  assert.equal(
    result.failure.message,
    'The XML you provided was not well-formed or did not validate against our published schema',
  );
  assert.match(result.failure.detail, detail);
}

test('a boto3 DeleteObjects body: declaration, namespace, keys with entities', () => {
  const body =
    '<?xml version="1.0" encoding="UTF-8"?>\n<Delete xmlns="http://s3.amazonaws.com/doc/2006-03-01/"><Object><Key>a&amp;b &lt;c&gt;</Key></Object><Object><Key>d</Key><VersionId>v1</VersionId></Object><Quiet>true</Quiet></Delete>';
  const doc = root(parseXml(body));
  assert.equal(doc.name, 'Delete');
  assert.equal(doc.attributes.get('xmlns'), 'http://s3.amazonaws.com/doc/2006-03-01/');
  const objects = childrenNamed(doc, 'Object');
  assert.equal(objects.length, 2);
  const key = onlyChild(objects[0] ?? doc, 'Key');
  assert.ok(key !== undefined && key !== 'many');
  assert.equal(key.text, 'a&b <c>');
  const quiet = onlyChild(doc, 'Quiet');
  assert.equal(quiet !== 'many' && quiet?.text, 'true');
});

test('a CompleteMultipartUpload body as the JS SDK writes it (no declaration, quoted ETags)', () => {
  const body =
    '<CompleteMultipartUpload xmlns="http://s3.amazonaws.com/doc/2006-03-01/"><Part><ChecksumCRC32>6Le+Qw==</ChecksumCRC32><ETag>"0cc175b9c0f1b6a831c399e269772661"</ETag><PartNumber>1</PartNumber></Part></CompleteMultipartUpload>';
  const part = root(parseXml(body)).children[0];
  assert.equal(
    part?.children.map((c) => `${c.name}=${c.text}`).join(' '),
    'ChecksumCRC32=6Le+Qw== ETag="0cc175b9c0f1b6a831c399e269772661" PartNumber=1',
  );
});

test('prefixed names keep the prefix in name and drop it in localName', () => {
  const doc = root(
    parseXml('<s3:Tagging xmlns:s3="http://s3.amazonaws.com/doc/2006-03-01/"><s3:TagSet/></s3:Tagging>'),
  );
  assert.equal(doc.name, 's3:Tagging');
  assert.equal(doc.localName, 'Tagging');
  assert.equal(doc.children[0]?.localName, 'TagSet');
});

test('character references, CDATA, comments and processing instructions', () => {
  const doc = root(
    parseXml(
      "<!-- a --><?pi x?><K a='&quot;q&apos;'>&#65;&#x42;&#x1F600;<![CDATA[<raw>&amp;]]><!-- c --><?pi y?>z</K><!-- after -->",
    ),
  );
  assert.equal(doc.text, 'AB\u{1f600}<raw>&amp;z');
  assert.equal(doc.attributes.get('a'), '"q\'');
});

test('line ends are normalized to LF (XML 1.0 §2.11) and attribute TAB/LF become spaces', () => {
  const doc = root(parseXml('<K v="a\tb\nc">x\r\ny\rz&#xD;</K>'));
  assert.equal(doc.text, 'x\ny\nz\r');
  assert.equal(doc.attributes.get('v'), 'a b c');
});

test('UTF-8 bytes with a BOM are read; other bytes are not UTF-8', () => {
  const doc = root(parseXml(Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from('<K>é</K>')])));
  assert.equal(doc.text, 'é');
  malformed(Buffer.from([0x3c, 0x4b, 0x3e, 0xff, 0x3c, 0x2f, 0x4b, 0x3e]), /not UTF-8/);
});

test('a DTD is refused, whatever it declares', () => {
  malformed('<!DOCTYPE d [<!ENTITY x "y">]><d>&x;</d>', /DTD/);
  malformed('<?xml version="1.0"?>\n<!DOCTYPE d SYSTEM "http://169.254.169.254/">\n<d/>', /DTD/);
  malformed('<d><!DOCTYPE d></d>', /declaration inside/);
  malformed('<d>&x;</d>', /predefined entity/);
});

test('malformed documents fail MalformedXML', () => {
  const cases: readonly [string, RegExp][] = [
    ['', /no root/],
    ['text', /no root/],
    ['<a>', /not closed/],
    ['<a></b>', /closes/],
    ['<a><b></a></b>', /closes/],
    ['<a/><b/>', /after the root/],
    ['<a/>text', /after the root/],
    ['<a x="1" x="2"/>', /twice/],
    ['<a x=1/>', /quoted/],
    ['<a x="<"/>', /`<`/],
    ['<a x="1"y="2"/>', /white space/],
    ['<a>&amp</a>', /predefined entity/],
    ['<a>&#0;</a>', /character 0/],
    ['<a>&#xFFFE;</a>', /character/],
    ['<a>]]></a>', /\]\]>/],
    ['<a><![CDATA[x</a>', /CDATA/],
    ['<a><!-- x -- y --></a>', /--/],
    ['<a><!-- x</a>', /comment/],
    ['<a>\u0001</a>', /character XML does not allow/],
    ['<a>\ud800</a>', /character XML does not allow/],
    ['<a/><?xml version="1.0"?>', /not at the start/],
    [' <?xml version="1.0"?><a/>', /not at the start/],
    ['<?xml version="2"?><a/>', /declaration/],
    ['<?xml version="1.0" encoding="ISO-8859-1"?><a/>', /only UTF-8/],
    ['<1a/>', /name expected/],
    ['<a', /white space|name|closed|expected/],
  ];
  for (const [input, detail] of cases) malformed(input, detail);
});

test('limits: depth, element count, attributes, name length and size', () => {
  malformed('<a>'.repeat(17) + '</a>'.repeat(17), /deeper than 16/);
  assert.equal(parseXml('<a>'.repeat(16) + '</a>'.repeat(16)).ok, true);
  malformed(`<r>${'<k/>'.repeat(10)}</r>`, /more than 10 elements/, { maxElements: 10 });
  malformed(`<r ${Array.from({ length: 17 }, (_, i) => `a${i}="1"`).join(' ')}/>`, /more than 16 attributes/);
  malformed(`<${'n'.repeat(300)}/>`, /longer than 256/);
  const big = parseXml(`<r>${'x'.repeat(100)}</r>`, { maxBytes: 50 });
  assert.equal(big.ok, false);
  if (!big.ok) {
    assert.equal(big.failure.code, 'MaxMessageLengthExceeded');
    assert.equal(big.failure.message, 'Your request was too big.');
  }
});

test('a large DeleteObjects body (1000 keys) parses within the default limits', () => {
  const keys = Array.from({ length: 1000 }, (_, i) => `<Object><Key>k${i}</Key></Object>`).join('');
  const doc = root(parseXml(`<Delete>${keys}</Delete>`));
  assert.equal(childrenNamed(doc, 'Object').length, 1000);
});

test('onlyChild tells none, one and many apart', () => {
  const doc = root(parseXml('<r><a>1</a><b/><b/></r>'));
  assert.equal(onlyChild(doc, 'x'), undefined);
  assert.equal(onlyChild(doc, 'b'), 'many');
  const a = onlyChild(doc, 'a');
  assert.ok(a !== undefined && a !== 'many');
  assert.equal(a.text, '1');
});

test('names may use Unicode letters (XML 1.0 §2.3), not digits or punctuation first', () => {
  const doc = root(parseXml('<Tägs><ñ-1.x>v</ñ-1.x></Tägs>'));
  assert.equal(doc.children[0]?.name, 'ñ-1.x');
  malformed('<-a/>', /name expected/);
  malformed('<.a/>', /name expected/);
});
