import { Module } from '@nestjs/common';
import { FileStore } from './file-store';

/** The file store, for the gateway's Files API and the batch engine. Needs StorageModule and ConfigModule (global). */
@Module({ providers: [FileStore], exports: [FileStore] })
export class FilesStoreModule {}
