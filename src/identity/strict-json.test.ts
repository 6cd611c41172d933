import assert from 'node:assert/strict';
import { test } from 'node:test';
import { MAX_JSON_DEPTH, memberSeparators, parseStrictJson, parseStrictJsonFully } from './strict-json.js';
import { seededRandom as random } from '../shared/seeded-random.js';

test('valid JSON reads the same as JSON.parse', () => {
  for (const text of [
    '{"alg":"RS256","kid":"abc"}',
    ' {"a":[1,-2.5e3,true,false,null,{"b":"\\u00e9\\n\\"\\\\\\/"}]} ',
    '[]',
    '{}',
    '"x"',
    '0',
    '{"__proto__":{"x":1}}',
  ]) {
    const r = parseStrictJson(text);
    assert.ok(r.ok, text);
    assert.deepEqual(r.value, JSON.parse(text), text);
  }
});

test('a member named __proto__ stays an own property and never changes the prototype', () => {
  const r = parseStrictJson('{"__proto__":{"polluted":true}}');
  assert.ok(r.ok && r.value !== null && typeof r.value === 'object' && !Array.isArray(r.value));
  assert.equal(Object.getPrototypeOf(r.value), Object.prototype);
  assert.ok(Object.hasOwn(r.value, '__proto__'));
  assert.equal((r.value as { polluted?: unknown }).polluted, undefined);
});

test('duplicate member names are rejected at every depth (RFC 7515 §4, RFC 7519 §4)', () => {
  const top = parseStrictJson('{"alg":"RS256","alg":"none"}');
  assert.deepEqual(top, {
    ok: false,
    reason: 'duplicate',
    message: 'member `alg` appears more than once',
  });
  const nested = parseStrictJson('{"kubernetes.io":{"namespace":"a","namespace":"b"}}');
  assert.equal(nested.ok ? '' : nested.reason, 'duplicate');
  // Equal after unescaping is equal: "a" and "\u0061" are the same name.
  const escaped = parseStrictJson('{"a":1,"\\u0061":2}');
  assert.equal(escaped.ok ? '' : escaped.reason, 'duplicate');
  // The name is reported as read, not as its JSON pointer token (`/` and `~` are escaped there).
  assert.deepEqual(parseStrictJson('{"x":{"a/b~c":1,"a/b~c":2},"y":1,"y":2}'), {
    ok: false,
    reason: 'duplicate',
    message: 'member `a/b~c` appears more than once',
  });
  const long = 'n'.repeat(70);
  assert.deepEqual(parseStrictJson(`{"${long}":1,"${long}":2}`), {
    ok: false,
    reason: 'duplicate',
    message: `member \`${'n'.repeat(64)}…\` appears more than once`,
  });
});

test('syntax errors are failures, never exceptions', () => {
  for (const bad of [
    '',
    '{',
    '{"a":}',
    '{"a":1,}',
    '[1,]',
    '[1 2]',
    '"abc',
    '"a\tb"',
    '{"a":tru}',
    '"\\x"',
    '"\\u12"',
    '01',
    '1.',
    '+1',
    'NaN',
    '{} x',
    '\ufeff{}',
    "{'a':1}",
  ]) {
    const r = parseStrictJson(bad);
    assert.equal(r.ok ? '' : r.reason, 'syntax', JSON.stringify(bad));
  }
  assert.deepEqual(parseStrictJson('{"a":}'), {
    ok: false,
    reason: 'syntax',
    message: 'unexpected character `}` at line 1, column 6',
  });
});

test('nesting is bounded', () => {
  const ok = '['.repeat(MAX_JSON_DEPTH + 1) + ']'.repeat(MAX_JSON_DEPTH + 1);
  assert.equal(parseStrictJson(ok).ok, true);
  const deep = '['.repeat(MAX_JSON_DEPTH + 2) + ']'.repeat(MAX_JSON_DEPTH + 2);
  assert.deepEqual(parseStrictJson(deep), {
    ok: false,
    reason: 'syntax',
    message: `nesting deeper than 32 levels at \`${'/0'.repeat(32)}…\``,
  });
  const objects = '{"a":'.repeat(MAX_JSON_DEPTH + 1) + '1' + '}'.repeat(MAX_JSON_DEPTH + 1);
  assert.equal(parseStrictJson(objects).ok ? '' : 'refused', 'refused', 'objects count as levels too');
  // Far deeper texts are refused by the shared reader before any tree is built.
  const far = parseStrictJson('['.repeat(10_000) + ']'.repeat(10_000));
  assert.equal(far.ok ? '' : far.reason, 'syntax');
});

