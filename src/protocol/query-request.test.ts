import assert from 'node:assert/strict';
import { test } from 'node:test';
import { AwsError } from '../shared/aws-error.js';
import { queryRequestError, readQueryRequest } from './query-request.js';

const ASSUME_ROLE =
  'Action=AssumeRole&Version=2011-06-15&RoleArn=arn%3Aaws%3Aiam%3A%3A123456789012%3Arole%2Fdemo-role&RoleSessionName=sess1';

test('Action and Version come from the form body, with or without charset', () => {
  for (const contentType of [
    'application/x-www-form-urlencoded', // JS SDK v3
    'application/x-www-form-urlencoded; charset=utf-8', // boto3, aws-cli
    undefined,
  ]) {
    const r = readQueryRequest({ body: ASSUME_ROLE, ...(contentType ? { contentType } : {}) });
    assert.ok(r.ok);
    assert.equal(r.request.action, 'AssumeRole');
    assert.equal(r.request.version, '2011-06-15');
    assert.equal(r.request.params.get('RoleSessionName'), 'sess1');
  }
});

test('the same parameters are read from the query string (POST /?Action=...), and both places merge', () => {
  const q = readQueryRequest({ query: 'Action=GetCallerIdentity&Version=2011-06-15' });
  assert.ok(q.ok);
  assert.equal(q.request.action, 'GetCallerIdentity');
  const both = readQueryRequest({
    query: 'Action=AssumeRoleWithWebIdentity&Version=2011-06-15',
    body: 'RoleSessionName=s1',
    contentType: 'application/x-www-form-urlencoded',
  });
  assert.ok(both.ok);
  assert.deepEqual(Object.fromEntries(both.request.params), {
    Action: 'AssumeRoleWithWebIdentity',
    Version: '2011-06-15',
    RoleSessionName: 's1',
  });
});

test('a parameter in both the query string and the body is a duplicate', () => {
  const r = readQueryRequest({ query: 'Action=AssumeRole', body: 'Action=GetCallerIdentity' });
  assert.deepEqual(r, { ok: false, failure: { kind: 'duplicateParameter', name: 'Action' } });
});

test('a body that is not a form is not read as awsQuery input', () => {
  const r = readQueryRequest({
    query: 'Action=GetCallerIdentity',
    body: '{"Action":"x"}',
    contentType: 'application/json',
  });
  assert.ok(r.ok);
  assert.deepEqual(Object.fromEntries(r.request.params), { Action: 'GetCallerIdentity' });
});

test('without Action or Version the request says so with undefined, for the server to answer', () => {
  const r = readQueryRequest({});
  assert.ok(r.ok);
  assert.equal(r.request.action, undefined);
  assert.equal(r.request.version, undefined);
});

test('a bad percent-escape answers MalformedQueryString, 404, with the common-errors message', () => {
  const r = readQueryRequest({ body: 'Action=AssumeRole&RoleSessionName=%E0%A4' });
  assert.ok(!r.ok);
  const e = queryRequestError(r.failure);
  assert.ok(e instanceof AwsError);
  assert.equal(e.code, 'MalformedQueryString');
  assert.equal(e.status, 404);
  assert.equal(e.fault, 'Sender');
  assert.equal(e.message, 'The query string contains a syntax error.');
});

test('duplicate and oversized requests answer MalformedQueryString and say why', () => {
  assert.equal(
    queryRequestError({ kind: 'duplicateParameter', name: 'Action' }).message,
    'The query string contains a syntax error: parameter Action appears more than once.',
  );
  assert.equal(
    queryRequestError({ kind: 'tooManyParameters', limit: 1000 }).message,
    'The query string contains a syntax error: more than 1000 parameters.',
  );
  const long = queryRequestError({ kind: 'duplicateParameter', name: 'x'.repeat(500) });
  assert.ok(long.message.length < 200);
  const limited = readQueryRequest(
    { query: 'a=1&b=2', body: 'c=3&d=4' },
    { maxBytes: 1000, maxParameters: 3 },
  );
  assert.deepEqual(limited, { ok: false, failure: { kind: 'tooManyParameters', limit: 3 } });
});
