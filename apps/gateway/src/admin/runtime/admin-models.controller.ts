import { Controller, Get, Inject, Optional } from '@nestjs/common';
import { ApiOkResponse, ApiOperation } from '@nestjs/swagger';
import { APP_CONFIG, type AppConfig } from '@app/config';
import { SPEND_PRICING, type SpendPricing } from '@app/governance';
import { ModelInventory, ProviderRegistry } from '@app/providers';
import { AdminController } from '../admin-access';
import { type AdminModelDto, AdminModelListDto, type ModelPriceDto } from './admin-models.dto';

const MILLION = 1_000_000;

@AdminController('Admin: operations')
@Controller('admin/models')
export class AdminModelsController {
  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly registry: ProviderRegistry,
    private readonly inventory: ModelInventory,
    // Bound by the pricing module when it is part of the build; without it, prices are null.
    @Optional() @Inject(SPEND_PRICING) private readonly pricing?: SpendPricing,
  ) {}

  @Get()
  @ApiOperation({ summary: 'Every served model and alias, with the aliases routing to it and its price' })
  @ApiOkResponse({ type: AdminModelListDto })
  list(): AdminModelListDto {
    const aliases = Object.entries(this.config.routing.aliases);
    const aliasesOf = new Map<string, string[]>();
    for (const [name, alias] of aliases) {
      for (const selector of [...alias.targets.map((target) => target.model), ...alias.fallbacks]) aliasesOf.set(selector, [...(aliasesOf.get(selector) ?? []), name]);
    }
    const models = this.registry.all().flatMap((provider) =>
      this.inventory.modelsOf(provider.name).map((model): AdminModelDto => {
        const id = `${provider.name}/${model.id}`;
        return { id, kind: 'model', provider: provider.name, model: model.id, routes: aliasesOf.get(id) ?? [], price: this.priceOf(provider.name, model.id) };
      }),
    );
    const aliasRows = aliases.map(([name, alias]): AdminModelDto => ({
      id: name,
      kind: 'alias',
      provider: null,
      model: null,
      routes: [...alias.targets.map((target) => target.model), ...alias.fallbacks],
      price: null,
    }));
    return { object: 'list', data: [...models, ...aliasRows] };
  }

  private priceOf(provider: string, model: string): ModelPriceDto | null {
    if (!this.pricing) return null;
    const per = (inputTokens: number, outputTokens: number) =>
      this.pricing!.costOf({ provider, model }, { inputTokens, outputTokens, cachedTokens: 0, reasoningTokens: 0 })?.total ?? null;
    const input = per(MILLION, 0);
    const output = per(0, MILLION);
    return input === null || output === null ? null : { input_per_mtok_micros: input, output_per_mtok_micros: output };
  }
}
