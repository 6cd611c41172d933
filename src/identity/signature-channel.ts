import type { VerifyKeyObjectInput } from 'node:crypto';
import { SEAL_IV_BYTES } from '../shared/sealed-box.js';

/**
 * The memory `SignatureWorker` (signature-worker.ts) and its thread (signature-worker-thread.ts) share:
 * a ring of SLOTS job slots in one SharedArrayBuffer, and a few counters beside it. The main thread
 * writes a job into the next slot and counts it in SUBMITTED; the worker checks jobs in that order,
 * writes each one's answer into its slot and counts it in COMPLETED. A slot is written again only after
 * the main thread has read its answer, so neither side ever reads a slot the other is writing.
 *
 * Counters are int32 and wrap (`| 0`); SLOTS is a power of two, so a job's slot is `seq & (SLOTS - 1)`
 * across the wrap, and `(submitted - consumed) | 0` is the number in flight.
 */

/** Jobs in flight at most; more wait in the main thread's queue until answers free slots. */
export const SLOTS = 64;

/** Control words (Int32Array indexes). */
export const SUBMITTED = 0;
export const COMPLETED = 1;
/** 1 while the worker waits on SUBMITTED: the main thread wakes it only then. */
export const SLEEPING = 2;
/** Set to 1 to make the worker leave its loop (and end). */
export const STOP = 3;
const CONTROL_WORDS = 4;

/**
 * The words of one slot's header, by their place in it. `present`: bit 0 set when there is a padding,
 * bit 1 when there is a saltLength. `lengths`: the signing input's in the low 16 bits, the signature's
 * above.
 */
const WORD = {
  key: 0,
  hash: 1,
  present: 2,
  padding: 3,
  saltLength: 4,
  dsaEncoding: 5,
  lengths: 6,
  answer: 7,
  /** The sealing key's number, 0 for a job with nothing to seal. */
  sealKey: 8,
  /** Bytes of the plaintext to seal. */
  plainLength: 9,
  /** Characters of the sealed token the worker wrote over the signing input, 0 for none. */
  sealedLength: 10,
} as const;
const SLOT_WORDS = 11;

/**
 * A slot's bytes: the signing input (ASCII) and then the signature. Every token STS accepts fits: its
 * signing input is shorter than the token (at most 20,000 characters, decode-jwt's MAX_TOKEN_LENGTH),
 * and no signature of an accepted algorithm is longer than 1,024 bytes (RSA 8192). A job that does not
 * fit never goes to the worker (`fitsSlot`).
 */
const SLOT_DATA_BYTES = 20_480;
const SLOT_SIGNATURE_BYTES = 1_024;
/**
 * Then the nonce and the plaintext of a seal. A plaintext of up to SEAL_PLAIN_BYTES seals to a token
 * that fits where the signing input was (base64 of header, tag and ciphertext: under 16.5 KB).
 */
const SLOT_IV_BYTES = 16;
const SLOT_PLAIN_BYTES = 12_288;
const SLOT_BYTES = SLOT_DATA_BYTES + SLOT_SIGNATURE_BYTES + SLOT_IV_BYTES + SLOT_PLAIN_BYTES;
const IV_AT = SLOT_DATA_BYTES + SLOT_SIGNATURE_BYTES;
const PLAIN_AT = IV_AT + SLOT_IV_BYTES;

/** The digests a job may name, by their number in the slot's `hash` word. Any other goes to the threadpool instead. */
const HASHES: readonly string[] = ['sha256', 'sha384', 'sha512'];
const DSA_ENCODINGS: readonly VerifyKeyObjectInput['dsaEncoding'][] = [undefined, 'der', 'ieee-p1363'];

