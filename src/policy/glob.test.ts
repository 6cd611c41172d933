import assert from 'node:assert/strict';
import { test } from 'node:test';
import { compileGlob, globFromPattern, literalCodes, matchGlob, patternCodes } from './glob.js';

const m = (p: string, s: string) => matchGlob(globFromPattern(p), s);

test('* matches any run of characters, the empty one too', () => {
  assert.ok(m('*', ''));
  assert.ok(m('a*', 'a'));
  assert.ok(m('a*c', 'abbbc'));
  assert.ok(m('*b*', 'abc'));
  assert.ok(!m('a*c', 'abcd'));
});

test('? matches exactly one character', () => {
  assert.ok(m('a?c', 'abc'));
  assert.ok(!m('a?c', 'ac'));
  assert.ok(!m('a?c', 'abbc'));
});

test('the S3 doc example: bucket/*/test/* (IAM User Guide, Resource)', () => {
  assert.ok(m('bucket/*/test/*', 'bucket//test/object.jpg'));
  assert.ok(m('bucket/*/test/*', 'bucket/1/test/'));
  assert.ok(!m('bucket/*/test/*', 'bucket/test/object.jpg'));
});

test('patterns needing backtracking match', () => {
  assert.ok(m('*ab*ab*', 'xabyabz'));
  assert.ok(m('a*b*c*d', 'aXbYcZd'));
  assert.ok(!m('a*b*c*d', 'aXbYcZ'));
  assert.ok(m('*a', 'aaaa'));
});

test('literal codes keep * and ? literal', () => {
  const g = compileGlob([...patternCodes('home/'), ...literalCodes('a*b'), ...patternCodes('/*')]);
  assert.ok(matchGlob(g, 'home/a*b/x'));
  assert.ok(!matchGlob(g, 'home/aXXb/x'));
});

test('matching from an offset', () => {
  const g = globFromPattern('b/*');
  assert.ok(matchGlob(g, 'xxb/k', 2));
  assert.ok(!matchGlob(globFromPattern('b'), 'xxbc', 2));
  assert.ok(matchGlob(globFromPattern('b'), 'xxb', 2));
});
