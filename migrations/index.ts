import type { MigrationInterface } from 'typeorm';
import { CreateUsageRecords1795322791626 } from './1795322791626-create-usage-records';
import { CreateConversations1795400000000 } from './1795400000000-create-conversations';
import { CreateResponses1795500000000 } from './1795500000000-create-responses';
import { TimestampsWithTimeZone1795600000000 } from './1795600000000-timestamps-with-time-zone';
import { CreateAuthKeys1796000000000 } from './1796000000000-create-auth-keys';
import { UsageCostAndPriceOverrides1796100000000 } from './1796100000000-usage-cost-and-price-overrides';
import { CreateBudgets1796200000000 } from './1796200000000-create-budgets';
import { CreateFiles1796300000000 } from './1796300000000-create-files';
import { CreateBatches1796400000000 } from './1796400000000-create-batches';
import { UsageAudio1796500000000 } from './1796500000000-usage-audio';
import { CreateAuditAndUsageRollups1796600000000 } from './1796600000000-create-audit-and-usage-rollups';
import { ResponseCacheColumns1796800000000 } from './1796800000000-response-cache-columns';
import { ResponsesUserPath1796900000000 } from './1796900000000-responses-user-path';
import { ErrorLogIndexes1797000000000 } from './1797000000000-error-log-indexes';
import { UsageKeyRollups1797100000000 } from './1797100000000-usage-key-rollups';
import { BatchesBudgetCharge1797200000000 } from './1797200000000-batches-budget-charge';
import { UsageDailyKeyRollups1797300000000 } from './1797300000000-usage-daily-key-rollups';

/**
 * Every migration, oldest first. One portable set serves PostgreSQL and SQLite; add new
 * migrations at the end and never edit one that has shipped.
 */
export const MIGRATIONS: Array<new () => MigrationInterface> = [
  CreateUsageRecords1795322791626,
  CreateConversations1795400000000,
  CreateResponses1795500000000,
  TimestampsWithTimeZone1795600000000,
  CreateAuthKeys1796000000000,
  UsageCostAndPriceOverrides1796100000000,
  CreateBudgets1796200000000,
  CreateFiles1796300000000,
  CreateBatches1796400000000,
  UsageAudio1796500000000,
  CreateAuditAndUsageRollups1796600000000,
  ResponseCacheColumns1796800000000,
  ResponsesUserPath1796900000000,
  ErrorLogIndexes1797000000000,
  UsageKeyRollups1797100000000,
  BatchesBudgetCharge1797200000000,
  UsageDailyKeyRollups1797300000000,
];
