import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Test, type TestingModule } from '@nestjs/testing';
import { buildConfig, ConfigModule } from '@app/config';
import { ObservabilityModule } from '@app/observability';
import { usageRecord } from '../../test/test-databases';
import { ConversationsRepository } from '../conversations/conversations.repository';
import { ResponsesRepository } from '../responses/responses.repository';
import { StorageModule } from '../storage.module';
import { UsageRepository } from '../usage/usage.repository';

// TypeORM drives SQLite through one connection: a transaction opened by one repository while
// another's is running fails ("cannot start a transaction within a transaction"), or a plain
// statement silently joins the other's transaction. Every repository queues its writes.
describe('concurrent writes from several repositories on SQLite', () => {
  let root: string;
  let app: TestingModule;

  beforeAll(async () => {
    root = await mkdtemp(join(tmpdir(), 'switchyard-sqlite-queue-'));
    const config = buildConfig({ DATA_DIR: root, METRICS_ENABLED: 'false' });
    app = await Test.createTestingModule({
      imports: [ConfigModule.forRoot(config), ObservabilityModule.forRoot(config), StorageModule.forRoot(config)],
    }).compile();
    await app.init();
  });

  afterAll(async () => {
    await app?.close();
    await rm(root, { recursive: true, force: true });
  });

  it('lets usage batches, responses and conversation appends run at the same time', async () => {
    const usage = app.get(UsageRepository);
    const responses = app.get(ResponsesRepository);
    const conversations = app.get(ConversationsRepository);
    const { conversation } = await conversations.create({});
    const now = new Date();
    // 5,000 usage rows span several INSERT chunks, so they run inside a transaction of their own.
    const batch = Array.from({ length: 5_000 }, (_, i) => usageRecord({ requestId: `q-${i}` }));
    const writes = [
      usage.insertMany(batch),
      ...Array.from({ length: 5 }, (_, i) =>
        responses.create(
          {
            id: `resp_q${i}`,
            createdAt: now,
            updatedAt: now,
            status: 'completed',
            provider: 'openai',
            model: 'm',
            native: false,
            background: false,
            previousResponseId: null,
            conversationId: null,
            keyId: null,
            userPath: null,
            request: {},
            body: { id: `resp_q${i}` },
          },
          [{ id: `msg_q${i}`, type: 'message', role: 'user', content: [{ type: 'input_text', text: 'hi' }] }],
        ),
      ),
      ...Array.from({ length: 5 }, (_, i) => conversations.appendItems(conversation.id, [{ type: 'message', role: 'user', content: [{ type: 'input_text', text: `turn ${i}` }] }])),
    ];
    const results = await Promise.allSettled(writes);
    expect(results.filter((result) => result.status === 'rejected')).toEqual([]);
    expect(await usage.count()).toBe(5_000);
    expect(await responses.find('resp_q4')).not.toBeNull();
    expect(await conversations.listItems(conversation.id)).toHaveLength(5);
  });
});
