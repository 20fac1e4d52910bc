import { Module } from '@nestjs/common';
import { CacheAdminController } from './cache-admin.controller';
import { CacheAdminService } from './cache-admin.service';

/** /admin/cache: the response cache's overview and invalidation (UsageRepository and CACHE_STORE are global). */
@Module({ controllers: [CacheAdminController], providers: [CacheAdminService] })
export class CacheAdminModule {}
