import { EntitySchema } from 'typeorm';
import { type DatabaseKind, instantColumn } from '../database/instant-column';

/** Text column lengths, shared by the entity and the repository (which truncates to them). */
export const RESPONSE_TEXT_LIMITS = {
  id: 128,
  status: 32,
  provider: 64,
  model: 255,
  keyId: 64,
  userPath: 255,
} as const;

/**
 * One row of `responses`: a Responses API response the gateway stored (unless `store: false`).
 * `body` is the response object as the client sees it; `request` the creation parameters without
 * `input` (whose items live in `response_input_items`), kept so a background worker can run it and
 * a later turn can follow the chain. Native responses keep the provider's id as their own id.
 */
export class StoredResponseEntity {
  id: string;
  /** timestamptz on PostgreSQL (see instantColumn), like updatedAt. */
  createdAt: Date;
  updatedAt: Date;
  status: string;
  provider: string;
  model: string;
  /** Served by the provider's own Responses API (the provider holds a copy under the same id). */
  native: boolean;
  background: boolean;
  previousResponseId: string | null;
  conversationId: string | null;
  keyId: string | null;
  userPath: string | null;
  /** JSON: the creation parameters without `input`. */
  request: string;
  /** JSON: the response object. */
  body: string;
}

const text = (name: string, length: number, nullable = false) => ({ name, type: 'varchar', length, nullable }) as const;

/** The `responses` mapping for one database (see instantColumn). */
export function storedResponseSchema(kind: DatabaseKind): EntitySchema<StoredResponseEntity> {
  const limits = RESPONSE_TEXT_LIMITS;
  return new EntitySchema<StoredResponseEntity>({
    name: StoredResponseEntity.name,
    target: StoredResponseEntity,
    tableName: 'responses',
    columns: {
      id: { ...text('id', limits.id), primary: true, primaryKeyConstraintName: 'pk_responses' },
      createdAt: instantColumn(kind, 'created_at'),
      updatedAt: instantColumn(kind, 'updated_at'),
      status: text('status', limits.status),
      provider: text('provider', limits.provider),
      model: text('model', limits.model),
      native: { name: 'native', type: 'boolean', default: false },
      background: { name: 'background', type: 'boolean', default: false },
      previousResponseId: text('previous_response_id', limits.id, true),
      conversationId: text('conversation_id', limits.id, true),
      keyId: text('key_id', limits.keyId, true),
      userPath: text('user_path', limits.userPath, true),
      request: { name: 'request', type: 'text' },
      body: { name: 'body', type: 'text' },
    },
    indices: [
      { name: 'idx_responses_status_updated_at', columns: ['status', 'updatedAt'] },
      { name: 'idx_responses_created_at', columns: ['createdAt'] },
    ],
  });
}