/** Random JSON texts: few names (so repeats are common, some spelled with escapes), deep nesting at times. */
function jsonTexts(count: number, seed: number): string[] {
  const next = random(seed);
  const pick = <T>(items: readonly T[]): T => items[Math.floor(next() * items.length)] as T;
  const names = [
    'a',
    '\\u0061',
    'b',
    'a:b',
    'x\\"y',
    '__proto__',
    '1',
    '0',
    'kubernetes.io',
    'é',
    '\\\\',
    '',
  ];
  const strings = ['', 'x', ':', '\\":\\"', '\\\\', '\\u003a', '\\n\\t', 'é😀', '\\ud800', '"', '{"a":1}'];
  const numbers = ['0', '-0', '1.20', '-2.5e3', '1e400', '12345678901234567890', '0.1'];
  const space = () => pick(['', '', '', ' ', '\n', '\t', '\r\n ']);
  const value = (depth: number): string => {
    const roll = next();
    const deep = depth < 36 && next() < 0.9;
    if (roll < 0.3 && deep) {
      const n = Math.floor(next() * 5);
      const members = Array.from(
        { length: n },
        () => `${space()}"${pick(names)}"${space()}:${value(depth + 1)}`,
      );
      return `${space()}{${members.join(',')}${space()}}`;
    }
    if (roll < 0.5 && deep) {
      const n = Math.floor(next() * 4);
      return `${space()}[${Array.from({ length: n }, () => value(depth + 1)).join(',')}]`;
    }
    if (roll < 0.7) return `"${pick(strings)}"`;
    if (roll < 0.85) return pick(numbers);
    return pick(['true', 'false', 'null']);
  };
  const texts: string[] = [];
  for (let i = 0; i < count; i++) {
    let text = value(next() < 0.05 ? 30 : 0);
    if (next() < 0.2) {
      // A broken text now and then: one character replaced, or the text cut short.
      const at = Math.floor(next() * text.length);
      text =
        next() < 0.5
          ? text.slice(0, at)
          : text.slice(0, at) + pick(['"', ':', ',', '}', ']', '\\', 'x']) + text.slice(at + 1);
    }
    texts.push(text);
  }
  return texts;
}

/** Member names in enumeration order, all the way down: `deepStrictEqual` does not compare order. */
function shape(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(shape);
  if (value !== null && typeof value === 'object') {
    return Object.keys(value).map((k) => [k, shape((value as Record<string, unknown>)[k])]);
  }
  return value;
}

test('the JSON.parse fast path answers exactly as the full reader, on random texts with repeats and escapes', () => {
  let accepted = 0;
  let repeated = 0;
  for (const text of jsonTexts(20_000, 7)) {
    const fast = parseStrictJson(text);
    const full = parseStrictJsonFully(text);
    assert.deepStrictEqual(fast, full, text);
    if (fast.ok && full.ok) {
      accepted++;
      assert.deepStrictEqual(shape(fast.value), shape(full.value), text);
      assert.equal(JSON.stringify(fast.value), JSON.stringify(full.value), text);
    } else if (!fast.ok && fast.reason === 'duplicate') repeated++;
  }
  // The generator must exercise both sides, or the comparison proves little.
  assert.ok(accepted > 2_000 && repeated > 500, `accepted ${accepted}, repeated ${repeated}`);
});

/** The count as it was made before: every character read in turn, escapes stepped over. */
function separatorsByCharacter(text: string): number {
  let count = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 58) count++;
    else if (c === 34) {
      for (i++; i < text.length; i++) {
        const d = text.charCodeAt(i);
        if (d === 92) i++;
        else if (d === 34) break;
      }
    }
  }
  return count;
}

test('memberSeparators counts the colons outside strings as a character-by-character reading does', () => {
  let valid = 0;
  for (const text of jsonTexts(20_000, 11)) {
    assert.equal(memberSeparators(text), separatorsByCharacter(text), text);
    try {
      JSON.parse(text);
      valid++;
    } catch {
      // broken texts are compared too: the count must not differ on them either
    }
  }
  assert.ok(valid > 2_000, `valid ${valid}`);
  for (const text of ['', ':', '"', '":"', '"\\":', '"\\\\"::', '"a\\\\\\":":1', '{"a:b":"c:d","e":":"}']) {
    assert.equal(memberSeparators(text), separatorsByCharacter(text), text);
  }
});

test('a repeat hidden in an overwritten value, or behind a prototype member, is still a repeat', () => {
  // The inner object is dropped by JSON.parse (the outer `a` wins), so its own repeat must not hide.
  assert.equal(parseStrictJson('{"a":{"x":1,"x":2},"a":3}').ok, false);
  assert.equal(parseStrictJson('{"a":{"x":1},"b":{"y":1,"y":2}}').ok, false);
  assert.equal(parseStrictJson('{"k":"a:b","k":"c"}').ok, false);
  const proto = Object.prototype as Record<string, unknown>;
  proto.inherited = 1;
  try {
    // With an enumerable member on Object.prototype, a count by `for...in` would be one too high.
    assert.equal(parseStrictJson('{"a":{},"a":{}}').ok, false);
    assert.equal(parseStrictJson('{"a":1,"b":{}}').ok, true);
  } finally {
    delete proto.inherited;
  }
});
