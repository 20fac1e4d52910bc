import { Inject, Injectable } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '@app/config';
import { generateId } from '@app/core';
import { type StoredFile, FilesRepository } from '@app/storage';
import { chunkContent } from './chunker';

/** Who a file belongs to: the caller's key id and user path (see {@link FileStore} for visibility). */
export interface FileOwner {
  readonly keyId: string | null;
  readonly userPath: string | null;
}

/** The OpenAI FileObject. */
export interface FileObject {
  id: string;
  object: 'file';
  bytes: number;
  created_at: number;
  expires_at: number | null;
  filename: string;
  purpose: string;
  status: 'processed';
  status_details?: string | null;
}

/** Where a file's bytes live: in Switchyard's chunks (provider null) or at a provider under its own id. */
export interface FileLocation {
  readonly file: FileObject;
  readonly contentType: string;
  readonly provider: string | null;
  readonly providerFileId: string | null;
}

/** Size of one stored chunk: large enough that a 512 MB file is ~512 rows, small enough to hold one. */
export const FILE_CHUNK_BYTES = 1024 * 1024;
/** An upload still incomplete after this long was abandoned (its replica died); retention removes it. */
export const STALE_UPLOAD_MS = 6 * 3_600_000;

/**
 * Switchyard's own file store: files in the database in chunks (SQLite or PostgreSQL, shared by
 * every replica), never held whole in memory, plus the mapping of files held by a provider.
 *
 * Visibility: a file belongs to the user path it was uploaded under. A caller with a user path
 * (a managed key's, or the master key's `X-Switchyard-User-Path`) sees every file of that user
 * path and nothing else; a caller without one sees only the files its own key uploaded without a
 * user path. The master key is no exception (it sees its own files, or a user's when it names the
 * user path), so listing never mixes tenants. `null` as owner is the system (workers): it sees all.
 * Expired files are invisible at once, before retention deletes them.
 */
