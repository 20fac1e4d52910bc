import type { MigrationInterface } from 'typeorm';
import { CreateUsageRecords1795322791626 } from './1795322791626-create-usage-records';
import { CreateConversations1795400000000 } from './1795400000000-create-conversations';
import { CreateResponses1795500000000 } from './1795500000000-create-responses';
import { TimestampsWithTimeZone1795600000000 } from './1795600000000-timestamps-with-time-zone';
import { CreateFiles1796300000000 } from './1796300000000-create-files';
import { CreateBatches1796400000000 } from './1796400000000-create-batches';

/**
 * Every migration, oldest first. One portable set serves PostgreSQL and SQLite; add new
 * migrations at the end and never edit one that has shipped.
 */
export const MIGRATIONS: Array<new () => MigrationInterface> = [
  CreateUsageRecords1795322791626,
  CreateConversations1795400000000,
  CreateResponses1795500000000,
  TimestampsWithTimeZone1795600000000,
  CreateFiles1796300000000,
  CreateBatches1796400000000,
];
