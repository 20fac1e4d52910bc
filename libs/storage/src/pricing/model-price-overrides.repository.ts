import { Injectable } from '@nestjs/common';
import { DataSource, type Repository } from 'typeorm';
import { queueSqliteWrite } from '../database/sqlite-write-queue';
import { ModelPriceOverrideEntity } from './model-price-override.entity';

/** A page of overrides in (provider, model) order, after a cursor. */
interface OverridePage {
  readonly items: ModelPriceOverrideEntity[];
  readonly hasMore: boolean;
}

/** The only place price overrides meet TypeORM. The table is small (one row per priced model). */
@Injectable()
export class ModelPriceOverridesRepository {
  private readonly repository: Repository<ModelPriceOverrideEntity>;

  constructor(private readonly dataSource: DataSource) {
    this.repository = dataSource.getRepository(ModelPriceOverrideEntity);
  }

  /** Every override, for the in-memory price table. */
  all(): Promise<ModelPriceOverrideEntity[]> {
    return this.repository.find({ order: { provider: 'ASC', model: 'ASC' } });
  }

  async page(limit: number, after?: { provider: string; model: string }): Promise<OverridePage> {
    const query = this.repository
      .createQueryBuilder('o')
      .orderBy('o.provider', 'ASC')
      .addOrderBy('o.model', 'ASC')
      .take(limit + 1);
    if (after) query.where('(o.provider > :provider OR (o.provider = :provider AND o.model > :model))', after);
    const rows = await query.getMany();
    return { items: rows.slice(0, limit), hasMore: rows.length > limit };
  }

  /** Inserts or replaces the override of its provider+model. */
  async upsert(override: ModelPriceOverrideEntity): Promise<ModelPriceOverrideEntity> {
    await queueSqliteWrite(this.dataSource, () => this.repository.upsert(override, ['provider', 'model']));
    return override;
  }

  /** Removes one override; false when there was none. */
  async delete(provider: string, model: string): Promise<boolean> {
    const result = await queueSqliteWrite(this.dataSource, () => this.repository.delete({ provider, model }));
    return (result.affected ?? 0) > 0;
  }
}
