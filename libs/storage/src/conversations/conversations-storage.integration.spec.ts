import { GatewayError } from '@app/core';
import { DataSource } from 'typeorm';
import { createTestDatabase, type TestDatabase } from '../../test/test-databases';
import { ConversationItemEntity } from './conversation-item.entity';
import { ConversationEntity } from './conversation.entity';
import { ConversationsRepository } from './conversations.repository';

const text = (content: string, role = 'user') => ({ type: 'message', role, content });

describe.each(['sqlite', 'postgres'] as const)('conversation storage on %s', (kind) => {
  let db: TestDatabase;
  let dataSource: DataSource;
  let repository: ConversationsRepository;

  beforeAll(async () => {
    db = await createTestDatabase(kind);
    dataSource = new DataSource(db.options);
    await dataSource.initialize();
    await dataSource.runMigrations();
    repository = new ConversationsRepository(dataSource);
  });

  afterAll(async () => {
    if (dataSource?.isInitialized) await dataSource.destroy();
    await db?.dispose();
  });

  it('migrates to exactly the schema the entities describe', async () => {
    const pending = await dataSource.driver.createSchemaBuilder().log();
    expect(pending.upQueries.map((q) => q.query)).toEqual([]);
  });

  it('creates a conversation with its initial items, in order, with ids by type', async () => {
    const { conversation, items } = await repository.create({ topic: 'demo' }, [
      text('Hello'),
      { role: 'assistant', content: 'Hi there' },
      { type: 'function_call', call_id: 'call_1', name: 'lookup', arguments: '{"q":1}' },
      { type: 'function_call_output', call_id: 'call_1', output: 'found', id: 'fco_client' },
    ]);
    expect(conversation.id).toMatch(/^conv_[0-9a-f]{48}$/);
    expect(items.map((item) => item.id)).toEqual([expect.stringMatching(/^msg_/), expect.stringMatching(/^msg_/), expect.stringMatching(/^fc_/), 'fco_client']);
    expect(await repository.find(conversation.id)).toEqual({ id: conversation.id, createdAt: conversation.createdAt, metadata: { topic: 'demo' } });
    const stored = await repository.listItems(conversation.id);
    expect(stored).toEqual(items);
    expect(stored[0].item).toEqual({ id: items[0].id, type: 'message', role: 'user', content: [{ type: 'input_text', text: 'Hello' }], status: 'completed' });
    expect(stored[1].item.content).toEqual([{ type: 'output_text', text: 'Hi there', annotations: [] }]);
    expect(stored[3].item).toEqual({ id: 'fco_client', type: 'function_call_output', call_id: 'call_1', output: 'found' });
  });

  it('stores client ids with NUL or lone surrogates, finds them as sent, and keeps metadata exact', async () => {
    const metadata = { 'k\u0000ey': 'v\uD800al' };
    const { conversation } = await repository.create(metadata);
    const [item] = await repository.appendItems(conversation.id, [{ ...text('hi\u0000'), id: 'msg_\u0000x\uDC00' }]);
    expect(item.id).toBe('msg_x\uFFFD');
    expect(item.item.id).toBe('msg_x\uFFFD');
    expect(await repository.find(conversation.id)).toMatchObject({ metadata });
    expect(await repository.findItem(conversation.id, 'msg_\u0000x\uDC00')).toEqual(item);
    expect(await repository.pageItems(conversation.id, { after: 'msg_\u0000x\uDC00', limit: 10, order: 'asc' })).toEqual({ items: [], hasMore: false });
    // Lookups by odd ids that name nothing are misses, not database errors.
    expect(await repository.find('conv_\u0000nope')).toBeNull();
    expect(await repository.findItem('conv_\u0000nope', 'msg_\u0000')).toBeNull();
    expect(await repository.deleteItem(conversation.id, 'msg_\u0000x\uDC00')).toBe(true);
    expect(await repository.listItems(conversation.id)).toEqual([]);
  });

  it('writes nothing when one initial item is invalid', async () => {
    const before = await dataSource.getRepository(ConversationEntity).count();
    await expect(repository.create({}, [text('ok'), { type: 'message', role: 'robot', content: 'x' }])).rejects.toMatchObject({
      status: 400,
      param: 'items[1].role',
    });
    expect(await dataSource.getRepository(ConversationEntity).count()).toBe(before);
  });

  it('keeps append order stable across calls and under concurrent appends', async () => {
    const { conversation } = await repository.create({});
    await repository.appendItems(conversation.id, [text('a'), text('b')]);
    await Promise.all(['c', 'd', 'e', 'f'].map((label) => repository.appendItems(conversation.id, [text(`${label}1`), text(`${label}2`)])));
    const texts = (await repository.listItems(conversation.id)).map((stored) => (stored.item.content as Array<{ text: string }>)[0].text);
    expect(texts.slice(0, 2)).toEqual(['a', 'b']);
    expect(texts).toHaveLength(10);
    // Each concurrent call's two items stay adjacent and in order.
    for (let i = 2; i < 10; i += 2) expect(texts[i + 1]).toBe(`${texts[i][0]}2`);
    const positions = (await dataSource.getRepository(ConversationItemEntity).find({ where: { conversationId: conversation.id }, order: { position: 'ASC' } })).map(
      (row) => row.position,
    );
    expect(positions).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
  });

  it('pages forwards and backwards with an after cursor', async () => {
    const { conversation } = await repository.create(
      {},
      Array.from({ length: 7 }, (_, i) => text(`m${i}`)),
    );
    const ids = (await repository.listItems(conversation.id)).map((stored) => stored.id);
    const asc1 = await repository.pageItems(conversation.id, { limit: 3, order: 'asc' });
    expect(asc1.items.map((stored) => stored.id)).toEqual(ids.slice(0, 3));
    expect(asc1.hasMore).toBe(true);
    const asc3 = await repository.pageItems(conversation.id, { limit: 3, order: 'asc', after: ids[5] });
    expect(asc3).toEqual({ items: [expect.objectContaining({ id: ids[6] })], hasMore: false });
    const desc = await repository.pageItems(conversation.id, { limit: 4, order: 'desc', after: ids[5] });
    expect(desc.items.map((stored) => stored.id)).toEqual([ids[4], ids[3], ids[2], ids[1]]);
    expect(desc.hasMore).toBe(true);
    const exact = await repository.pageItems(conversation.id, { limit: 7, order: 'desc' });
    expect(exact.hasMore).toBe(false);
    await expect(repository.pageItems(conversation.id, { limit: 3, order: 'asc', after: 'msg_missing' })).rejects.toMatchObject({ status: 400, param: 'after' });
  });

  it('rejects an item id already in the conversation, writing none of the batch', async () => {
    const { conversation } = await repository.create({}, [{ ...text('first'), id: 'msg_taken' }]);
    await expect(repository.appendItems(conversation.id, [text('new'), { ...text('dup'), id: 'msg_taken' }])).rejects.toMatchObject({ status: 400, param: 'items[1].id' });
    expect(await repository.listItems(conversation.id)).toHaveLength(1);
    // The same id in another conversation is fine: item ids are scoped to their conversation.
    const other = await repository.create({}, [{ ...text('elsewhere'), id: 'msg_taken' }]);
    expect((await repository.findItem(other.conversation.id, 'msg_taken'))?.item.content).toEqual([{ type: 'input_text', text: 'elsewhere' }]);
  });

  it('lets exactly one of several concurrent appends with the same item id through', async () => {
    const { conversation } = await repository.create({});
    const results = await Promise.allSettled([1, 2, 3].map(() => repository.appendItems(conversation.id, [{ ...text('race'), id: 'msg_race' }])));
    expect(results.filter((result) => result.status === 'fulfilled')).toHaveLength(1);
    for (const result of results.filter((r): r is PromiseRejectedResult => r.status === 'rejected')) {
      expect(result.reason).toMatchObject({ status: 400 });
    }
    expect(await repository.listItems(conversation.id)).toHaveLength(1);
  });

  it('refuses to append to an unknown conversation', async () => {
    const error = await repository.appendItems('conv_missing', [text('x')]).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(GatewayError);
    expect(error).toMatchObject({ status: 404 });
    expect(await dataSource.getRepository(ConversationItemEntity).countBy({ conversationId: 'conv_missing' })).toBe(0);
  });

  it('replaces metadata, deletes one item, and deletes a conversation with all its items', async () => {
    const { conversation, items } = await repository.create({ a: '1', b: '2' }, [text('x'), text('y')]);
    expect((await repository.updateMetadata(conversation.id, { c: '3' }))?.metadata).toEqual({ c: '3' });
    expect(await repository.updateMetadata('conv_missing', {})).toBeNull();
    expect(await repository.deleteItem(conversation.id, items[0].id)).toBe(true);
    expect(await repository.deleteItem(conversation.id, items[0].id)).toBe(false);
    expect((await repository.listItems(conversation.id)).map((stored) => stored.id)).toEqual([items[1].id]);

    expect(await repository.delete(conversation.id)).toBe(true);
    expect(await repository.exists(conversation.id)).toBe(false);
    expect(await dataSource.getRepository(ConversationItemEntity).countBy({ conversationId: conversation.id })).toBe(0);
    expect(await repository.delete(conversation.id)).toBe(false);
  });

  it('reverts the migration, dropping both tables and the item index', async () => {
    // Revert the migrations applied after this one first, then this one.
    const names = dataSource.migrations.map((migration) => migration.name ?? migration.constructor.name);
    expect(names).toContain('CreateConversations1795400000000');
    const undo = names.length - names.indexOf('CreateConversations1795400000000');
    for (let i = 0; i < undo; i++) await dataSource.undoLastMigration();
    const queryRunner = dataSource.createQueryRunner();
    try {
      expect(await queryRunner.hasTable('conversations')).toBe(false);
      expect(await queryRunner.hasTable('conversation_items')).toBe(false);
      const pending = (await dataSource.driver.createSchemaBuilder().log()).upQueries.map((q) => q.query);
      expect(pending.filter((q) => q.includes('idx_conversation_items_conversation_id_item_id'))).toHaveLength(1);
    } finally {
      await queryRunner.release();
    }
    await dataSource.runMigrations();
    expect(await dataSource.driver.createSchemaBuilder().log()).toMatchObject({ upQueries: [] });
  });
});
