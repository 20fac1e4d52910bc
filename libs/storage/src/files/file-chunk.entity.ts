import { EntitySchema } from 'typeorm';
import type { DatabaseKind } from '../database/instant-column';
import { FILE_TEXT_LIMITS } from './stored-file.entity';

/** One piece of a stored file's content, in upload order (`chunkIndex` from 0). */
export class FileChunkEntity {
  fileId: string;
  chunkIndex: number;
  data: Buffer;
}

/** The `file_chunks` mapping: `bytea` on PostgreSQL, `blob` on SQLite. */
export function fileChunkSchema(kind: DatabaseKind): EntitySchema<FileChunkEntity> {
  return new EntitySchema<FileChunkEntity>({
    name: FileChunkEntity.name,
    target: FileChunkEntity,
    tableName: 'file_chunks',
    columns: {
      fileId: { name: 'file_id', type: 'varchar', length: FILE_TEXT_LIMITS.id, primary: true, primaryKeyConstraintName: 'pk_file_chunks' },
      chunkIndex: { name: 'chunk_index', type: 'integer', primary: true, primaryKeyConstraintName: 'pk_file_chunks' },
      data: { name: 'data', type: kind === 'postgres' ? 'bytea' : 'blob' },
    },
  });
}
