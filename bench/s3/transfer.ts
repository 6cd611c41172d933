/**
 * One large transfer of `bench/s3`, in its own process: a PUT whose body is generated on the fly (one
 * 1 MiB buffer written again and again, so the bytes exist once, in no file), or a GET whose body is
 * counted and dropped. Prints one JSON line: status, bytes, seconds, MB/s.
 *
 *   node dist/bench/s3/transfer.js '<json spec>'
 */
import { request } from 'node:http';

export interface TransferSpec {
  readonly port: number;
  readonly method: 'PUT' | 'GET';
  readonly path: string;
  readonly headers: Readonly<Record<string, string>>;
  /** PUT: how many bytes to send. */
  readonly bytes: number;
}

export interface TransferResult {
  readonly status: number;
  readonly bytes: number;
  readonly seconds: number;
  readonly mbPerSecond: number;
  readonly error?: string;
}

const PIECE = Buffer.alloc(1024 * 1024);
for (let i = 0; i < PIECE.length; i += 4) PIECE.writeUInt32LE((i * 2654435761) >>> 0, i);

function transfer(spec: TransferSpec): Promise<TransferResult> {
  return new Promise((resolve, reject) => {
    const started = process.hrtime.bigint();
    let received = 0;
    const errorText: Buffer[] = [];
    const req = request(
      { host: '127.0.0.1', port: spec.port, method: spec.method, path: spec.path, headers: spec.headers },
      (res) => {
        res.on('data', (c: Buffer) => {
          received += c.length;
          if (res.statusCode !== 200 && received < 2000) errorText.push(c);
        });
        res.on('end', () => {
          const seconds = Number(process.hrtime.bigint() - started) / 1e9;
          const bytes = spec.method === 'PUT' ? spec.bytes : received;
          resolve({
            status: res.statusCode ?? 0,
            bytes,
            seconds,
            mbPerSecond: bytes / 1e6 / seconds,
            ...(res.statusCode !== 200 ? { error: Buffer.concat(errorText).toString().slice(0, 300) } : {}),
          });
        });
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    if (spec.method === 'GET') {
      req.end();
      return;
    }
    let sent = 0;
    const write = () => {
      while (sent < spec.bytes) {
        const piece = spec.bytes - sent >= PIECE.length ? PIECE : PIECE.subarray(0, spec.bytes - sent);
        sent += piece.length;
        if (!req.write(piece)) {
          req.once('drain', write);
          return;
        }
      }
      req.end();
    };
    write();
  });
}

const arg = process.argv[2];
if (arg === undefined) throw new Error('usage: transfer.js <json spec>');
const result = await transfer(JSON.parse(arg) as TransferSpec);
process.stdout.write(`${JSON.stringify(result)}\n`);
