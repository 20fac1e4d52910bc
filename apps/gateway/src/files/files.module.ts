import { Module } from '@nestjs/common';
import { FilesStoreModule } from '@app/batches';
import { ProvidersModule } from '@app/providers';
import { FilesController } from './files.controller';
import { FilesService } from './files.service';
import { ProviderFiles } from './provider-files';

/** OpenAI Files API: /v1/files (upload, list), /v1/files/{id} (retrieve, delete), /v1/files/{id}/content, as hot routes. */
@Module({
  imports: [FilesStoreModule, ProvidersModule],
  controllers: [FilesController],
  providers: [FilesService, ProviderFiles],
})
export class FilesModule {}
