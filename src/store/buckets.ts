/**
 * S3's Block Public Access settings of a bucket (S3 API Reference, PublicAccessBlockConfiguration): kept
 * with the bucket so that a later PutPublicAccessBlock has a home; every flag is stored as given.
 */
export interface PublicAccessBlock {
  readonly blockPublicAcls: boolean;
  readonly ignorePublicAcls: boolean;
  readonly blockPublicPolicy: boolean;
  readonly restrictPublicBuckets: boolean;
}

/** An S3 bucket. Bucket names are global (one namespace for every account), as S3's are. */
export interface Bucket {
  /** 3-63 characters of S3's bucket-name rules; the S3 layer checks them. */
  readonly name: string;
  /** The owner: the account whose principal created it. */
  readonly accountId: string;
  /** The region it was created in (`GetBucketLocation`). */
  readonly region: string;
  readonly createdAt: number;
  /** The bucket policy, as the JSON text PutBucketPolicy stored. */
  readonly policy?: string;
  readonly publicAccessBlock?: PublicAccessBlock;
}

/** What CreateBucket stores. */
export type NewBucket = Omit<Bucket, 'policy' | 'publicAccessBlock'>;

/**
 * Buckets, keyed by name. Deleting a bucket that still holds objects fails `deleteConflict` (reason
 * `objects`), so that S3's BucketNotEmpty is decided inside the store's own atomic step.
 */
export interface BucketStore {
  /** Fails `notFound` (`account`) or `alreadyExists` (`bucket`, whichever account owns it). */
  create(bucket: NewBucket): Promise<Bucket>;
  get(name: string): Promise<Bucket | undefined>;
  /** The account's buckets in name order (ListBuckets; S3's quota keeps this small). */
  listByAccount(accountId: string): Promise<readonly Bucket[]>;
  /** Replaces the bucket policy, or removes it with `undefined`. Fails `notFound`. */
  setPolicy(name: string, policy: string | undefined): Promise<Bucket>;
  /** Replaces the Block Public Access settings, or removes them with `undefined`. Fails `notFound`. */
  setPublicAccessBlock(name: string, settings: PublicAccessBlock | undefined): Promise<Bucket>;
  /** Fails `notFound`, or `deleteConflict` (`objects`) while the bucket holds an object. */
  delete(name: string): Promise<void>;
}
