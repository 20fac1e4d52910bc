import { Module } from '@nestjs/common';
import { BudgetsAdminController } from './budgets-admin.controller';

/** /admin/budgets; BudgetsAdminService comes from the global BudgetsModule. */
@Module({ controllers: [BudgetsAdminController] })
export class BudgetsAdminModule {}
