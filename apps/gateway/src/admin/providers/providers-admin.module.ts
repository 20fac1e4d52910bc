import { Module } from '@nestjs/common';
import { ProvidersModule } from '@app/providers';
import { HttpCoreModule } from '../../http/http-core.module';
import { ProvidersAdminController } from './providers-admin.controller';
import { ProviderTraffic } from './provider-traffic';

/** GET /admin/providers/status. */
@Module({ imports: [ProvidersModule, HttpCoreModule], controllers: [ProvidersAdminController], providers: [ProviderTraffic] })
export class ProvidersAdminModule {}
