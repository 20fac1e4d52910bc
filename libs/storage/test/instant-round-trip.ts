/**
 * A child process for the instant-column tests: run from dist as
 * `TZ=<zone> node dist/libs/storage/test/instant-round-trip.js '<job JSON>'`, so the pg client
 * and TypeORM load under that process time zone (setting TZ inside Jest would come too late).
 * Writes the job's rows through the repositories, reads the named ones back the same way, and
 * prints what it read as ISO strings.
 */
import { buildConfig } from '@app/config';
import { DataSource, type DataSourceOptions } from 'typeorm';
import { buildDataSourceOptions } from '../src/database/data-source-options';
import { ConversationsRepository } from '../src/conversations/conversations.repository';
import { ResponsesRepository } from '../src/responses/responses.repository';
import { UsageRepository } from '../src/usage/usage.repository';
import { BulkInserter } from '../src/database/bulk-inserter';
import { usageRecord } from './test-databases';

export interface RoundTripJob {
  readonly databaseUrl: string;
  readonly schema: string;
  /** Usage records and responses to write, each with its instant as ISO text. */
  readonly write: { readonly usage: Record<string, string>; readonly responses: Record<string, string> };
  readonly read: { readonly usage: string[]; readonly responses: string[]; readonly conversations: string[] };
}

export interface RoundTripResult {
  /** `new Date().getTimezoneOffset()` in the child: proves TZ took effect. */
  readonly offsetMinutes: number;
  readonly usage: Record<string, string | null>;
  readonly responses: Record<string, { createdAt: string; updatedAt: string } | null>;
  readonly conversations: Record<string, string | null>;
}

function storedResponse(id: string, at: Date) {
  return {
    id,
    createdAt: at,
    updatedAt: at,
    status: 'completed',
    provider: 'openai',
    model: 'gpt-4o',
    native: false,
    background: false,
    previousResponseId: null,
    conversationId: null,
    keyId: null,
    userPath: null,
    request: {},
    body: { id },
  };
}

async function run(job: RoundTripJob): Promise<RoundTripResult> {
  const options = { ...buildDataSourceOptions(buildConfig({ DATABASE_URL: job.databaseUrl, RUN_MIGRATIONS: 'false' })), schema: job.schema } as DataSourceOptions;
  const dataSource = await new DataSource(options).initialize();
  try {
    const usage = new UsageRepository(dataSource, new BulkInserter(dataSource));
    const responses = new ResponsesRepository(dataSource);
    const conversations = new ConversationsRepository(dataSource);
    await usage.insertMany(Object.entries(job.write.usage).map(([requestId, at]) => usageRecord({ requestId, createdAt: new Date(at) })));
    for (const [id, at] of Object.entries(job.write.responses)) await responses.create(storedResponse(id, new Date(at)), []);
    const result: RoundTripResult = { offsetMinutes: new Date('2026-01-15T00:00:00Z').getTimezoneOffset(), usage: {}, responses: {}, conversations: {} };
    for (const id of job.read.usage) result.usage[id] = (await usage.findByRequestId(id))?.createdAt.toISOString() ?? null;
    for (const id of job.read.responses) {
      const row = await responses.find(id);
      result.responses[id] = row ? { createdAt: row.createdAt.toISOString(), updatedAt: row.updatedAt.toISOString() } : null;
    }
    for (const id of job.read.conversations) result.conversations[id] = (await conversations.find(id))?.createdAt.toISOString() ?? null;
    return result;
  } finally {
    await dataSource.destroy();
  }
}

if (require.main === module) {
  run(JSON.parse(process.argv[2]) as RoundTripJob).then(
    (result) => process.stdout.write(JSON.stringify(result)),
    (error: unknown) => {
      process.stderr.write(`${error instanceof Error ? error.stack : String(error)}\n`);
      process.exitCode = 1;
    },
  );
}
