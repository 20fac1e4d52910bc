/** A file's row as the store sees it (see StoredFileEntity). */
export interface StoredFile {
  readonly id: string;
  readonly owner: string;
  readonly keyId: string | null;
  readonly userPath: string | null;
  readonly purpose: string;
  readonly filename: string;
  readonly bytes: number;
  readonly contentType: string;
  readonly status: 'uploading' | 'processed';
  readonly createdAt: Date;
  readonly expiresAt: Date | null;
  readonly provider: string | null;
  readonly providerFileId: string | null;
}

/** One page of an owner's files, keyset-paginated on (created_at, id). */
export interface StoredFilesQuery {
  /** null = every owner (the system). */
  readonly owner: string | null;
  readonly purpose?: string;
  readonly limit: number;
  readonly order: 'asc' | 'desc';
  /** Id of the last file of the previous page. */
  readonly after?: string;
  /** Files expiring at or before this instant are left out. */
  readonly now: Date;
}
