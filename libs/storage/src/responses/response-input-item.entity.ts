import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

/** One input item of a stored response, in request order (`position` from 0). */
@Entity({ name: 'response_input_items' })
@Index('idx_response_input_items_item_id', ['responseId', 'itemId'])
export class ResponseInputItemEntity {
  @PrimaryColumn({ name: 'response_id', type: 'varchar', length: 128, primaryKeyConstraintName: 'pk_response_input_items' })
  responseId: string;

  @PrimaryColumn({ name: 'position', type: 'integer', primaryKeyConstraintName: 'pk_response_input_items' })
  position: number;

  @Column({ name: 'item_id', type: 'varchar', length: 128 })
  itemId: string;

  /** JSON: the item as a Responses input item, `id` included. */
  @Column({ name: 'item', type: 'text' })
  item: string;
}
