import { Module } from '@nestjs/common';
import { AuditAdminModule } from './audit/audit-admin.module';
import { CacheAdminModule } from './cache/cache-admin.module';
import { DashboardModule } from './dashboard/dashboard.module';
import { LiveAdminModule } from './live/live-admin.module';
import { ProvidersAdminModule } from './providers/providers-admin.module';
import { RuntimeAdminModule } from './runtime/runtime-admin.module';
import { UsageAdminModule } from './usage/usage-admin.module';

/** The control plane under /admin/* (scope `admin`): audit, usage analytics, operations, live view, and the dashboard that shows them. */
@Module({ imports: [AuditAdminModule, CacheAdminModule, UsageAdminModule, RuntimeAdminModule, ProvidersAdminModule, LiveAdminModule, DashboardModule] })
export class AdminModule {}
