import { EntitySchema } from 'typeorm';
import { type DatabaseKind, instantColumn } from '../database/instant-column';

/**
 * One row of `batch_items`: one request line of an emulated batch and its outcome.
 * `status`: `pending` (claimable once `availableAt` passed), `running` (claimed by `leaseOwner`
 * until `leaseUntil`; claimable again after it), `succeeded`/`failed` (the result is stored in the
 * same UPDATE that ends the lease), `cancelled`, `expired`.
 */
export class BatchItemEntity {
  batchId: string;
  /** 0-based line number in the input. */
  position: number;
  customId: string;
  status: string;
  attempts: number;
  availableAt: Date;
  leaseOwner: string | null;
  leaseUntil: Date | null;
  /** Target of the line's model as resolved at creation (`provider/model`), for pacing per provider. */
  provider: string;
  /** JSON: the line's request body. */
  request: string;
  statusCode: number | null;
  /** JSON: the upstream's answer body (success or HTTP error), null when there was none. */
  response: string | null;
  /** JSON: `{code, message}` for failures without an HTTP answer. */
  error: string | null;
  upstreamRequestId: string | null;
}

const text = (name: string, length: number, nullable = false) => ({ name, type: 'varchar', length, nullable }) as const;

/** The `batch_items` mapping for one database (see instantColumn). */
export function batchItemSchema(kind: DatabaseKind): EntitySchema<BatchItemEntity> {
  return new EntitySchema<BatchItemEntity>({
    name: BatchItemEntity.name,
    target: BatchItemEntity,
    tableName: 'batch_items',
    columns: {
      batchId: { ...text('batch_id', 64), primary: true, primaryKeyConstraintName: 'pk_batch_items' },
      position: { name: 'position', type: 'integer', primary: true, primaryKeyConstraintName: 'pk_batch_items' },
      customId: text('custom_id', 512),
      status: text('status', 16),
      attempts: { name: 'attempts', type: 'integer', default: 0 },
      availableAt: instantColumn(kind, 'available_at'),
      leaseOwner: text('lease_owner', 64, true),
      leaseUntil: { ...instantColumn(kind, 'lease_until'), nullable: true },
      provider: text('provider', 64),
      request: { name: 'request', type: 'text' },
      statusCode: { name: 'status_code', type: 'integer', nullable: true },
      response: { name: 'response', type: 'text', nullable: true },
      error: { name: 'error', type: 'text', nullable: true },
      upstreamRequestId: text('upstream_request_id', 128, true),
    },
    // Claims scan one batch's items by status in line order; leases are found by the same index.
    indices: [{ name: 'idx_batch_items_batch_status_position', columns: ['batchId', 'status', 'position'] }],
  });
}