@Injectable()
export class FileStore {
  constructor(
    private readonly repository: FilesRepository,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /**
   * Streams content into chunks in the database; rejects with FileTooLargeError beyond maxBytes
   * (default FILES_MAX_BYTES), and on any failure of `content` removes what was stored. The file is
   * invisible until complete. `expiresAt` is in Unix seconds.
   */
  async create(
    owner: FileOwner,
    meta: { filename: string; purpose: string; contentType?: string; expiresAt?: number | null },
    content: AsyncIterable<Buffer>,
    options: { maxBytes?: number } = {},
  ): Promise<FileObject> {
    return this.receive(owner, meta, content, options, () => Promise.resolve(meta));
  }

  /**
   * create() for uploads whose purpose and expiry are known only once the content has arrived
   * (multipart fields may follow the file): `settle` runs after the last chunk, before the file
   * becomes visible; when it throws, the file is removed and the error rethrown.
   */
  async receive(
    owner: FileOwner,
    meta: { filename: string; contentType?: string },
    content: AsyncIterable<Buffer>,
    options: { maxBytes?: number },
    settle: () => Promise<{ purpose: string; expiresAt?: number | null }>,
  ): Promise<FileObject> {
    const row = newRow(owner, { ...meta, purpose: '' }, null);
    await this.repository.insert(row);
    try {
      let bytes = 0;
      let index = 0;
      for await (const chunk of chunkContent(content, FILE_CHUNK_BYTES, options.maxBytes ?? this.config.files.maxBytes)) {
        await this.repository.insertChunk(row.id, index++, chunk);
        bytes += chunk.length;
      }
      const settled = await settle();
      const done = { ...row, bytes, purpose: settled.purpose, expiresAt: expiry(settled.expiresAt) };
      if (!(await this.repository.markProcessed(done))) throw new Error(`File ${row.id} was deleted while uploading`);
      return toFileObject(done);
    } catch (error) {
      await this.repository.delete(row.id).catch(() => undefined);
      throw error;
    }
  }

  /** Records a file a provider holds (uploaded through it) under Switchyard's id, so later calls find the provider. */
  async createMapped(owner: FileOwner, provider: string, upstream: FileObject, contentType?: string): Promise<FileObject> {
    const row = newRow(owner, { ...upstream, expiresAt: upstream.expires_at, contentType }, { provider, providerFileId: upstream.id });
    // The provider's id is the file's id here too (as native responses keep theirs): a client can
    // name it in that provider's own APIs (batches, passthrough) and in Switchyard's alike.
    const stored = { ...row, id: upstream.id, bytes: upstream.bytes, status: 'processed' as const, createdAt: new Date(upstream.created_at * 1000) };
    await this.repository.insert(stored);
    return toFileObject(stored);
  }

  /** null owner = the system (workers); otherwise visible only to the same user path (another key's user path → undefined). */
  async get(owner: FileOwner | null, id: string): Promise<FileObject | undefined> {
    return (await this.locate(owner, id))?.file;
  }

  /** Like get, with where the bytes are: Switchyard's chunks or a provider's file. */
  async locate(owner: FileOwner | null, id: string): Promise<FileLocation | undefined> {
    const row = await this.repository.find(id);
    if (!row || !visible(row, owner, new Date())) return undefined;
    return { file: toFileObject(row), contentType: contentTypeOf(row), provider: row.provider, providerFileId: row.providerFileId };
  }

  /**
   * Streams the content back chunk by chunk (never whole in memory); undefined when absent, and for
   * a file a provider holds (its bytes are not here: see locate).
   */
  async content(owner: FileOwner | null, id: string): Promise<{ file: FileObject; contentType: string; body: AsyncIterable<Buffer> } | undefined> {
    const location = await this.locate(owner, id);
    if (!location || location.provider !== null) return undefined;
    return { file: location.file, contentType: location.contentType, body: this.chunks(location.file.id) };
  }

  /** Deletes the file (its chunks, or the mapping of a provider's file); false when not visible. */
  async delete(owner: FileOwner | null, id: string): Promise<boolean> {
    if (!(await this.locate(owner, id))) return false;
    return this.repository.delete(id);
  }

  /** One page, newest first by default; an `after` naming no visible file gives an empty page. */
  async list(owner: FileOwner | null, query: { purpose?: string; limit: number; order: 'asc' | 'desc'; after?: string }): Promise<{ data: FileObject[]; has_more: boolean }> {
    const page = await this.repository.page({ ...query, owner: owner === null ? null : ownerKey(owner), now: new Date() });
    return page ? { data: page.files.map(toFileObject), has_more: page.hasMore } : { data: [], has_more: false };
  }

  private async *chunks(fileId: string): AsyncGenerator<Buffer> {
    for (let index = 0; ; index++) {
      const chunk = await this.repository.chunk(fileId, index);
      if (!chunk) return;
      yield chunk;
    }
  }
}

/** The one indexed column visibility is decided on (see FileStore). */
function ownerKey(owner: FileOwner): string {
  return owner.userPath !== null ? `user:${owner.userPath}` : `key:${owner.keyId ?? ''}`;
}

function visible(row: StoredFile, owner: FileOwner | null, now: Date): boolean {
  if (row.status !== 'processed') return false;
  if (row.expiresAt !== null && row.expiresAt.getTime() <= now.getTime()) return false;
  return owner === null || row.owner === ownerKey(owner);
}

function newRow(
  owner: FileOwner,
  meta: { filename: string; purpose: string; contentType?: string; expiresAt?: number | null },
  mapping: { provider: string; providerFileId: string } | null,
): StoredFile {
  return {
    id: generateId('file-', 12),
    owner: ownerKey(owner),
    keyId: owner.keyId,
    userPath: owner.userPath,
    purpose: meta.purpose,
    filename: meta.filename,
    bytes: 0,
    contentType: meta.contentType || 'application/octet-stream',
    status: 'uploading',
    createdAt: new Date(),
    expiresAt: expiry(meta.expiresAt),
    provider: mapping?.provider ?? null,
    providerFileId: mapping?.providerFileId ?? null,
  };
}

/** Unix seconds → Date; null and undefined mean never. */
function expiry(seconds: number | null | undefined): Date | null {
  return seconds === undefined || seconds === null ? null : new Date(seconds * 1000);
}

/** application/jsonl for .jsonl (what batch tooling expects), else what the uploader sent. */
function contentTypeOf(row: StoredFile): string {
  if (row.filename.toLowerCase().endsWith('.jsonl')) return 'application/jsonl';
  return row.contentType || 'application/octet-stream';
}

function toFileObject(row: StoredFile): FileObject {
  return {
    id: row.id,
    object: 'file',
    bytes: row.bytes,
    created_at: Math.floor(row.createdAt.getTime() / 1000),
    expires_at: row.expiresAt === null ? null : Math.floor(row.expiresAt.getTime() / 1000),
    filename: row.filename,
    purpose: row.purpose,
    status: 'processed',
    status_details: null,
  };
}
