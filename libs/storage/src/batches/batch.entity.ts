import { EntitySchema } from 'typeorm';
import { type DatabaseKind, instantColumn } from '../database/instant-column';

/** Text column lengths, shared by the entity and the repository. */
export const BATCH_TEXT_LIMITS = {
  id: 64,
  status: 16,
  mode: 16,
  provider: 64,
  endpoint: 64,
  keyId: 64,
  userPath: 255,
  nativeId: 255,
} as const;

/**
 * One row of `batches`: a Batches API batch. `body` is the OpenAI Batch object as the client sees
 * it (timestamps, metadata, errors, file ids); the columns beside it are what queries filter on and
 * what workers update atomically (status, counters, the resume generation of emulated runs).
 */
export class BatchEntity {
  id: string;
  createdAt: Date;
  /** Last write by a worker or a refresh; emulated runs without progress for long are resumed by the sweep. */
  updatedAt: Date;
  status: string;
  /** `native` (the provider runs it, `nativeId` is its id there) or `emulated` (Switchyard's workers run `batch_items`). */
  mode: string;
  provider: string | null;
  endpoint: string;
  keyId: string | null;
  userPath: string | null;
  nativeId: string | null;
  /** Emulated: bumped each time a run is (re)enqueued, so each run gets a fresh deterministic job id. */
  generation: number;
  totalCount: number;
  completedCount: number;
  failedCount: number;
  expiresAt: Date;
  /** JSON: the Batch object. */
  body: string;
  /** JSON: a native batch's estimate charged ahead to its owner's budgets (BatchBudgetCharge), until released. */
  budgetCharge: string | null;
}

const text = (name: string, length: number, nullable = false) => ({ name, type: 'varchar', length, nullable }) as const;
const int = (name: string) => ({ name, type: 'integer', default: 0 }) as const;

/** The `batches` mapping for one database (see instantColumn). */
export function batchSchema(kind: DatabaseKind): EntitySchema<BatchEntity> {
  const limits = BATCH_TEXT_LIMITS;
  return new EntitySchema<BatchEntity>({
    name: BatchEntity.name,
    target: BatchEntity,
    tableName: 'batches',
    columns: {
      id: { ...text('id', limits.id), primary: true, primaryKeyConstraintName: 'pk_batches' },
      createdAt: instantColumn(kind, 'created_at'),
      updatedAt: instantColumn(kind, 'updated_at'),
      status: text('status', limits.status),
      mode: text('mode', limits.mode),
      provider: text('provider', limits.provider, true),
      endpoint: text('endpoint', limits.endpoint),
      keyId: text('key_id', limits.keyId, true),
      userPath: text('user_path', limits.userPath, true),
      nativeId: text('native_id', limits.nativeId, true),
      generation: int('generation'),
      totalCount: int('total_count'),
      completedCount: int('completed_count'),
      failedCount: int('failed_count'),
      expiresAt: instantColumn(kind, 'expires_at'),
      body: { name: 'body', type: 'text' },
      budgetCharge: { name: 'budget_charge', type: 'text', nullable: true },
    },
    indices: [
      { name: 'idx_batches_user_path_created_at', columns: ['userPath', 'createdAt'] },
      { name: 'idx_batches_status_updated_at', columns: ['status', 'updatedAt'] },
      { name: 'idx_batches_created_at', columns: ['createdAt'] },
    ],
  });
}
