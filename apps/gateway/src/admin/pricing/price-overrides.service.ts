import { Inject, Injectable } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '@app/config';
import { GatewayError } from '@app/core';
import { PricingService } from '@app/governance';
import { type ModelPriceOverrideEntity, ModelPriceOverridesRepository } from '@app/storage';
import type { ModelPriceOverrideDeletedDto, ModelPriceOverrideDto, ModelPriceOverrideListDto } from './dto/model-price-override.dto';
import type { PutModelPriceOverrideDto } from './dto/put-model-price-override.dto';

const DEFAULT_PAGE = 20;

const toMicros = (usd: number | null | undefined): number | null => (usd === null || usd === undefined ? null : Math.round(usd * 1_000_000));
const toUsd = (micros: number | null): number | null => (micros === null ? null : micros / 1_000_000);

/** Admin price overrides: stored in `model_price_overrides`, applied by the price table at once on this replica. */
@Injectable()
export class PriceOverridesService {
  private readonly providerNames: ReadonlySet<string>;

  constructor(
    @Inject(APP_CONFIG) config: AppConfig,
    private readonly repository: ModelPriceOverridesRepository,
    private readonly pricing: PricingService,
  ) {
    this.providerNames = new Set(config.providers.flatMap((provider) => [provider.name, provider.type]));
  }

  async list(limit = DEFAULT_PAGE, after?: string): Promise<ModelPriceOverrideListDto> {
    const page = await this.repository.page(limit, after === undefined ? undefined : decodeCursor(after));
    const last = page.items.at(-1);
    return { object: 'list', data: page.items.map(toDto), has_more: page.hasMore, next_cursor: page.hasMore && last ? encodeCursor(last) : null };
  }

  async put(body: PutModelPriceOverrideDto): Promise<ModelPriceOverrideDto> {
    if (!this.providerNames.has(body.provider)) {
      throw GatewayError.invalidRequest(`Invalid 'provider': '${body.provider}' is neither a configured provider nor the type of one.`, 'provider');
    }
    const stored = await this.repository.upsert({
      provider: body.provider,
      model: body.model,
      inputPerMtok: toMicros(body.input_mtok)!,
      outputPerMtok: toMicros(body.output_mtok)!,
      cachedInputPerMtok: toMicros(body.cache_read_mtok),
      cacheWritePerMtok: toMicros(body.cache_write_mtok),
      reasoningPerMtok: toMicros(body.output_reasoning_mtok),
      audioInputPerMtok: toMicros(body.input_audio_mtok),
      audioOutputPerMtok: toMicros(body.output_audio_mtok),
      updatedAt: new Date(),
    });
    await this.pricing.reloadOverrides();
    return toDto(stored);
  }

  async delete(provider: string, model: string): Promise<ModelPriceOverrideDeletedDto> {
    if (!(await this.repository.delete(provider, model))) {
      throw new GatewayError('not_found', `No price override for provider '${provider}' and model '${model}'.`, { param: 'model' });
    }
    await this.pricing.reloadOverrides();
    return { object: 'model_price_override.deleted', provider, model, deleted: true };
  }
}

function toDto(row: ModelPriceOverrideEntity): ModelPriceOverrideDto {
  return {
    object: 'model_price_override',
    provider: row.provider,
    model: row.model,
    input_mtok: toUsd(row.inputPerMtok)!,
    output_mtok: toUsd(row.outputPerMtok)!,
    cache_read_mtok: toUsd(row.cachedInputPerMtok),
    cache_write_mtok: toUsd(row.cacheWritePerMtok),
    output_reasoning_mtok: toUsd(row.reasoningPerMtok),
    input_audio_mtok: toUsd(row.audioInputPerMtok),
    output_audio_mtok: toUsd(row.audioOutputPerMtok),
    updated_at: row.updatedAt.toISOString(),
  };
}

function encodeCursor(row: ModelPriceOverrideEntity): string {
  return Buffer.from(JSON.stringify([row.provider, row.model])).toString('base64url');
}

function decodeCursor(cursor: string): { provider: string; model: string } {
  try {
    const parsed: unknown = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    if (Array.isArray(parsed) && parsed.length === 2 && parsed.every((part) => typeof part === 'string')) return { provider: parsed[0], model: parsed[1] };
  } catch {
    // Falls through to the 400 below.
  }
  throw GatewayError.invalidRequest("Invalid 'after': expected the next_cursor of a previous page.", 'after');
}
