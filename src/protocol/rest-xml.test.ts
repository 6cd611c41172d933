import assert from 'node:assert/strict';
import { test } from 'node:test';
import { AwsError } from '../shared/aws-error.js';
import { formatS3Timestamp, renderAwsErrorAsS3, renderS3Error, renderS3Xml, s3Root } from './rest-xml.js';
import { parseXml } from './xml-parse.js';

test('S3 timestamps carry milliseconds and Z', () => {
  assert.equal(formatS3Timestamp(Date.UTC(2009, 9, 12, 17, 50, 30)), '2009-10-12T17:50:30.000Z');
  assert.equal(formatS3Timestamp(Date.UTC(2026, 11, 4, 5, 20, 55, 7)), '2026-12-04T05:20:55.007Z');
});

test('a response is the declaration, then the namespaced root on one line', () => {
  const body = renderS3Xml(
    s3Root('InitiateMultipartUploadResult', [
      { name: 'Bucket', text: 'demo-bucket' },
      { name: 'Key', text: 'a&b<c>' },
      { name: 'UploadId', text: 'U1' },
    ]),
  );
  assert.equal(
    body,
    '<?xml version="1.0" encoding="UTF-8"?>\n<InitiateMultipartUploadResult xmlns="http://s3.amazonaws.com/doc/2006-03-01/"><Bucket>demo-bucket</Bucket><Key>a&amp;b&lt;c&gt;</Key><UploadId>U1</UploadId></InitiateMultipartUploadResult>',
  );
});

test('the S3 error body: Code, Message, fields in order, RequestId, HostId', () => {
  const body = renderS3Error({
    code: 'NoSuchKey',
    message: 'The specified key does not exist.',
    fields: { Key: 'dir/hello world.txt' },
    requestId: 'R1',
    hostId: 'H1',
  });
  assert.equal(
    body,
    '<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>NoSuchKey</Code><Message>The specified key does not exist.</Message><Key>dir/hello world.txt</Key><RequestId>R1</RequestId><HostId>H1</HostId></Error>',
  );
});

test('a SignatureDoesNotMatch error carries StringToSign and CanonicalRequest, escaped, and reads back', () => {
  const error = new AwsError(
    'SignatureDoesNotMatch',
    403,
    'The request signature we calculated does not match the signature you provided. Check your key and signing method.',
    {
      fields: {
        AWSAccessKeyId: 'AKIDEXAMPLE',
        StringToSign: 'AWS4-HMAC-SHA256\n20261204T052055Z',
        CanonicalRequest: 'PUT\n/a&b\n\nhost:x\r\n',
      },
    },
  );
  const body = renderAwsErrorAsS3(error, 'R2', 'H2');
  const parsed = parseXml(body);
  assert.equal(parsed.ok, true);
  if (!parsed.ok) return;
  const fields = Object.fromEntries(parsed.root.children.map((c) => [c.name, c.text]));
  assert.deepEqual(Object.keys(fields), [
    'Code',
    'Message',
    'AWSAccessKeyId',
    'StringToSign',
    'CanonicalRequest',
    'RequestId',
    'HostId',
  ]);
  assert.equal(fields['CanonicalRequest'], 'PUT\n/a&b\n\nhost:x\r\n');
});

test('a field cannot replace the fixed members, and a bad field name is a programming error', () => {
  const body = renderS3Error({
    code: 'C',
    message: 'M',
    fields: { RequestId: 'forged', Code: 'X' },
    requestId: 'R',
    hostId: 'H',
  });
  assert.equal(body.match(/<RequestId>/g)?.length, 1);
  assert.ok(!body.includes('forged'));
  assert.throws(
    () => renderS3Error({ code: 'C', message: 'M', fields: { 'a b': 'x' }, requestId: 'R', hostId: 'H' }),
    TypeError,
  );
});
