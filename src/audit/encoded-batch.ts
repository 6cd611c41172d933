/** Bytes of one EncodedBatch buffer: a few hundred lines of about 1 KB (one batch of 5 ms at 50,000 requests/s). */
export const BATCH_BUFFER_BYTES = 256 * 1024;

/**
 * Lines encoded as UTF-8 the moment they are added, into one buffer shared by successive batches: a
 * batch is the bytes added since the last `take`, and the bytes a write still holds are never written
 * over (a full buffer is left to that write, and the next lines go to a new one).
 *
 * Why not keep the strings and join them at the batch's end, as until session 9: the encoder builds a
 * line out of many small strings (event-line.ts), and flattening those pieces into one text cost more
 * than encoding the event (the join was 1.7 µs per request of a signed GetCallerIdentity's ~45, in a
 * perf profile under bench/sts's load). Written straight into the buffer, each line is flattened once
 * and its text then dropped: per event of that request, 2.4 µs for encoding, join and
 * `Buffer.from`, 1.7 µs for encoding and this (a microbenchmark of 120-event batches in /tmp).
 */
export class EncodedBatch {
  private buffer: Buffer = Buffer.allocUnsafe(0);
  /** Where the batch being gathered starts in `buffer`, and where it ends. */
  private start = 0;
  private end = 0;
  /** Parts of this batch in buffers that filled up before it was taken. */
  private filled: Buffer[] = [];
  /** Lines in the batch. */
  count = 0;

  add(line: string): void {
    // A UTF-16 code unit is at most 3 UTF-8 bytes: a bound that needs no measuring of the line.
    if (line.length * 3 > this.buffer.length - this.end) {
      const bytes = Buffer.byteLength(line, 'utf8');
      if (bytes > this.buffer.length - this.end) this.renew(bytes);
    }
    this.end += this.buffer.write(line, this.end, 'utf8');
    this.count++;
  }

  /** The batch's bytes, and an empty batch to gather the next one. */
  take(): Buffer {
    const last = this.buffer.subarray(this.start, this.end);
    const parts = this.filled;
    this.filled = [];
    this.start = this.end;
    this.count = 0;
    return parts.length === 0 ? last : Buffer.concat([...parts, last]);
  }

  /** Leaves the current buffer's part of the batch to it, and goes on in a new buffer. */
  private renew(atLeast: number): void {
    if (this.end > this.start) this.filled.push(this.buffer.subarray(this.start, this.end));
    this.buffer = Buffer.allocUnsafe(Math.max(BATCH_BUFFER_BYTES, atLeast));
    this.start = 0;
    this.end = 0;
  }
}
