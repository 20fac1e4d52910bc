import { Module } from '@nestjs/common';
import { MessagesEngineModule } from '@app/messages';
import { ResponsesEngineModule } from '@app/responses';
import { FilesStoreModule } from '../files/files-store.module';
import { BatchCreator } from './batch-creator';
import { BatchFinalizer } from './batch-finalizer';
import { BatchResumer } from './batch-resumer';
import { BatchItemExecutor } from './emulated/batch-item-executor';
import { EmulatedBatchRun } from './emulated/emulated-batch-run';
import { ItemBudget } from './emulated/item-budget';
import { ProviderPacer } from './emulated/provider-pacer';
import { NativeBatchApis } from './native/native-batch-apis';
import { NativeBatchBudget } from './native/native-batch-budget';
import { NativeBatchResults } from './native/native-batch-results';
import { NativeBatchSync } from './native/native-batch-sync';

const EXPORTED = [
  BatchCreator,
  BatchResumer,
  EmulatedBatchRun,
  BatchFinalizer,
  BatchItemExecutor,
  ItemBudget,
  ProviderPacer,
  NativeBatchApis,
  NativeBatchBudget,
  NativeBatchResults,
  NativeBatchSync,
];

/**
 * The batch engine shared by the gateway (create, cancel, read, native refreshes) and the worker
 * (emulated runs, through BatchesProcessor). Items run through the providers and the Responses and Messages engines like
 * foreground requests. Needs StorageModule, ConfigModule, ObservabilityModule and QueueModule (global).
 */
@Module({
  imports: [ResponsesEngineModule, MessagesEngineModule, FilesStoreModule],
  providers: EXPORTED,
  exports: [...EXPORTED, FilesStoreModule, ResponsesEngineModule],
})
export class BatchesEngineModule {}
