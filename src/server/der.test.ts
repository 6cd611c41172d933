import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  bitString,
  boolean,
  explicit,
  implicitPrimitive,
  integer,
  oid,
  readChildren,
  readTlv,
  sequence,
  setOf,
  time,
  tlv,
  utf8String,
} from './der.js';

const hex = (b: Buffer) => b.toString('hex');

test('lengths use the short form below 128 bytes and the long form from 128 on (X.690 §8.1.3)', () => {
  assert.equal(hex(tlv(0x04, Buffer.alloc(127))).slice(0, 4), '047f');
  assert.equal(hex(tlv(0x04, Buffer.alloc(128))).slice(0, 6), '048180');
  assert.equal(hex(tlv(0x04, Buffer.alloc(300))).slice(0, 8), '0482012c');
});

test('integers are minimal and stay positive: a 0x00 goes before a set high bit', () => {
  assert.equal(hex(integer(0)), '020100');
  assert.equal(hex(integer(2)), '020102');
  assert.equal(hex(integer(128)), '02020080');
  assert.equal(hex(integer(65537)), '0203010001');
  assert.equal(hex(integer(Buffer.from([0, 0, 0x7f]))), '02017f');
  assert.equal(hex(integer(Buffer.from([0xff, 0x01]))), '020300ff01');
  assert.throws(() => integer(-1), TypeError);
});

test('object identifiers encode the first two arcs in one byte and the rest base-128', () => {
  // Known encodings: commonName 2.5.4.3, ecdsa-with-SHA256 1.2.840.10045.4.3.2 (RFC 5758).
  assert.equal(hex(oid('2.5.4.3')), '0603550403');
  assert.equal(hex(oid('1.2.840.10045.4.3.2')), '06082a8648ce3d040302');
  assert.equal(hex(oid('1.3.6.1.5.5.7.3.1')), '06082b06010505070301');
  assert.throws(() => oid('nope'), TypeError);
});

test('booleans, strings, bit strings and context tags', () => {
  assert.equal(hex(boolean(true)), '0101ff');
  assert.equal(hex(boolean(false)), '010100');
  assert.equal(hex(utf8String('é')), '0c02c3a9');
  assert.equal(hex(bitString(Buffer.from([0x86]), 1)), '03020186');
  assert.throws(() => bitString(Buffer.alloc(1), 8), TypeError);
  assert.equal(hex(explicit(0, integer(2))), 'a003020102');
  assert.equal(hex(implicitPrimitive(2, Buffer.from('a'))), '820161');
});

test('a SET OF is sorted by encoding; a SEQUENCE keeps its order', () => {
  assert.equal(hex(setOf(integer(2), integer(1))), '3106020101020102');
  assert.equal(hex(sequence(integer(2), integer(1))), '3006020102020101');
});

test('times are UTCTime until 2049 and GeneralizedTime from 2050 (RFC 5280 §4.1.2.5)', () => {
  assert.equal(
    time(Date.UTC(2026, 11, 4, 8, 5, 9, 999))
      .toString('latin1')
      .slice(2),
    '261204080509Z',
  );
  assert.equal(time(Date.UTC(2026, 0, 1))[0], 0x17);
  const late = time(Date.UTC(2050, 0, 1));
  assert.equal(late[0], 0x18);
  assert.equal(late.toString('latin1').slice(2), '20500101000000Z');
  assert.throws(() => time(Date.UTC(1949, 0, 1)), TypeError);
});

test('the reader walks what the writer wrote and refuses truncated input', () => {
  const der = sequence(integer(5), utf8String('x'.repeat(200)));
  const outer = readTlv(der);
  assert.ok(outer);
  assert.equal(outer.tag, 0x30);
  assert.equal(outer.end, der.length);
  const children = readChildren(der, outer);
  assert.deepEqual(
    children?.map((c) => c.tag),
    [0x02, 0x0c],
  );
  assert.equal(children?.[1]?.end, der.length);
  assert.equal(readTlv(der.subarray(0, der.length - 1)), undefined);
  assert.equal(readTlv(Buffer.from([0x30])), undefined);
  assert.equal(readTlv(Buffer.from([0x30, 0x85, 1, 1, 1, 1, 1])), undefined);
});
