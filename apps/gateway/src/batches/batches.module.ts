import { Module } from '@nestjs/common';
import { BatchesEngineModule } from '@app/batches';
import { HttpCoreModule } from '../http/http-core.module';
import { BatchesController } from './batches.controller';
import { BatchesService } from './batches.service';

/** /v1/batches: the Batches API over the shared batch engine (runs happen in BatchesProcessor). */
@Module({
  imports: [BatchesEngineModule, HttpCoreModule],
  controllers: [BatchesController],
  providers: [BatchesService],
})
export class BatchesModule {}
