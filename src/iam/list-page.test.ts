import assert from 'node:assert/strict';
import { test } from 'node:test';
import { pageList } from './list-page.js';

test('pageList pages by MaxItems and resumes at the marker until the list ends', () => {
  const items = ['a', 'b', 'c', 'd', 'e'];
  const seen: string[] = [];
  let marker: string | undefined;
  let pages = 0;
  do {
    const page = pageList(items, { Marker: marker, MaxItems: 2 });
    assert.equal(page.IsTruncated, page.Marker !== undefined);
    seen.push(...page.items);
    marker = page.Marker;
    pages++;
  } while (marker !== undefined);
  assert.deepEqual(seen, items);
  assert.equal(pages, 3);
});

test('pageList without MaxItems returns up to 100 items; a list that shrank resumes at its end', () => {
  const many = Array.from({ length: 101 }, (_, n) => n);
  const first = pageList(many, {});
  assert.equal(first.items.length, 100);
  assert.equal(first.IsTruncated, true);
  assert.deepEqual(pageList([1, 2], { Marker: first.Marker }), { items: [], IsTruncated: false });
});

test('pageList refuses a marker it did not issue with InvalidInput 400', () => {
  for (const marker of [
    'nope',
    Buffer.from('[-1]').toString('base64url'),
    Buffer.from('["o",-1]').toString('base64url'),
  ]) {
    assert.throws(() => pageList([1], { Marker: marker }), { code: 'InvalidInput', status: 400 });
  }
});
