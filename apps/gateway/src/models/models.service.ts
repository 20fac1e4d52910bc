import { Injectable } from '@nestjs/common';
import { ModelInventory, ProviderRegistry } from '@app/providers';
import type { ModelListDto } from './dto/model-list.dto';

@Injectable()
export class ModelsService {
  constructor(
    private readonly registry: ProviderRegistry,
    private readonly inventory: ModelInventory,
  ) {}

  /** Every provider's models in the OpenAI list shape, ids qualified as `provider/model`. */
  list(): ModelListDto {
    const data = this.registry.all().flatMap((provider) =>
      this.inventory.modelsOf(provider.name).map((model) => ({
        id: `${provider.name}/${model.id}`,
        object: 'model' as const,
        created: model.created ?? 0,
        owned_by: model.ownedBy ?? provider.config.type,
      })),
    );
    return { object: 'list', data };
  }
}
