import { Inject, Injectable } from '@nestjs/common';
import { CACHE_STORE, type CacheStore } from '@app/cache';
import { type CacheModelOverview, UsageRepository } from '@app/storage';
import { entryKey, MODELS_KEY, modelIndexKey } from '../../response-cache/cache-keys';
import type { CacheDeletedDto, CacheModelOverviewDto, CacheOverviewDto } from './cache-admin.dto';

const UNIT_MS: Record<string, number> = { m: 60_000, h: 3_600_000, d: 86_400_000 };
const MAX_WINDOW_MS = 400 * 86_400_000;

/** /admin/cache: what the response cache saved (from usage rows) and deleting its entries (through the per-model index sets). */
@Injectable()
export class CacheAdminService {
  constructor(
    private readonly usage: UsageRepository,
    @Inject(CACHE_STORE) private readonly store: CacheStore,
  ) {}

  async overview(window = '24h', now = new Date()): Promise<CacheOverviewDto> {
    const span = Math.min(Number(window.slice(0, -1)) * UNIT_MS[window.slice(-1)], MAX_WINDOW_MS);
    const start = new Date(now.getTime() - span);
    const models = (await this.usage.cacheOverview(start, now)).map(modelDto).sort((x, y) => y.hits - x.hits || y.requests - x.requests);
    const sum = (pick: (model: CacheModelOverviewDto) => number) => models.reduce((total, model) => total + pick(model), 0);
    const requests = sum((model) => model.requests);
    const hits = sum((model) => model.hits);
    return {
      object: 'cache.overview',
      start: start.toISOString(),
      end: now.toISOString(),
      requests,
      hits,
      hit_rate: rate(hits, requests),
      saved_tokens: sum((model) => model.saved_tokens),
      saved_cost_micros: sum((model) => model.saved_cost_micros),
      models,
    };
  }

  /** Deletes the entries of one `provider/model`, or of every model; the index sets go with them. */
  async delete(model?: string): Promise<CacheDeletedDto> {
    const targets = model === undefined ? await this.store.setMembers(MODELS_KEY) : [model];
    let deleted = 0;
    for (const target of targets) {
      const hashes = await this.store.setMembers(modelIndexKey(target));
      await this.store.deleteMany([...hashes.map(entryKey), modelIndexKey(target)]);
      deleted += hashes.length;
    }
    if (model === undefined) await this.store.delete(MODELS_KEY);
    return { object: 'cache.deleted', model: model ?? null, deleted };
  }
}

function modelDto(line: CacheModelOverview): CacheModelOverviewDto {
  return {
    provider: line.provider,
    model: line.model,
    requests: line.requests,
    hits: line.hits,
    hit_rate: rate(line.hits, line.requests),
    saved_tokens: line.savedTokens,
    saved_cost_micros: line.savedCostMicros,
  };
}

const rate = (hits: number, requests: number): number => (requests === 0 ? 0 : Math.round((hits / requests) * 10_000) / 10_000);
