/**
 * One multipart upload in progress (S3 API Reference, CreateMultipartUpload): what the object will be
 * once completed, kept from the CreateMultipartUpload request. Its parts live in blob files.
 */
export interface MultipartUpload {
  readonly bucket: string;
  readonly key: string;
  /** Opaque and unique (a random hex string). */
  readonly uploadId: string;
  readonly initiated: number;
  /** The ARN of the caller that created it (ListParts' and ListMultipartUploads' Initiator). */
  readonly initiator: string;
  readonly contentType?: string;
  readonly contentEncoding?: string;
  readonly contentDisposition?: string;
  readonly contentLanguage?: string;
  readonly cacheControl?: string;
  readonly expires?: string;
  /** `x-amz-meta-*` without the prefix, lower-case names, in the order received. */
  readonly metadata: readonly (readonly [string, string])[];
  /** `x-amz-tagging`: the completed object's tags. */
  readonly tags?: readonly (readonly [string, string])[];
  /** `x-amz-checksum-algorithm`, when the upload asked for one. */
  readonly checksumAlgorithm?: string;
}

/** One uploaded part. */
export interface UploadPart {
  readonly uploadId: string;
  /** 1..10000 */
  readonly partNumber: number;
  readonly size: number;
  /** With its quotes: `"<hex md5>"`. */
  readonly etag: string;
  /** Checksums by algorithm name, base64. */
  readonly checksums: Readonly<Record<string, string>>;
  readonly lastModified: number;
  readonly blobId: string;
}

/** Uploads of one bucket in S3's listing order: key, then upload id. */
export interface UploadListRequest {
  readonly prefix?: string;
  /** Only uploads strictly after this key (any upload id) ... */
  readonly afterKey?: string;
  /** ... or, with `afterKey`, those of that same key after this upload id, then later keys. */
  readonly afterUploadId?: string;
  /** Only keys at or after it (used to skip past a common prefix). */
  readonly fromKey?: string;
  /** At most this many; at least 1. */
  readonly limit: number;
}

/** Multipart uploads and their parts. Stale uploads stay until aborted (S3 keeps them too). */
export interface UploadStore {
  /** Fails `notFound` (`bucket`). */
  create(upload: MultipartUpload): Promise<void>;
  get(bucket: string, key: string, uploadId: string): Promise<MultipartUpload | undefined>;
  /**
   * Records a part, replacing one of the same number and returning it (its blob is the caller's to
   * delete). Fails `notFound` (`upload`) when the upload is gone (aborted or completed meanwhile).
   */
  putPart(part: UploadPart): Promise<UploadPart | undefined>;
  /** Parts in part-number order, strictly after `afterPart`. */
  listParts(uploadId: string, afterPart: number, limit: number): Promise<readonly UploadPart[]>;
  list(bucket: string, request: UploadListRequest): Promise<readonly MultipartUpload[]>;
  /** Removes the upload and its parts and returns the parts (their blobs are the caller's to delete). */
  delete(bucket: string, key: string, uploadId: string): Promise<readonly UploadPart[] | undefined>;
}
