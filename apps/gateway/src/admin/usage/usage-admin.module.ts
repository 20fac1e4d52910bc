import { Module } from '@nestjs/common';
import { UsageAdminController } from './usage-admin.controller';
import { UsageAnalyticsService } from './usage-analytics.service';

/** /admin/usage/*: analytics from the rollups (UsageAnalyticsRepository comes from the global StorageModule). */
@Module({ controllers: [UsageAdminController], providers: [UsageAnalyticsService] })
export class UsageAdminModule {}
