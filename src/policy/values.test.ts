import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  canonicalBase64,
  cidrContains,
  formatCidr,
  hasHostBits,
  parseBool,
  parseCidr,
  parseDate,
  parseIp,
  parseNumber,
} from './values.js';

test('dates in every W3C profile form, and epoch seconds, are instants in one unit', () => {
  assert.equal(parseDate('2024'), Date.UTC(2024, 0, 1));
  assert.equal(parseDate('2024-05'), Date.UTC(2024, 4, 1));
  assert.equal(parseDate('2024-05-01'), Date.UTC(2024, 4, 1));
  assert.equal(parseDate('2024-05-01T12:30Z'), Date.UTC(2024, 4, 1, 12, 30));
  assert.equal(parseDate('2024-05-01T12:30:15Z'), Date.UTC(2024, 4, 1, 12, 30, 15));
  assert.equal(parseDate('2024-05-01T12:30:15.5Z'), Date.UTC(2024, 4, 1, 12, 30, 15, 500));
  assert.equal(parseDate('2024-05-01T12:30:15+02:00'), Date.UTC(2024, 4, 1, 10, 30, 15));
  assert.equal(parseDate('1714564800'), 1714564800 * 1000);
  assert.equal(parseDate('yesterday'), undefined);
  assert.equal(parseDate('2024-02-31'), undefined);
  assert.equal(parseDate('2024-13-01'), undefined);
});

test('numbers: integers and decimals', () => {
  assert.equal(parseNumber('10'), 10);
  assert.equal(parseNumber('-1.5'), -1.5);
  assert.equal(parseNumber('1e3'), 1000);
  assert.equal(parseNumber('ten'), undefined);
  assert.equal(parseNumber(''), undefined);
});

test('a bare IPv4 address is a /32, IPv6 a /128', () => {
  const c = parseCidr('203.0.113.7');
  assert.ok(c);
  assert.equal(c.bits, 32);
  assert.ok(cidrContains(c, parseIp('203.0.113.7')!));
  assert.ok(!cidrContains(c, parseIp('203.0.113.8')!));
  const v6 = parseCidr('2001:db8::1');
  assert.ok(v6 && v6.bits === 128);
});

test('0.0.0.0/0 contains every IPv4 address (JS shifts by 32 are no-ops; handled)', () => {
  const all = parseCidr('0.0.0.0/0')!;
  for (const ip of ['0.0.0.0', '1.2.3.4', '255.255.255.255', '203.0.113.9'])
    assert.ok(cidrContains(all, parseIp(ip)!));
  assert.ok(!cidrContains(all, parseIp('2001:db8::1')!));
  assert.ok(cidrContains(parseCidr('::/0')!, parseIp('2001:db8::1')!));
});

test('host bits past the mask are ignored', () => {
  const c = parseCidr('203.0.113.7/24')!;
  assert.ok(cidrContains(c, parseIp('203.0.113.200')!));
  assert.equal(formatCidr(c), '203.0.113.0/24');
  assert.ok(hasHostBits('203.0.113.7/24'));
  assert.ok(!hasHostBits('203.0.113.0/24'));
});

test('IPv6 forms: compression, embedded IPv4, prefixes', () => {
  assert.ok(cidrContains(parseCidr('2001:db8::/32')!, parseIp('2001:db8:ffff::1')!));
  assert.ok(!cidrContains(parseCidr('2001:db8::/32')!, parseIp('2001:db9::1')!));
  assert.equal(parseIp('::ffff:192.0.2.1')?.v, 6);
  assert.equal(parseIp('1::2::3'), undefined);
  assert.equal(parseIp('12345::'), undefined);
  assert.equal(parseCidr('10.0.0.0/33'), undefined);
  assert.equal(parseIp('256.1.1.1'), undefined);
  assert.equal(formatCidr(parseCidr('2001:db8::5/64')!), '2001:db8::/64');
});

test('booleans compare as words in any case; base64 compares by bytes', () => {
  assert.equal(parseBool('TRUE'), true);
  assert.equal(parseBool('False'), false);
  assert.equal(parseBool('yes'), undefined);
  assert.equal(
    canonicalBase64('QmluYXJ5VmFsdWVJbkJhc2U2NA=='),
    canonicalBase64('QmluYXJ5VmFsdWVJbkJhc2U2NA=='),
  );
  assert.equal(canonicalBase64('not base64!'), undefined);
});

test('years before 100 are not read as 19xx; zone offsets are bounded; IPv6 compresses the longest zero run', () => {
  assert.equal(new Date(parseDate('0099-01-01')!).getUTCFullYear(), 99);
  assert.equal(parseDate('2024-05-01T00:00+99:99'), undefined);
  assert.equal(formatCidr(parseCidr('2001:0:0:1::5/64')!), '2001:0:0:1::/64');
  assert.equal(formatCidr(parseCidr('::/0')!), '::/0');
});
