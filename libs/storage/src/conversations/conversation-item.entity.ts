import { Column, Entity, Index, PrimaryColumn } from 'typeorm';
import { CONVERSATION_ID_LENGTH } from './conversation.entity';

/** Longest item id accepted (client-given ids included). */
export const CONVERSATION_ITEM_ID_LENGTH = 128;

/** Longest item `type` stored. */
export const CONVERSATION_ITEM_TYPE_LENGTH = 64;

/**
 * One row of `conversation_items`. Ordered by `position` within its conversation (never by time:
 * items appended in one call share a timestamp). The full item, its `id` and `type` included, is
 * kept as JSON text; `item_id` and `type` are copied out for lookups.
 */
@Entity({ name: 'conversation_items' })
@Index('idx_conversation_items_conversation_id_item_id', ['conversationId', 'itemId'], { unique: true })
export class ConversationItemEntity {
  @PrimaryColumn({ name: 'conversation_id', type: 'varchar', length: CONVERSATION_ID_LENGTH, primaryKeyConstraintName: 'pk_conversation_items' })
  conversationId: string;

  @PrimaryColumn({ name: 'position', type: 'integer', primaryKeyConstraintName: 'pk_conversation_items' })
  position: number;

  @Column({ name: 'item_id', type: 'varchar', length: CONVERSATION_ITEM_ID_LENGTH })
  itemId: string;

  @Column({ name: 'type', type: 'varchar', length: CONVERSATION_ITEM_TYPE_LENGTH })
  type: string;

  @Column({ name: 'item', type: 'text' })
  item: string;
}
