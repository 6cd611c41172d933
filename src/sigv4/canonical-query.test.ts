import assert from 'node:assert/strict';
import { test } from 'node:test';
import { canonicalQuery, parseQuery, queryValues } from './canonical-query.js';

const canonical = (raw: string, exclude?: ReadonlySet<string>) => canonicalQuery(parseQuery(raw), exclude);

test('parameters are sorted by key, then repeated keys by value (suite get-vanilla-query-order-*)', () => {
  assert.equal(canonical('Param2=value2&Param1=value1'), 'Param1=value1&Param2=value2');
  assert.equal(canonical('Param1=value2&Param1=Value1'), 'Param1=Value1&Param1=value2');
  assert.equal(
    canonical('Param-3=Value3&Param=Value2&%E1%88%B4=Value1'),
    '%E1%88%B4=Value1&Param=Value2&Param-3=Value3',
  );
});

test('the sort is by key first: "a" precedes "a-b" although "a=" sorts after "a-"', () => {
  assert.equal(canonical('a-b=1&a=2'), 'a=2&a-b=1');
});

test('a parameter without "=" signs with an empty value; empty pieces are no parameters', () => {
  assert.equal(canonical('uploads'), 'uploads=');
  assert.equal(canonical('a=1&&b='), 'a=1&b=');
  assert.equal(canonical(''), '');
});

test('escapes are decoded and encoded again, whatever their spelling on the wire', () => {
  assert.equal(canonical('prefix=dir%2f&k=%7Etilde'), 'k=~tilde&prefix=dir%2F');
  assert.equal(canonical('%61=%62'), 'a=b');
});

test('a plus sign is a plus sign and a space is %20', () => {
  assert.equal(canonical('q=a+b&r=a%20b'), 'q=a%2Bb&r=a%20b');
});

test('the characters outside the unreserved set are encoded, = and & in values included', () => {
  assert.equal(canonical('k=x%3Dy%26z&s=%2A%2F%2A'), 'k=x%3Dy%26z&s=%2A%2F%2A');
  assert.equal(canonical('k=*/*'), 'k=%2A%2F%2A');
});

test('excluded keys are left out: X-Amz-Signature of a presigned URL', () => {
  const raw = 'X-Amz-Signature=abc&X-Amz-Date=20150830T123600Z';
  assert.equal(canonical(raw, new Set(['X-Amz-Signature'])), 'X-Amz-Date=20150830T123600Z');
});

test('parameters are looked up by their decoded key', () => {
  const params = parseQuery('X-Amz-Credential=AKID%2F20150830%2Fus-east-1%2Fs3%2Faws4_request&a=1&a=2');
  assert.deepEqual(queryValues(params, 'X-Amz-Credential'), ['AKID/20150830/us-east-1/s3/aws4_request']);
  assert.deepEqual(queryValues(params, 'a'), ['1', '2']);
});
