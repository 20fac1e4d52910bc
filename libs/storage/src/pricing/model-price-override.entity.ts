import { EntitySchema, type ValueTransformer } from 'typeorm';
import { type DatabaseKind, instantColumn } from '../database/instant-column';

/** Column lengths, shared by the entity and the admin DTO; the migration spells them out itself. */
export const OVERRIDE_TEXT_LIMITS = { provider: 64, model: 255 } as const;

/**
 * One row of `model_price_overrides`: an operator's price for a provider+model, in integer
 * micro-dollars per million tokens (USD 2.50 / Mtok = 2_500_000). Null parts cost their parent's
 * rate (cache reads the input rate, reasoning the output rate …), as in the price database.
 */
export class ModelPriceOverrideEntity {
  /** A configured instance name (`openai-east`) or a provider type (`openai`). */
  provider: string;
  model: string;
  inputPerMtok: number;
  outputPerMtok: number;
  cachedInputPerMtok: number | null;
  cacheWritePerMtok: number | null;
  reasoningPerMtok: number | null;
  audioInputPerMtok: number | null;
  audioOutputPerMtok: number | null;
  updatedAt: Date;
}

/** PostgreSQL returns bigint as a string (it may exceed 2^53); these prices never do. */
export const BIGINT_NUMBER: ValueTransformer = {
  to: (value: number | null | undefined) => value,
  from: (value: string | number | null) => (value === null ? null : Number(value)),
};

const price = (name: string, nullable: boolean) => ({ name, type: 'bigint', nullable, transformer: BIGINT_NUMBER }) as const;

/** The `model_price_overrides` mapping for one database (see instantColumn). */
export function modelPriceOverrideSchema(kind: DatabaseKind): EntitySchema<ModelPriceOverrideEntity> {
  return new EntitySchema<ModelPriceOverrideEntity>({
    name: ModelPriceOverrideEntity.name,
    target: ModelPriceOverrideEntity,
    tableName: 'model_price_overrides',
    columns: {
      provider: { name: 'provider', type: 'varchar', length: OVERRIDE_TEXT_LIMITS.provider, primary: true, primaryKeyConstraintName: 'pk_model_price_overrides' },
      model: { name: 'model', type: 'varchar', length: OVERRIDE_TEXT_LIMITS.model, primary: true, primaryKeyConstraintName: 'pk_model_price_overrides' },
      inputPerMtok: price('input_micros_per_mtok', false),
      outputPerMtok: price('output_micros_per_mtok', false),
      cachedInputPerMtok: price('cached_input_micros_per_mtok', true),
      cacheWritePerMtok: price('cache_write_micros_per_mtok', true),
      reasoningPerMtok: price('reasoning_micros_per_mtok', true),
      audioInputPerMtok: price('audio_input_micros_per_mtok', true),
      audioOutputPerMtok: price('audio_output_micros_per_mtok', true),
      updatedAt: instantColumn(kind, 'updated_at'),
    },
  });
}
