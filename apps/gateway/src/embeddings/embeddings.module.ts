import { Module } from '@nestjs/common';
import { ProvidersModule } from '@app/providers';
import { HttpCoreModule } from '../http/http-core.module';
import { EmbeddingsController } from './embeddings.controller';
import { EmbeddingsService } from './embeddings.service';

@Module({
  imports: [ProvidersModule, HttpCoreModule],
  providers: [EmbeddingsController, EmbeddingsService],
})
export class EmbeddingsModule {}
