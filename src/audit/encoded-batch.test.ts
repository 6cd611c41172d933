import assert from 'node:assert/strict';
import { test } from 'node:test';
import { seededRandom as random } from '../shared/seeded-random.js';
import { BATCH_BUFFER_BYTES, EncodedBatch } from './encoded-batch.js';

/** A line of about `length` characters, some of them 2, 3 and 4 UTF-8 bytes long. */
function line(next: () => number, length: number): string {
  const alphabet = ['a', '"', 'é', '€', '😀', '\u0000'];
  let text = '';
  while (text.length < length) text += alphabet[Math.floor(next() * alphabet.length)];
  return `${text}\n`;
}

test('each batch is the UTF-8 of the lines added since the last take, and earlier batches are never written over', () => {
  for (let seed = 1; seed <= 40; seed++) {
    const next = random(seed);
    const batch = new EncodedBatch();
    const taken: { bytes: Buffer; expected: Buffer }[] = [];
    let lines: string[] = [];
    for (let i = 0; i < 400; i++) {
      // Mostly audit-sized lines; now and then one near or past a whole buffer (256 KiB), or empty.
      const roll = next();
      const length =
        roll < 0.02 ? 0 : roll < 0.05 ? Math.floor(60_000 + next() * 120_000) : Math.floor(next() * 3000);
      const text = length === 0 ? '' : line(next, length);
      batch.add(text);
      lines.push(text);
      assert.equal(batch.count, lines.length);
      if (next() < 0.1) {
        taken.push({ bytes: batch.take(), expected: Buffer.from(lines.join(''), 'utf8') });
        assert.equal(batch.count, 0);
        lines = [];
      }
    }
    taken.push({ bytes: batch.take(), expected: Buffer.from(lines.join(''), 'utf8') });
    // Checked only now, after every later add: a batch's bytes must have stayed as they were taken.
    taken.forEach(({ bytes, expected }, i) => assert.ok(bytes.equals(expected), `seed ${seed}, batch ${i}`));
  }
});

test('an empty batch takes no bytes; a line longer than a buffer is kept whole', () => {
  const batch = new EncodedBatch();
  assert.equal(batch.take().length, 0);
  const long = `${'😀'.repeat(200_000)}\n`;
  batch.add('first\n');
  batch.add(long);
  batch.add('last\n');
  assert.equal(batch.take().toString('utf8'), `first\n${long}last\n`);
  assert.equal(batch.take().length, 0);
});

test('a line of 3-byte characters that just fits, or just does not, near the end of a buffer is kept whole', () => {
  for (let free = 1; free <= 40; free++) {
    for (const euros of [Math.floor(free / 3), Math.floor(free / 2), free]) {
      const batch = new EncodedBatch();
      // ASCII up to `free` bytes short of a whole buffer, then the line of € (3 UTF-8 bytes each).
      const filler = `${'a'.repeat(BATCH_BUFFER_BYTES - free - 1)}\n`;
      const line = `${'€'.repeat(euros)}`;
      batch.add(filler);
      batch.add(line);
      batch.add('z\n');
      assert.equal(batch.take().toString('utf8'), `${filler}${line}z\n`, `${free} bytes free, ${euros} €`);
    }
  }
});
