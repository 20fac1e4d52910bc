import { Injectable } from '@nestjs/common';
import { GatewayError } from '@app/core';
import { ModelInventory, ProviderRegistry, RouterService } from '@app/providers';
import type { ModelDto, ModelListDto } from './dto/model-list.dto';

/** Aliases are the gateway's own models: they exist from boot, whatever the providers list. */
const ALIAS_OWNER = 'switchyard';

@Injectable()
export class ModelsService {
  constructor(
    private readonly registry: ProviderRegistry,
    private readonly inventory: ModelInventory,
    private readonly router: RouterService,
  ) {}

  /** Every provider's models in the OpenAI list shape, ids qualified as `provider/model`, then the aliases. */
  list(): ModelListDto {
    const data = this.registry.all().flatMap((provider) =>
      this.inventory.modelsOf(provider.name).map((model) => ({
        id: `${provider.name}/${model.id}`,
        object: 'model' as const,
        created: model.created ?? 0,
        owned_by: model.ownedBy ?? provider.config.type,
      })),
    );
    return { object: 'list', data: [...data, ...this.router.aliases().map(aliasModel)] };
  }

  /**
   * One model, by any selector a request may use: an alias, `provider/model`, or a bare model id
   * (answered with the id as asked). Unknown → 404 `model_not_found`, as a request would get.
   */
  retrieve(id: string): ModelDto {
    if (this.router.aliases().includes(id)) return aliasModel(id);
    const target = this.router.resolve(id);
    const model = this.inventory.modelsOf(target.provider.name).find((candidate) => candidate.id === target.model);
    if (!model && this.inventory.isKnown(target.provider.name)) throw GatewayError.modelNotFound(id);
    return { id, object: 'model', created: model?.created ?? 0, owned_by: model?.ownedBy ?? target.provider.config.type };
  }
}

function aliasModel(id: string): ModelDto {
  return { id, object: 'model', created: 0, owned_by: ALIAS_OWNER };
}
