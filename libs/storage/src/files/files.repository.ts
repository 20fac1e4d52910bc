import { Injectable } from '@nestjs/common';
import { Brackets, DataSource, In, IsNull, LessThan, LessThanOrEqual, type Repository, type SelectQueryBuilder } from 'typeorm';
import { queueSqliteWrite } from '../database/sqlite-write-queue';
import { storableNullableText, storableText } from '../database/storable-text';
import { FileChunkEntity } from './file-chunk.entity';
import { FILE_TEXT_LIMITS, StoredFileEntity } from './stored-file.entity';
import type { StoredFile, StoredFilesQuery } from './stored-file';

/** The only place files and their chunks meet TypeORM. */
@Injectable()
export class FilesRepository {
  private readonly files: Repository<StoredFileEntity>;
  private readonly chunks: Repository<FileChunkEntity>;

  constructor(private readonly dataSource: DataSource) {
    this.files = dataSource.getRepository(StoredFileEntity);
    this.chunks = dataSource.getRepository(FileChunkEntity);
  }

  async insert(file: StoredFile): Promise<void> {
    await this.write(() => this.files.insert(toEntity(file)));
  }

  /** Appends one piece of content. Each chunk is its own statement: an upload never holds a transaction open. */
  async insertChunk(fileId: string, chunkIndex: number, data: Buffer): Promise<void> {
    await this.write(() => this.chunks.insert({ fileId: key(fileId), chunkIndex, data }));
  }

  /** Marks an upload complete with its final size, purpose and expiry; false when the row is gone (deleted meanwhile). */
  async markProcessed(file: Pick<StoredFile, 'id' | 'bytes' | 'purpose' | 'expiresAt'>): Promise<boolean> {
    const values = { status: 'processed', bytes: file.bytes, purpose: storableText(file.purpose, FILE_TEXT_LIMITS.purpose), expiresAt: file.expiresAt };
    const result = await this.write(() => this.files.update({ id: key(file.id), status: 'uploading' }, values));
    return (result.affected ?? 0) > 0;
  }

  async find(id: string): Promise<StoredFile | null> {
    const row = await this.files.findOne({ where: { id: key(id) } });
    return row ? fromEntity(row) : null;
  }

  /** One chunk's bytes, or undefined past the last one. */
  async chunk(fileId: string, chunkIndex: number): Promise<Buffer | undefined> {
    const row = await this.chunks.findOne({ where: { fileId: key(fileId), chunkIndex } });
    return row ? Buffer.from(row.data) : undefined;
  }

  /** Deletes the file and its chunks; false when it did not exist. */
  async delete(id: string): Promise<boolean> {
    return this.write(() =>
      this.dataSource.transaction(async (manager) => {
        await manager.delete(FileChunkEntity, { fileId: key(id) });
        const result = await manager.delete(StoredFileEntity, { id: key(id) });
        return (result.affected ?? 0) > 0;
      }),
    );
  }

  /** One page of processed, unexpired files; undefined when `after` names no file in scope. */
  async page(query: StoredFilesQuery): Promise<{ files: StoredFile[]; hasMore: boolean } | undefined> {
    const builder = this.scope(query);
    if (query.after !== undefined) {
      const anchor = await this.scope(query)
        .andWhere('file.id = :after', { after: key(query.after) })
        .getOne();
      if (!anchor) return undefined;
      const op = query.order === 'asc' ? '>' : '<';
      builder.andWhere(
        new Brackets((where) =>
          where
            .where(`file.createdAt ${op} :anchorAt`, { anchorAt: anchor.createdAt })
            .orWhere(new Brackets((tie) => tie.where('file.createdAt = :anchorAt').andWhere(`file.id ${op} :anchorId`, { anchorId: anchor.id }))),
        ),
      );
    }
    const direction = query.order === 'asc' ? 'ASC' : 'DESC';
    const rows = await builder
      .orderBy('file.createdAt', direction)
      .addOrderBy('file.id', direction)
      .take(query.limit + 1)
      .getMany();
    return { files: rows.slice(0, query.limit).map(fromEntity), hasMore: rows.length > query.limit };
  }

  /**
   * Deletes expired files and uploads still `uploading` since before `staleBefore` (a replica died
   * mid-upload), a batch per transaction; returns how many files were deleted.
   */
  async deleteExpired(now: Date, staleBefore: Date, batchSize = 500): Promise<number> {
    let deleted = 0;
    for (;;) {
      const rows = await this.files.find({
        select: { id: true },
        where: [{ expiresAt: LessThanOrEqual(now) }, { status: 'uploading', createdAt: LessThan(staleBefore) }],
        take: batchSize,
      });
      if (rows.length === 0) return deleted;
      const ids = rows.map((row) => row.id);
      await this.write(() =>
        this.dataSource.transaction(async (manager) => {
          await manager.delete(FileChunkEntity, { fileId: In(ids) });
          await manager.delete(StoredFileEntity, { id: In(ids) });
        }),
      );
      deleted += ids.length;
      if (rows.length < batchSize) return deleted;
    }
  }

  private scope(query: StoredFilesQuery): SelectQueryBuilder<StoredFileEntity> {
    const builder = this.files.createQueryBuilder('file').where('file.status = :status', { status: 'processed' });
    if (query.owner !== null) builder.andWhere('file.owner = :owner', { owner: storableText(query.owner, FILE_TEXT_LIMITS.owner) });
    if (query.purpose !== undefined) builder.andWhere('file.purpose = :purpose', { purpose: storableText(query.purpose, FILE_TEXT_LIMITS.purpose) });
    return builder.andWhere(new Brackets((where) => where.where({ expiresAt: IsNull() }).orWhere('file.expiresAt > :now', { now: query.now })));
  }

  /** Serialises writes on SQLite's single connection with every other repository's (see queueSqliteWrite). */
  private write<T>(work: () => Promise<T>): Promise<T> {
    return queueSqliteWrite(this.dataSource, work);
  }
}

function key(id: string): string {
  return storableText(id, FILE_TEXT_LIMITS.id);
}

function toEntity(file: StoredFile): StoredFileEntity {
  const limits = FILE_TEXT_LIMITS;
  return Object.assign(new StoredFileEntity(), file, {
    id: key(file.id),
    owner: storableText(file.owner, limits.owner),
    keyId: storableNullableText(file.keyId, limits.keyId),
    userPath: storableNullableText(file.userPath, limits.userPath),
    purpose: storableText(file.purpose, limits.purpose),
    filename: storableText(file.filename, limits.filename),
    contentType: storableText(file.contentType, limits.contentType),
    provider: storableNullableText(file.provider, limits.provider),
    providerFileId: storableNullableText(file.providerFileId, limits.id),
  });
}

function fromEntity(row: StoredFileEntity): StoredFile {
  return { ...row, bytes: Number(row.bytes), status: row.status === 'processed' ? 'processed' : 'uploading' };
}
