import { EntitySchema } from 'typeorm';
import { type DatabaseKind, instantColumn } from '../database/instant-column';

/** Length of conversation ids (`conv_` + 48 hex characters fit with room to spare). */
export const CONVERSATION_ID_LENGTH = 64;

/**
 * One row of `conversations`: a gateway-managed Responses conversation. Its items live in
 * `conversation_items`; both are written only through ConversationsRepository.
 */
export class ConversationEntity {
  id: string;

  /** timestamptz on PostgreSQL (see instantColumn). */
  createdAt: Date;

  /** The metadata object as JSON text: portable, and never queried by key. */
  metadata: string;

  /**
   * Position the next appended item gets. Bumped with an UPDATE inside the append transaction,
   * which locks the row, so concurrent appends get disjoint, gap-free ranges.
   */
  nextItemPosition: number;
}

/** The `conversations` mapping for one database (see instantColumn). */
export function conversationSchema(kind: DatabaseKind): EntitySchema<ConversationEntity> {
  return new EntitySchema<ConversationEntity>({
    name: ConversationEntity.name,
    target: ConversationEntity,
    tableName: 'conversations',
    columns: {
      id: { name: 'id', type: 'varchar', length: CONVERSATION_ID_LENGTH, primary: true, primaryKeyConstraintName: 'pk_conversations' },
      createdAt: instantColumn(kind, 'created_at'),
      metadata: { name: 'metadata', type: 'text' },
      nextItemPosition: { name: 'next_item_position', type: 'integer', default: 0 },
    },
  });
}
