import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parsePolicy } from './parse.js';

test("a statement read from text keeps where it stands (for the simulator's positions); one from an object has none", () => {
  const text = '{"Statement":[{"Effect":"Allow"}, {"Effect":"Deny"}]}';
  const fromText = parsePolicy(text).document?.statements;
  assert.deepEqual(
    fromText?.map((s) => s.span),
    [
      [14, 32],
      [34, 51],
    ],
  );
  assert.equal(text.slice(34, 51), '{"Effect":"Deny"}');
  assert.equal(parsePolicy({ Statement: { Effect: 'Allow' } }).document?.statements[0]?.span, undefined);
});
