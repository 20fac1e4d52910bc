import { Column, Entity, PrimaryColumn } from 'typeorm';

/** Length of conversation ids (`conv_` + 48 hex characters fit with room to spare). */
export const CONVERSATION_ID_LENGTH = 64;

/**
 * One row of `conversations`: a gateway-managed Responses conversation. Its items live in
 * `conversation_items`; both are written only through ConversationsRepository.
 */
@Entity({ name: 'conversations' })
export class ConversationEntity {
  @PrimaryColumn({ name: 'id', type: 'varchar', length: CONVERSATION_ID_LENGTH, primaryKeyConstraintName: 'pk_conversations' })
  id: string;

  // UTC on both databases (see UtcPgClient for PostgreSQL).
  @Column({ name: 'created_at', type: Date })
  createdAt: Date;

  /** The metadata object as JSON text: portable, and never queried by key. */
  @Column({ name: 'metadata', type: 'text' })
  metadata: string;

  /**
   * Position the next appended item gets. Bumped with an UPDATE inside the append transaction,
   * which locks the row, so concurrent appends get disjoint, gap-free ranges.
   */
  @Column({ name: 'next_item_position', type: 'integer', default: 0 })
  nextItemPosition: number;
}
