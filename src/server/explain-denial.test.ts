import assert from 'node:assert/strict';
import { test } from 'node:test';
import { AwsError } from '../shared/aws-error.js';
import { explainDenial, explainedMessage, MAX_EXPLANATION_CHARS } from './explain-denial.js';

const AWS = 'User: arn:aws:iam::000000000000:user/u is not authorized to perform: iam:GetRole on resource: X';

test('the explanation is folded onto one line after AWS message, in parentheses', () => {
  assert.equal(
    explainedMessage(AWS, 'implicitDeny: u may not\n  why: no policy allows it\n\n'),
    `${AWS} (openirsa: implicitDeny: u may not; why: no policy allows it)`,
  );
});

test('the aws: line, which repeats the message, is left out; a line ending in a colon runs on', () => {
  assert.equal(
    explainedMessage(
      AWS,
      'implicitDeny: x\n  aws: ' + AWS + '\n  statements that did not match:\n    #0: no',
    ),
    `${AWS} (openirsa: implicitDeny: x; statements that did not match: #0: no)`,
  );
});

test('an empty explanation leaves AWS message alone', () => {
  assert.equal(explainedMessage(AWS, ' \n '), AWS);
});

test('a long explanation is cut to the bound and says so', () => {
  const message = explainedMessage('m', 'x'.repeat(MAX_EXPLANATION_CHARS * 2));
  assert.equal(message.length, 'm (openirsa: '.length + MAX_EXPLANATION_CHARS + 1);
  assert.ok(message.endsWith('...)'));
});

test('AccessDenied keeps its code, status, fault and fields', () => {
  const error = new AwsError('AccessDenied', 403, AWS, { fields: { Key: 'k' } });
  const out = explainDenial(error, 'why: none');
  assert.ok(out instanceof AwsError);
  assert.equal(out.code, 'AccessDenied');
  assert.equal(out.status, 403);
  assert.equal(out.fault, 'Sender');
  assert.deepEqual(out.fields, { Key: 'k' });
  assert.equal(out.message, `${AWS} (openirsa: why: none)`);
});

test('other errors, and denials without an explanation, are passed on unchanged', () => {
  const other = new AwsError('NoSuchEntity', 404, 'The role with name r cannot be found.');
  assert.equal(explainDenial(other, 'why'), other);
  const denied = new AwsError('AccessDenied', 403, AWS);
  assert.equal(explainDenial(denied, undefined), denied);
  const bug = new Error('boom');
  assert.equal(explainDenial(bug, 'why'), bug);
});
