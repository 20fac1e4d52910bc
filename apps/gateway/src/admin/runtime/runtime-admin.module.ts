import { Module } from '@nestjs/common';
import { DiscoveryModule } from '@nestjs/core';
import { ProvidersModule } from '@app/providers';
import { AdminModelsController } from './admin-models.controller';
import { RuntimeAdminController } from './runtime-admin.controller';
import { RuntimeAdminService } from './runtime-admin.service';

/** POST /admin/runtime/refresh, GET /admin/runtime/config, GET /admin/models. */
@Module({ imports: [DiscoveryModule, ProvidersModule], controllers: [RuntimeAdminController, AdminModelsController], providers: [RuntimeAdminService] })
export class RuntimeAdminModule {}
