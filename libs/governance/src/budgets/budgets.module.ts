import { type DynamicModule, Global, Inject, Module, type OnApplicationShutdown, type OnModuleInit } from '@nestjs/common';
import { createCacheRedisClient } from '@app/cache';
import type { AppConfig } from '@app/config';
import { GovernanceMetrics } from '../governance-metrics';
import { BudgetBook } from './budget-book';
import { BUDGET_LEDGER, type BudgetLedger } from './budget-ledger';
import { BudgetsAdminService } from './budgets-admin.service';
import { BudgetsService } from './budgets.service';
import { MemoryBudgetLedger } from './memory-budget.ledger';
import { RedisBudgetLedger } from './redis-budget.ledger';
import { SpendJournal } from './spend-journal';

const EXPORTED = [BudgetsService, BudgetsAdminService, GovernanceMetrics];

/**
 * Budgets: definitions (StorageModule's BudgetsRepository, cached by BudgetBook), live counters
 * ({@link BUDGET_LEDGER}: Redis when REDIS_URL is set, in process otherwise) and the durable
 * spend journal. Needs ConfigModule and StorageModule in the application.
 */
@Global()
@Module({})
export class BudgetsModule implements OnModuleInit, OnApplicationShutdown {
  constructor(@Inject(BUDGET_LEDGER) private readonly ledger: BudgetLedger) {}

  static forRoot(config: AppConfig): DynamicModule {
    return {
      module: BudgetsModule,
      providers: [...EXPORTED, BudgetBook, SpendJournal, { provide: BUDGET_LEDGER, useFactory: (): BudgetLedger => createLedger(config) }],
      exports: [...EXPORTED, BUDGET_LEDGER],
    };
  }

  async onModuleInit(): Promise<void> {
    if (this.ledger instanceof RedisBudgetLedger) await this.ledger.ready();
  }

  async onApplicationShutdown(): Promise<void> {
    if (this.ledger instanceof RedisBudgetLedger) await this.ledger.close();
  }
}

function createLedger(config: AppConfig): BudgetLedger {
  if (!config.redisUrl) return new MemoryBudgetLedger();
  return new RedisBudgetLedger(createCacheRedisClient(config.redisUrl, config.cache.keyPrefix));
}
