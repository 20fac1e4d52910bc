import { EntitySchema } from 'typeorm';
import { type DatabaseKind, instantColumn } from '../database/instant-column';

/** Text column lengths, shared by the entity, the migration and the repository (which truncates to them). */
export const FILE_TEXT_LIMITS = {
  id: 128,
  owner: 320,
  keyId: 64,
  userPath: 255,
  purpose: 64,
  filename: 512,
  contentType: 255,
  status: 16,
  provider: 64,
} as const;

/**
 * One row of `files`: a file uploaded through the Files API. Either Switchyard holds its bytes (in
 * `file_chunks`) or a provider does (`provider` + `providerFileId` set, no chunks), in which case the
 * row maps Switchyard's view of the file to the provider's. `owner` is the visibility scope the
 * store derives from key id and user path (see FileStore), so one indexed column answers "whose".
 */
export class StoredFileEntity {
  id: string;
  owner: string;
  keyId: string | null;
  userPath: string | null;
  purpose: string;
  filename: string;
  bytes: number;
  contentType: string;
  /** `uploading` while chunks arrive (invisible), `processed` once complete. */
  status: string;
  createdAt: Date;
  expiresAt: Date | null;
  provider: string | null;
  providerFileId: string | null;
}

const text = (name: string, length: number, nullable = false) => ({ name, type: 'varchar', length, nullable }) as const;

/** The `files` mapping for one database (see instantColumn). */
export function storedFileSchema(kind: DatabaseKind): EntitySchema<StoredFileEntity> {
  const limits = FILE_TEXT_LIMITS;
  return new EntitySchema<StoredFileEntity>({
    name: StoredFileEntity.name,
    target: StoredFileEntity,
    tableName: 'files',
    columns: {
      id: { ...text('id', limits.id), primary: true, primaryKeyConstraintName: 'pk_files' },
      owner: text('owner', limits.owner),
      keyId: text('key_id', limits.keyId, true),
      userPath: text('user_path', limits.userPath, true),
      purpose: text('purpose', limits.purpose),
      filename: text('filename', limits.filename),
      bytes: { name: 'bytes', type: 'integer' },
      contentType: text('content_type', limits.contentType),
      status: text('status', limits.status),
      createdAt: instantColumn(kind, 'created_at'),
      expiresAt: { ...instantColumn(kind, 'expires_at'), nullable: true },
      provider: text('provider', limits.provider, true),
      providerFileId: text('provider_file_id', limits.id, true),
    },
    indices: [
      // Listing: one owner's files newest (or oldest) first, keyset on (created_at, id).
      { name: 'idx_files_owner_created_at', columns: ['owner', 'createdAt', 'id'] },
      { name: 'idx_files_owner_purpose_created_at', columns: ['owner', 'purpose', 'createdAt', 'id'] },
      // Retention: expired files, and uploads abandoned mid-way.
      { name: 'idx_files_expires_at', columns: ['expiresAt'] },
      { name: 'idx_files_status_created_at', columns: ['status', 'createdAt'] },
    ],
  });
}
