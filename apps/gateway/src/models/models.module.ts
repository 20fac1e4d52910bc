import { Module } from '@nestjs/common';
import { ProvidersModule } from '@app/providers';
import { ModelsController } from './models.controller';
import { ModelsService } from './models.service';

@Module({
  imports: [ProvidersModule],
  controllers: [ModelsController],
  providers: [ModelsService],
})
export class ModelsModule {}