/** One signature check as it sits in a slot: its key by number (KeyMessage), and the rest as given. */
export interface SlotJob {
  readonly keyId: number;
  readonly hash: string;
  readonly padding: number | undefined;
  readonly saltLength: number | undefined;
  readonly dsaEncoding: VerifyKeyObjectInput['dsaEncoding'];
  /** The signing input: ASCII text (base64url parts and a dot). */
  readonly data: string;
  readonly signature: Uint8Array;
  /** What to seal if the signature is valid (`fitsSlot` holds it to a size that fits). */
  readonly seal?: { readonly keyId: number; readonly iv: Uint8Array; readonly plaintext: string };
}

/** The job as the worker reads it: the same, its bytes as views into the slot. */
export interface SlotJobView extends Omit<SlotJob, 'data' | 'signature' | 'seal'> {
  readonly data: Buffer;
  readonly signature: Buffer;
  readonly seal: { readonly keyId: number; readonly iv: Buffer; readonly plaintext: Buffer } | undefined;
}

/**
 * Whether a slot can carry the job: the bytes fit, the digest and encoding are known, and the numbers
 * are int32. A job that cannot goes to the threadpool instead.
 */
export function fitsSlot(
  job: Omit<SlotJob, 'keyId' | 'seal'> & {
    readonly seal: { readonly iv: Uint8Array; readonly plaintext: string } | undefined;
  },
): boolean {
  return (
    job.data.length <= SLOT_DATA_BYTES &&
    job.signature.length <= SLOT_SIGNATURE_BYTES &&
    HASHES.includes(job.hash) &&
    DSA_ENCODINGS.includes(job.dsaEncoding) &&
    isInt32OrAbsent(job.padding) &&
    isInt32OrAbsent(job.saltLength) &&
    (job.seal === undefined ||
      (job.seal.iv.length === SEAL_IV_BYTES &&
        // A UTF-16 code unit is at most 3 UTF-8 bytes: a bound without measuring the text.
        job.seal.plaintext.length * 3 <= SLOT_PLAIN_BYTES))
  );
}

function isInt32OrAbsent(n: number | undefined): boolean {
  return n === undefined || (Number.isInteger(n) && (n | 0) === n);
}

/** The answers a slot can hold: valid, invalid, or the worker did not hold the job's key. */
export const INVALID = 0;
export const VALID = 1;
export const NO_KEY = 2;

/** Views of one shared buffer, the same on both sides. */
export class SignatureChannel {
  readonly control: Int32Array;
  readonly slots: Int32Array;
  readonly bytes: Buffer;

  constructor(readonly buffer: SharedArrayBuffer = newChannelBuffer()) {
    this.control = new Int32Array(buffer, 0, CONTROL_WORDS);
    this.slots = new Int32Array(buffer, CONTROL_WORDS * 4, SLOTS * SLOT_WORDS);
    const bytesAt = (CONTROL_WORDS + SLOTS * SLOT_WORDS) * 4;
    this.bytes = Buffer.from(buffer, bytesAt, SLOTS * SLOT_BYTES);
  }

  /** Writes job `seq` into its slot (`fitsSlot` must hold), its answer INVALID until the worker's. */
  write(seq: number, job: SlotJob): void {
    const { slots } = this;
    const base = (seq & (SLOTS - 1)) * SLOT_WORDS;
    slots[base + WORD.key] = job.keyId;
    slots[base + WORD.hash] = HASHES.indexOf(job.hash);
    slots[base + WORD.present] = (job.padding === undefined ? 0 : 1) | (job.saltLength === undefined ? 0 : 2);
    slots[base + WORD.padding] = job.padding ?? 0;
    slots[base + WORD.saltLength] = job.saltLength ?? 0;
    slots[base + WORD.dsaEncoding] = DSA_ENCODINGS.indexOf(job.dsaEncoding);
    const at = (seq & (SLOTS - 1)) * SLOT_BYTES;
    const dataLength = this.bytes.write(job.data, at, 'latin1');
    this.bytes.set(job.signature, at + SLOT_DATA_BYTES);
    slots[base + WORD.lengths] = dataLength | (job.signature.length << 16);
    slots[base + WORD.answer] = INVALID;
    slots[base + WORD.sealedLength] = 0;
    const { seal } = job;
    slots[base + WORD.sealKey] = seal === undefined ? 0 : seal.keyId;
    if (seal !== undefined) {
      this.bytes.set(seal.iv, at + IV_AT);
      slots[base + WORD.plainLength] = this.bytes.write(seal.plaintext, at + PLAIN_AT, 'utf8');
    }
  }

