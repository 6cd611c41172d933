import assert from 'node:assert/strict';
import { test } from 'node:test';
import { string, structure } from '../protocol/shape.js';
import type { ActionContext, AuthorizationNeed, QueryAction } from './query-action.js';
import { registerQueryAction } from './query-action.js';

const input = structure({ Name: string({ required: true }) });
const output = structure({});
const NEEDS: readonly AuthorizationNeed[] = [{ action: 'iam:GetThing', resource: '*' }];
// The registered action never reads its context here.
const ctx = {} as ActionContext;

function action(authorize: QueryAction<typeof input, typeof output>['authorize']) {
  return registerQueryAction({
    name: 'GetThing',
    input,
    output,
    authentication: 'sigv4',
    authorize,
    handle: () => Promise.resolve({}),
  });
}

test('a synchronous authorization comes back as it is, not wrapped in a promise', () => {
  const answer = action(() => NEEDS).authorize({ Name: 'a' }, ctx);
  assert.equal(answer instanceof Promise, false);
  assert.equal(answer, NEEDS);
});

test('an authorization that reads the store first stays a promise of the needs', async () => {
  const answer = action(() => Promise.resolve(NEEDS)).authorize({ Name: 'a' }, ctx);
  assert.ok(answer instanceof Promise);
  assert.equal(await answer, NEEDS);
});

test('the input given to authorize is the decoded one', () => {
  let seen: unknown;
  const registered = action((value) => {
    seen = value;
    return [];
  });
  const decoded = registered.decode(new Map([['Name', 'x']]));
  assert.ok(decoded.ok);
  assert.deepEqual(registered.authorize(decoded.value, ctx), []);
  assert.deepEqual(seen, { Name: 'x' });
});
