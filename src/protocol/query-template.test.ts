import assert from 'node:assert/strict';
import { test } from 'node:test';
import { compileQueryResponse } from './query-template.js';
import { encodeQueryResponse, IAM_NAMESPACE, STS_NAMESPACE } from './query-response.js';
import { boolean, integer, list, map, string, structure, timestamp, type StructureShape } from './shape.js';
import { seededRandom as random } from '../shared/seeded-random.js';

// The output shapes of the two STS hot paths, as their action files declare them.
const getCallerIdentityOutput = structure({
  Arn: string({ required: true }),
  UserId: string({ required: true }),
  Account: string({ required: true }),
});
const assumeRoleWithWebIdentityOutput = structure({
  Audience: string(),
  AssumedRoleUser: structure({ AssumedRoleId: string({ required: true }), Arn: string({ required: true }) }),
  Provider: string(),
  Credentials: structure({
    AccessKeyId: string({ required: true }),
    SecretAccessKey: string({ required: true }),
    SessionToken: string({ required: true }),
    Expiration: timestamp({ required: true }),
  }),
  SubjectFromWebIdentityToken: string(),
  PackedPolicySize: integer(),
  SourceIdentity: string(),
});
// Every scalar kind, nesting two deep, and a structure without members.
const everyKind = structure({
  Text: string(),
  Count: integer(),
  Flag: boolean(),
  When: timestamp(),
  Outer: structure({ Inner: structure({ Leaf: string(), N: integer() }), B: boolean() }),
  Nothing: structure({}),
});

/** Characters that need escaping or replacing in XML text, those that do not, and surrogate halves. */
const PIECES = [
  'a',
  'Z',
  '0',
  ' ',
  ':',
  '/',
  '&',
  '<',
  '>',
  '"',
  "'",
  '\r',
  '\n',
  '\t',
  '\u0000',
  '\u001f',
  '\u007f',
  'é',
  '\ufffe',
  '\uffff',
  '\ud800',
  '\udc00',
  '😀',
  ']]>',
  '&amp;',
  '\u2028',
];

function randomValue(shape: StructureShape, next: () => number, depth = 0): unknown {
  const roll = next();
  // Sometimes no object at all: the generic writer reads it as an object without members.
  if (depth > 0 && roll < 0.05) return 'not an object';
  const out: Record<string, unknown> = {};
  for (const [name, member] of Object.entries(shape.members)) {
    const r = next();
    if (r < 0.15) continue;
    if (r < 0.2) {
      out[name] = null;
      continue;
    }
    out[name] =
      member.kind === 'structure' ? randomValue(member, next, depth + 1) : randomScalar(member.kind, next);
  }
  return out;
}

function randomScalar(kind: string, next: () => number): unknown {
  // A value of the wrong kind now and then: both writers must throw the same TypeError.
  if (next() < 0.03) return next() < 0.5 ? 12 : 'wrong';
  switch (kind) {
    case 'string': {
      let s = '';
      const length = Math.floor(next() * 12);
      for (let i = 0; i < length; i++) s += PIECES[Math.floor(next() * PIECES.length)];
      return s;
    }
    case 'integer':
      return next() < 0.1 ? 1.5 : Math.floor((next() - 0.5) * 1e6);
    case 'boolean':
      return next() < 0.5;
    default:
      return next() < 0.05 ? Number.NaN : Math.floor(next() * 4e12) + next();
  }
}

function outcome(run: () => unknown): unknown {
  try {
    return run();
  } catch (e) {
    return e instanceof TypeError ? { threw: e.message } : { threwOther: String(e) };
  }
}

for (const [label, shape, action, namespace] of [
  ['GetCallerIdentity', getCallerIdentityOutput, 'GetCallerIdentity', STS_NAMESPACE],
  ['AssumeRoleWithWebIdentity', assumeRoleWithWebIdentityOutput, 'AssumeRoleWithWebIdentity', STS_NAMESPACE],
  ['every scalar kind', everyKind, 'Everything', IAM_NAMESPACE],
] as const) {
  test(`compiled writer for ${label}: the generic encoder's exact response for random values`, () => {
    const write = compileQueryResponse({ namespace, action }, shape);
    assert.ok(write !== undefined);
    let written = 0;
    for (let seed = 1; seed <= 400; seed++) {
      const next = random(seed);
      const value = randomValue(shape, next);
      const requestId = String(randomScalar('string', next));
      const expected = outcome(() =>
        encodeQueryResponse({ namespace, action, requestId }, shape, value as never),
      );
      const actual = outcome(() => write(requestId, value));
      assert.deepEqual(actual, expected, `seed ${seed}`);
      if (typeof actual === 'object' && actual !== null && 'body' in actual) written++;
    }
    // Both kinds of outcome were compared: bodies written, and values refused.
    assert.ok(written > 100 && written < 400, `${written} of 400 written`);
  });
}

test('compiled writer: escaping in the values and the request id, and the layout, spelled out', () => {
  const write = compileQueryResponse(
    { namespace: STS_NAMESPACE, action: 'GetCallerIdentity' },
    getCallerIdentityOutput,
  );
  assert.ok(write !== undefined);
  const wire = write('r<1>\r\n', { Arn: 'a&b', UserId: 'x\ud800y', Account: '"1"' });
  assert.equal(wire.status, 200);
  assert.deepEqual(wire.headers, { 'Content-Type': 'text/xml', 'x-amzn-RequestId': 'r<1>' });
  assert.equal(
    wire.body,
    `<GetCallerIdentityResponse xmlns="${STS_NAMESPACE}">
  <GetCallerIdentityResult>
    <Arn>a&amp;b</Arn>
    <UserId>x\ufffdy</UserId>
    <Account>"1"</Account>
  </GetCallerIdentityResult>
  <ResponseMetadata>
    <RequestId>r&lt;1&gt;&#xD;
</RequestId>
  </ResponseMetadata>
</GetCallerIdentityResponse>
`,
  );
});

test('compiled writer: a shape with a list or a map is left to the generic encoder', () => {
  assert.equal(
    compileQueryResponse({ namespace: IAM_NAMESPACE, action: 'L' }, structure({ L: list(string()) })),
    undefined,
  );
  assert.equal(
    compileQueryResponse(
      { namespace: IAM_NAMESPACE, action: 'M' },
      structure({ S: structure({ M: map(string(), string()) }) }),
    ),
    undefined,
  );
});

test('compiled writer: an action name that is no XML name is refused when compiling', () => {
  assert.throws(
    () => compileQueryResponse({ namespace: IAM_NAMESPACE, action: 'a b' }, structure({})),
    TypeError,
  );
});