  /** Job `seq` as written, or undefined if its digest or encoding number is not one of ours. */
  read(seq: number): SlotJobView | undefined {
    const { slots } = this;
    const base = (seq & (SLOTS - 1)) * SLOT_WORDS;
    const hash = HASHES[slots[base + WORD.hash] ?? -1];
    const dsaEncoding = slots[base + WORD.dsaEncoding] ?? -1;
    if (hash === undefined || dsaEncoding < 0 || dsaEncoding >= DSA_ENCODINGS.length) return undefined;
    const present = slots[base + WORD.present] ?? 0;
    const lengths = slots[base + WORD.lengths] ?? 0;
    const at = (seq & (SLOTS - 1)) * SLOT_BYTES;
    return {
      keyId: slots[base + WORD.key] ?? 0,
      hash,
      padding: (present & 1) !== 0 ? slots[base + WORD.padding] : undefined,
      saltLength: (present & 2) !== 0 ? slots[base + WORD.saltLength] : undefined,
      dsaEncoding: DSA_ENCODINGS[dsaEncoding],
      data: this.bytes.subarray(at, at + (lengths & 0xffff)),
      signature: this.bytes.subarray(at + SLOT_DATA_BYTES, at + SLOT_DATA_BYTES + (lengths >>> 16)),
      seal: this.#sealOf(seq),
    };
  }

  #sealOf(seq: number): SlotJobView['seal'] {
    const base = (seq & (SLOTS - 1)) * SLOT_WORDS;
    const keyId = this.slots[base + WORD.sealKey] ?? 0;
    if (keyId === 0) return undefined;
    const at = (seq & (SLOTS - 1)) * SLOT_BYTES;
    const plainLength = this.slots[base + WORD.plainLength] ?? 0;
    return {
      keyId,
      iv: this.bytes.subarray(at + IV_AT, at + IV_AT + SEAL_IV_BYTES),
      plaintext: this.bytes.subarray(at + PLAIN_AT, at + PLAIN_AT + plainLength),
    };
  }

  /** The worker's sealed token for job `seq`, written where its signing input was (ASCII). */
  writeSealed(seq: number, token: string): void {
    const at = (seq & (SLOTS - 1)) * SLOT_BYTES;
    if (token.length > SLOT_DATA_BYTES) return;
    this.bytes.write(token, at, 'latin1');
    this.slots[(seq & (SLOTS - 1)) * SLOT_WORDS + WORD.sealedLength] = token.length;
  }

  /** The sealed token of job `seq`, or undefined when the worker sealed nothing. */
  sealedOf(seq: number): string | undefined {
    const length = this.slots[(seq & (SLOTS - 1)) * SLOT_WORDS + WORD.sealedLength] ?? 0;
    if (length === 0) return undefined;
    const at = (seq & (SLOTS - 1)) * SLOT_BYTES;
    return this.bytes.toString('latin1', at, at + length);
  }

  /** The worker's answer to job `seq`. */
  answer(seq: number, answer: number): void {
    Atomics.store(this.slots, (seq & (SLOTS - 1)) * SLOT_WORDS + WORD.answer, answer);
  }

  answerOf(seq: number): number {
    return Atomics.load(this.slots, (seq & (SLOTS - 1)) * SLOT_WORDS + WORD.answer);
  }
}

function newChannelBuffer(): SharedArrayBuffer {
  return new SharedArrayBuffer((CONTROL_WORDS + SLOTS * SLOT_WORDS) * 4 + SLOTS * SLOT_BYTES);
}
