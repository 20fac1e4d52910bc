import { Global, Module } from '@nestjs/common';
import { ProvidersModule } from '@app/providers';
import { ModelAccess } from './model-access';

/**
 * ModelAccess for every feature module: the admission policy (registered in gateway.module.ts),
 * the routes that run no admission (count_tokens estimates, queued background responses,
 * passthrough) and the model list.
 */
@Global()
@Module({
  imports: [ProvidersModule],
  providers: [ModelAccess],
  exports: [ModelAccess],
})
export class ModelAccessModule {}
