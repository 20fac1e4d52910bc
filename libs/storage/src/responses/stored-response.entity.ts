import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

/** Text column lengths, shared by the entity and the repository (which truncates to them). */
export const RESPONSE_TEXT_LIMITS = {
  id: 128,
  status: 32,
  provider: 64,
  model: 255,
  keyId: 64,
} as const;

/**
 * One row of `responses`: a Responses API response the gateway stored (unless `store: false`).
 * `body` is the response object as the client sees it; `request` the creation parameters without
 * `input` (whose items live in `response_input_items`), kept so a background worker can run it and
 * a later turn can follow the chain. Native responses keep the provider's id as their own id.
 */
@Entity({ name: 'responses' })
@Index('idx_responses_status_updated_at', ['status', 'updatedAt'])
@Index('idx_responses_created_at', ['createdAt'])
export class StoredResponseEntity {
  @PrimaryColumn({ name: 'id', type: 'varchar', length: RESPONSE_TEXT_LIMITS.id, primaryKeyConstraintName: 'pk_responses' })
  id: string;

  @Column({ name: 'created_at', type: Date })
  createdAt: Date;

  @Column({ name: 'updated_at', type: Date })
  updatedAt: Date;

  @Column({ name: 'status', type: 'varchar', length: RESPONSE_TEXT_LIMITS.status })
  status: string;

  @Column({ name: 'provider', type: 'varchar', length: RESPONSE_TEXT_LIMITS.provider })
  provider: string;

  @Column({ name: 'model', type: 'varchar', length: RESPONSE_TEXT_LIMITS.model })
  model: string;

  /** Served by the provider's own Responses API (the provider holds a copy under the same id). */
  @Column({ name: 'native', type: 'boolean', default: false })
  native: boolean;

  @Column({ name: 'background', type: 'boolean', default: false })
  background: boolean;

  @Column({ name: 'previous_response_id', type: 'varchar', length: RESPONSE_TEXT_LIMITS.id, nullable: true })
  previousResponseId: string | null;

  @Column({ name: 'conversation_id', type: 'varchar', length: RESPONSE_TEXT_LIMITS.id, nullable: true })
  conversationId: string | null;

  @Column({ name: 'key_id', type: 'varchar', length: RESPONSE_TEXT_LIMITS.keyId, nullable: true })
  keyId: string | null;

  /** JSON: the creation parameters without `input`. */
  @Column({ name: 'request', type: 'text' })
  request: string;

  /** JSON: the response object. */
  @Column({ name: 'body', type: 'text' })
  body: string;
}
