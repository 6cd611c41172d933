import assert from 'node:assert/strict';
import { test } from 'node:test';
import { buildContext } from './context.js';
import { parseTemplate, resolveText } from './template.js';

const ctx = buildContext({
  'aws:username': 'alice',
  'aws:PrincipalTag/team': 'a*b',
  'aws:TagKeys': ['x', 'y'],
});

test('variables resolve case-insensitively; defaults need a comma, one space and single quotes', () => {
  assert.equal(resolveText(parseTemplate('home/${AWS:UserName}/', true).template, ctx), 'home/alice/');
  assert.equal(
    resolveText(parseTemplate("${aws:PrincipalTag/dept, 'company-wide'}", true).template, ctx),
    'company-wide',
  );
  const bad = parseTemplate("${aws:PrincipalTag/dept,'x'}", true);
  assert.equal(bad.problems[0]?.code, 'UNSUPPORTED_SPACE');
  assert.equal(parseTemplate('${aws:username', true).problems[0]?.code, 'MISSING_BRACE');
  assert.equal(parseTemplate('${}', true).problems[0]?.code, 'EMPTY_VARIABLE');
  assert.equal(parseTemplate('${aws:username, x}', true).problems[0]?.code, 'MISSING_QUOTE');
});

test('${*} ${?} ${$} are literal characters', () => {
  assert.equal(resolveText(parseTemplate('a${*}b${?}c${$}', true).template, ctx), 'a*b?c$');
});

test('multivalued keys cannot be variables; without Version 2012-10-17 variables are text', () => {
  assert.equal(resolveText(parseTemplate('${aws:TagKeys}', true).template, ctx), undefined);
  const literal = parseTemplate('${aws:username}', false).template;
  assert.equal(literal.hasVariables, false);
  assert.equal(resolveText(literal, ctx), '${aws:username}');
});
