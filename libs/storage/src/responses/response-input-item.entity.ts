import { Column, Entity, Index, PrimaryColumn } from 'typeorm';
import { RESPONSE_TEXT_LIMITS } from './stored-response.entity';

/** One input item of a stored response, in request order (`position` from 0). */
@Entity({ name: 'response_input_items' })
@Index('idx_response_input_items_item_id', ['responseId', 'itemId'])
export class ResponseInputItemEntity {
  @PrimaryColumn({ name: 'response_id', type: 'varchar', length: RESPONSE_TEXT_LIMITS.id, primaryKeyConstraintName: 'pk_response_input_items' })
  responseId: string;

  @PrimaryColumn({ name: 'position', type: 'integer', primaryKeyConstraintName: 'pk_response_input_items' })
  position: number;

  @Column({ name: 'item_id', type: 'varchar', length: RESPONSE_TEXT_LIMITS.id })
  itemId: string;

  /** JSON: the item as a Responses input item, `id` included. */
  @Column({ name: 'item', type: 'text' })
  item: string;
}
