/** The keys of the listing bucket of `bench/s3`, in the order S3 lists them (zero-padded, so binary). */
export function listKey(i: number): string {
  return `list/${String(i).padStart(7, '0')}`;
}

/** The listing bucket and the bucket of everything else, on every server. */
export const LIST_BUCKET = 'bench-list';
export const BUCKET = 'bench';
