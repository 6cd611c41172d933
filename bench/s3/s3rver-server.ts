/**
 * `s3rver` (a devDependency) in its own process for `bench/s3`, on a free 127.0.0.1 port, storing in DIR,
 * with the bench's two buckets. It checks SigV4 signatures (key S3RVER / secret S3RVER) but authorizes
 * nothing. Prints `port N` once it listens.
 *
 *   node dist/bench/s3/s3rver-server.js DIR
 */
import { createRequire } from 'node:module';
import type { AddressInfo } from 'node:net';
import { BUCKET, LIST_BUCKET } from './keys.js';

/** The part of s3rver's (untyped, CommonJS) API this uses. */
interface S3rverInstance {
  run(): Promise<AddressInfo>;
}
type S3rverClass = new (options: {
  address: string;
  port: number;
  directory: string;
  silent: boolean;
  configureBuckets: { name: string }[];
}) => S3rverInstance;

const S3rver = createRequire(import.meta.url)('s3rver') as S3rverClass;
const dir = process.argv[2];
if (dir === undefined) throw new Error('usage: s3rver-server.js DIR');
const server = new S3rver({
  address: '127.0.0.1',
  port: 0,
  directory: dir,
  silent: true,
  configureBuckets: [{ name: BUCKET }, { name: LIST_BUCKET }],
});
const address = await server.run();
process.stdout.write(`port ${address.port}\n`);
