import assert from 'node:assert/strict';
import { test } from 'node:test';
import { seededRandom as random } from '../shared/seeded-random.js';
import { formatAmzDateTime, isAmzDate, parseAmzDateTime, parseHttpDate } from './amz-date.js';

const T = Date.UTC(2015, 7, 30, 12, 36, 0);

test('X-Amz-Date is ISO 8601 basic format, to the second, in UTC', () => {
  assert.equal(parseAmzDateTime('20150830T123600Z'), T);
  assert.equal(formatAmzDateTime(T), '20150830T123600Z');
  assert.equal(formatAmzDateTime(T + 999), '20150830T123600Z');
});

test('other spellings of the time are not X-Amz-Date', () => {
  for (const bad of [
    '2015-08-30T12:36:00Z',
    '20150830T123600',
    '20150830T123600.000Z',
    '20150830t123600z',
    ' 20150830T123600Z',
    '',
  ]) {
    assert.equal(parseAmzDateTime(bad), undefined, bad);
  }
});

test('an X-Amz-Date that names no real instant is refused', () => {
  for (const bad of [
    '20150230T123600Z',
    '20151301T000000Z',
    '20150830T240000Z',
    '20150830T126000Z',
    '20150830T123660Z',
  ]) {
    assert.equal(parseAmzDateTime(bad), undefined, bad);
  }
  assert.equal(parseAmzDateTime('20160229T000000Z'), Date.UTC(2016, 1, 29));
});

test('a Date header is an IMF-fixdate, or the ISO 8601 basic format', () => {
  assert.equal(parseHttpDate('Sun, 30 Aug 2015 12:36:00 GMT'), T);
  assert.equal(parseHttpDate('20150830T123600Z'), T);
  assert.equal(parseHttpDate('Sun, 30 Aug 2015 12:36:00 -0000'), T); // Python's email.utils.formatdate()
  assert.equal(parseHttpDate('Sun, 30 Aug 2015 12:36:00 +0000'), T);
  assert.equal(parseHttpDate('Sun, 30 Aug 2015 12:36:00 +0100'), undefined);
  assert.equal(parseHttpDate('Sunday, 30-Aug-15 12:36:00 GMT'), undefined); // RFC 850
  assert.equal(parseHttpDate('Sun Aug 30 12:36:00 2015'), undefined); // asctime
  assert.equal(parseHttpDate('Sun, 31 Sep 2015 12:36:00 GMT'), undefined);
});

test('a credential date is YYYYMMDD naming a real day', () => {
  assert.equal(isAmzDate('20150830'), true);
  assert.equal(isAmzDate('20150931'), false);
  assert.equal(isAmzDate('2015083'), false);
  assert.equal(isAmzDate('2015-08-30'), false);
});

test('X-Amz-Date is read exactly as the ISO 8601 basic expression reads it, over random texts', () => {
  const pattern = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/;
  // An independent reading of "a real instant": Date.UTC's fields read back unchanged, year from 1000.
  const reference = (text: string): number | undefined => {
    const m = pattern.exec(text);
    if (!m) return undefined;
    const [y, mo, d, h, mi, s] = m.slice(1).map(Number) as [number, number, number, number, number, number];
    const ms = Date.UTC(y, mo - 1, d, h, mi, s);
    const back = new Date(ms);
    const same =
      back.getUTCFullYear() === y &&
      back.getUTCMonth() === mo - 1 &&
      back.getUTCDate() === d &&
      back.getUTCHours() === h &&
      back.getUTCMinutes() === mi &&
      back.getUTCSeconds() === s;
    return y >= 1000 && same ? ms : undefined;
  };
  const next = random(1608);
  // Digits, the two letters, their lower case, and characters a regexp `\d` does not take.
  const odd = ['T', 'Z', 't', 'z', ' ', '\n', '/', ':', '٣', '０', '-'];
  for (let i = 0; i < 20_000; i++) {
    const chars = [...formatAmzDateTime(Math.floor(next() * 4e12) - 5e11)];
    // Out-of-range fields (month 13, hour 24, 31 April) from random digits in place.
    for (let k = 0; k < 3; k++) {
      if (next() < 0.3) chars[Math.floor(next() * chars.length)] = String(Math.floor(next() * 10));
    }
    if (next() < 0.1) chars[Math.floor(next() * chars.length)] = odd[Math.floor(next() * odd.length)] ?? '';
    if (next() < 0.05) chars.splice(Math.floor(next() * chars.length), 1);
    if (next() < 0.05) chars.push(odd[Math.floor(next() * odd.length)] ?? '');
    const text = chars.join('');
    assert.equal(parseAmzDateTime(text), reference(text), JSON.stringify(text));
  }
});
