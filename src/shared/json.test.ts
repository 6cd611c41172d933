import assert from 'node:assert/strict';
import { test } from 'node:test';
import { isJsonObject, jsonFromValue, jsonValue, pointerToken, readJson } from './json.js';

test('a repeated member is reported with its JSON pointer, and both entries are kept', () => {
  const r = readJson('{"Statement":{"Effect":"Allow","Effect":"Deny"}}');
  assert.ok(r.ok);
  assert.deepEqual(r.duplicates, ['/Statement/Effect']);
  assert.equal(r.node.kind, 'object');
});

test('numbers keep their source text', () => {
  const r = readJson('{"a":1.20,"b":-0,"c":1e3}');
  assert.ok(r.ok && r.node.kind === 'object');
  assert.deepEqual(
    r.node.entries.map((e) => (e.value.kind === 'number' ? e.value.text : '?')),
    ['1.20', '-0', '1e3'],
  );
});

test('syntax errors say where, and never throw', () => {
  for (const bad of [
    '',
    '{',
    '{"a":}',
    '{"a":1,}',
    '[1 2]',
    '"abc',
    '{"a":tru}',
    '{"a":"\\x"}',
    '{} x',
    '01',
  ]) {
    const r = readJson(bad);
    assert.equal(r.ok, false, bad);
    if (!r.ok) assert.ok(r.error.line >= 1 && r.error.column >= 1);
  }
  const r = readJson('{\n  "a": ]\n}');
  assert.ok(!r.ok);
  assert.deepEqual([r.error.line, r.error.column], [2, 8]);
});

test('escapes decode as JSON says, including \\u escapes', () => {
  const r = readJson('"a\\"b\\\\c\\/d\\n\\u00e9"');
  assert.ok(r.ok && r.node.kind === 'string');
  assert.equal(r.node.value, 'a"b\\c/d\né');
});

test('nesting is bounded', () => {
  const deep = '['.repeat(100) + ']'.repeat(100);
  const r = readJson(deep);
  assert.equal(r.ok, false);
});

test('pointer tokens escape ~ and / (RFC 6901)', () => {
  assert.equal(pointerToken('aws:PrincipalTag/team~x'), 'aws:PrincipalTag~1team~0x');
  const node = jsonFromValue({ 'a/b': [true] });
  assert.ok(node.kind === 'object');
  const v = node.entries[0]!.value;
  assert.ok(v.kind === 'array');
  assert.equal(v.items[0]!.pointer, '/a~1b/0');
});

test('values JSON cannot hold become null nodes', () => {
  assert.equal(jsonFromValue(undefined).kind, 'null');
  assert.equal(jsonFromValue(Number.NaN).kind, 'null');
  assert.equal(jsonFromValue(() => 1).kind, 'null');
});

test('a member named __proto__ becomes an own property of the plain value, never its prototype', () => {
  const text = '{"a":[{"__proto__":{"polluted":true}}],"__proto__":null}';
  const r = readJson(text);
  assert.ok(r.ok);
  const value = jsonValue(r.node) as { a: [Record<string, unknown>] };
  assert.deepEqual(value, JSON.parse(text));
  for (const o of [value, value.a[0]]) {
    assert.equal(Object.getPrototypeOf(o), Object.prototype);
    assert.ok(Object.hasOwn(o, '__proto__'));
    assert.ok(Object.keys(o).includes('__proto__'), 'enumerable, as JSON.parse makes it');
  }
  assert.equal(value.a[0].polluted, undefined);
  assert.equal(Object.getOwnPropertyDescriptor(value, '__proto__')?.value, null);
  assert.equal(({} as { polluted?: unknown }).polluted, undefined, 'Object.prototype is untouched');
});

test('isJsonObject: objects with members, not null, arrays or primitives', () => {
  assert.equal(isJsonObject({}), true);
  assert.equal(isJsonObject({ a: 1 }), true);
  for (const v of [null, undefined, [], [1], 'x', 1, true]) assert.equal(isJsonObject(v), false, String(v));
});
