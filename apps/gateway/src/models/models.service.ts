import { Injectable } from '@nestjs/common';
import { GatewayError } from '@app/core';
import { ModelInventory, ProviderRegistry, RouterService } from '@app/providers';
import type { Caller } from '../auth/caller';
import { ModelAccess } from '../governance/model-access';
import type { ModelDto, ModelListDto } from './dto/model-list.dto';

/** Aliases are the gateway's own models: they exist from boot, whatever the providers list. */
const ALIAS_OWNER = 'switchyard';

@Injectable()
export class ModelsService {
  constructor(
    private readonly registry: ProviderRegistry,
    private readonly inventory: ModelInventory,
    private readonly router: RouterService,
    private readonly access: ModelAccess,
  ) {}

  /**
   * Every provider's models in the OpenAI list shape, ids qualified as `provider/model`, then the
   * aliases: those the caller's key may use (the same ModelAccess that refuses a request).
   */
  list(caller: Caller): ModelListDto {
    const data = this.registry.all().flatMap((provider) =>
      this.inventory.modelsOf(provider.name).flatMap((model) => {
        if (!this.access.allowsTarget(caller, provider.name, model.id)) return [];
        return [
          {
            id: `${provider.name}/${model.id}`,
            object: 'model' as const,
            created: model.created ?? 0,
            owned_by: model.ownedBy ?? provider.config.type,
          },
        ];
      }),
    );
    const aliases = this.router.aliases().filter((alias) => this.access.allowsAlias(caller, alias));
    return { object: 'list', data: [...data, ...aliases.map(aliasModel)] };
  }

  /**
   * One model, by any selector a request may use: an alias, `provider/model`, or a bare model id
   * (answered with the id as asked). Unknown, or hidden from the caller's key → 404
   * `model_not_found`, so a key cannot probe which models exist beyond its own.
   */
  retrieve(id: string, caller: Caller): ModelDto {
    if (this.router.aliases().includes(id)) {
      if (!this.access.allowsAlias(caller, id)) throw GatewayError.modelNotFound(id);
      return aliasModel(id);
    }
    const target = this.router.resolve(id);
    if (!this.access.allowsTarget(caller, target.provider.name, target.model)) throw GatewayError.modelNotFound(id);
    const model = this.inventory.modelsOf(target.provider.name).find((candidate) => candidate.id === target.model);
    if (!model && this.inventory.isKnown(target.provider.name)) throw GatewayError.modelNotFound(id);
    return { id, object: 'model', created: model?.created ?? 0, owned_by: model?.ownedBy ?? target.provider.config.type };
  }
}

function aliasModel(id: string): ModelDto {
  return { id, object: 'model', created: 0, owned_by: ALIAS_OWNER };
}
