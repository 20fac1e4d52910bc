import { Module } from '@nestjs/common';
import { DashboardController } from './dashboard.controller';

/** The operator dashboard's page and bundled assets at /admin/dashboard (built into dist/dashboard). */
@Module({ controllers: [DashboardController] })
export class DashboardModule {}
