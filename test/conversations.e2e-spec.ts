import OpenAI from 'openai';
import { ConversationEntity, ConversationItemEntity, ConversationsRepository } from '@app/storage';
import { DataSource } from 'typeorm';
import { startTestGateway, TEST_MASTER_KEY, type TestGateway } from './support/gateway-harness';

type Item = Record<string, unknown>;

describe('/v1/conversations through the gateway (official openai SDK)', () => {
  let gateway: TestGateway;
  let client: OpenAI;
  let dataSource: DataSource;

  beforeAll(async () => {
    gateway = await startTestGateway();
    client = new OpenAI({ apiKey: TEST_MASTER_KEY, baseURL: `${gateway.url}/v1`, maxRetries: 0 });
    dataSource = gateway.app.get(DataSource);
  });

  afterAll(async () => {
    await gateway?.close();
  });

  const storedConversation = (id: string) => dataSource.getRepository(ConversationEntity).findOneBy({ id });
  const storedItems = (conversationId: string) => dataSource.getRepository(ConversationItemEntity).find({ where: { conversationId }, order: { position: 'ASC' } });

  async function rejection(promise: Promise<unknown>): Promise<InstanceType<typeof OpenAI.APIError>> {
    const error = await promise.then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(OpenAI.APIError);
    return error as InstanceType<typeof OpenAI.APIError>;
  }

  it('creates a conversation with items and metadata, stores them in order, and retrieves it', async () => {
    const before = Math.floor(Date.now() / 1000);
    const { data: conversation, response } = await client.conversations
      .create({
        metadata: { topic: 'demo', owner: 'alice' },
        items: [
          { type: 'message', role: 'system', content: 'Be brief.' },
          { role: 'user', content: [{ type: 'input_text', text: 'Weather in Paris?' }] },
        ],
      })
      .withResponse();
    expect(response.status).toBe(200);
    expect(conversation).toEqual({
      id: expect.stringMatching(/^conv_[0-9a-f]{48}$/),
      object: 'conversation',
      created_at: expect.any(Number),
      metadata: { topic: 'demo', owner: 'alice' },
    });
    expect(conversation.created_at).toBeGreaterThanOrEqual(before);
    expect(conversation.created_at).toBeLessThanOrEqual(Math.floor(Date.now() / 1000));

    expect(await client.conversations.retrieve(conversation.id)).toEqual(conversation);
    expect(JSON.parse((await storedConversation(conversation.id))!.metadata)).toEqual({ topic: 'demo', owner: 'alice' });
    const rows = await storedItems(conversation.id);
    expect(rows.map((row) => [row.position, row.type])).toEqual([
      [0, 'message'],
      [1, 'message'],
    ]);
    expect(JSON.parse(rows[0].item)).toEqual({ id: rows[0].itemId, type: 'message', role: 'system', content: [{ type: 'input_text', text: 'Be brief.' }], status: 'completed' });
    expect(rows[1].itemId).toMatch(/^msg_[0-9a-f]{48}$/);
  });

  it('creates an empty conversation when no body is sent', async () => {
    const conversation = await client.conversations.create();
    expect(conversation.metadata).toEqual({});
    expect(await storedItems(conversation.id)).toEqual([]);
  });

  it('replaces the metadata in full, and clears it with null', async () => {
    const { id } = await client.conversations.create({ metadata: { a: '1', b: '2' } });
    const updated = await client.conversations.update(id, { metadata: { c: '3' } });
    expect(updated).toMatchObject({ id, object: 'conversation', metadata: { c: '3' } });
    expect((await client.conversations.retrieve(id)).metadata).toEqual({ c: '3' });
    expect((await client.conversations.update(id, { metadata: null })).metadata).toEqual({});
    expect(JSON.parse((await storedConversation(id))!.metadata)).toEqual({});
  });

  it('appends items with ids by type (keeping client ids), lists them with pagination, retrieves and deletes one', async () => {
    const { id } = await client.conversations.create({ items: [{ role: 'user', content: 'What is 2+2?' }] });
    const created = await client.conversations.items.create(id, {
      items: [
        { type: 'function_call', call_id: 'call_1', name: 'add', arguments: '{"a":2,"b":2}' },
        { type: 'function_call_output', call_id: 'call_1', output: '4' },
        { type: 'message', role: 'assistant', content: 'It is 4.', id: 'msg_client_given' } as never,
      ],
    });
    expect(created.object).toBe('list');
    expect(created.data.map((item) => item.id)).toEqual([expect.stringMatching(/^fc_/), expect.stringMatching(/^fco_/), 'msg_client_given']);
    expect(created).toMatchObject({ first_id: created.data[0].id, last_id: 'msg_client_given', has_more: false });
    expect(created.data[2]).toEqual({
      id: 'msg_client_given',
      type: 'message',
      role: 'assistant',
      content: [{ type: 'output_text', text: 'It is 4.', annotations: [] }],
      status: 'completed',
    });

    const rows = await storedItems(id);
    expect(rows.map((row) => row.itemId)).toEqual([rows[0].itemId, ...created.data.map((item) => item.id)]);
    expect(rows.map((row) => row.position)).toEqual([0, 1, 2, 3]);

    // Auto-pagination follows `after` = last_id, two at a time, oldest first.
    const ascending: Item[] = [];
    for await (const item of client.conversations.items.list(id, { limit: 2, order: 'asc', include: ['message.input_image.image_url'] })) ascending.push(item as never);
    expect(ascending.map((item) => item.id)).toEqual(rows.map((row) => row.itemId));
    expect(ascending[2]).toEqual({ id: rows[2].itemId, type: 'function_call_output', call_id: 'call_1', output: '4' });

    // Default order is newest first, default page 20.
    const page = await client.conversations.items.list(id);
    expect(page.data.map((item) => item.id)).toEqual(rows.map((row) => row.itemId).reverse());
    expect(page.has_more).toBe(false);
    const firstPage = await client.conversations.items.list(id, { limit: 3 });
    expect(firstPage.data.map((item) => item.id)).toEqual(
      rows
        .slice(1)
        .map((row) => row.itemId)
        .reverse(),
    );
    expect(firstPage.has_more).toBe(true);
    expect((firstPage as unknown as { last_id: string }).last_id).toBe(rows[1].itemId);

    expect(await client.conversations.items.retrieve('msg_client_given', { conversation_id: id })).toEqual(created.data[2]);
    const callId = created.data[0].id!;
    const afterDelete = await client.conversations.items.delete(callId, { conversation_id: id });
    expect(afterDelete).toMatchObject({ id, object: 'conversation' });
    expect((await storedItems(id)).map((row) => row.itemId)).toEqual([rows[0].itemId, created.data[1].id, 'msg_client_given']);
    expect((await rejection(client.conversations.items.retrieve(callId, { conversation_id: id }))).status).toBe(404);
  });

  it('deletes a conversation with all its items', async () => {
    const { id } = await client.conversations.create({
      items: [
        { role: 'user', content: 'one' },
        { role: 'user', content: 'two' },
      ],
    });
    expect(await client.conversations.delete(id)).toEqual({ id, object: 'conversation.deleted', deleted: true });
    expect(await storedConversation(id)).toBeNull();
    expect(await storedItems(id)).toEqual([]);
    expect(await rejection(client.conversations.retrieve(id))).toBeInstanceOf(OpenAI.NotFoundError);
    expect(await gateway.app.get(ConversationsRepository).exists(id)).toBe(false);
  });

  describe('limits answer 400 naming the param, and store nothing', () => {
    async function expectBadRequest(promise: Promise<unknown>, param: string): Promise<void> {
      const error = await rejection(promise);
      expect(error).toBeInstanceOf(OpenAI.BadRequestError);
      expect(error.param).toBe(param);
      expect(error.type).toBe('invalid_request_error');
      expect(error.message).not.toHaveLength(0);
    }
    const pairs = (count: number) => Object.fromEntries(Array.from({ length: count }, (_, i) => [`k${i}`, 'v']));
    const messages = (count: number) => Array.from({ length: count }, (_, i) => ({ role: 'user' as const, content: `m${i}` }));

    it('on create', async () => {
      const count = await dataSource.getRepository(ConversationEntity).count();
      expect((await client.conversations.create({ metadata: pairs(16), items: messages(20) })).metadata).toEqual(pairs(16));
      await expectBadRequest(client.conversations.create({ metadata: pairs(17) }), 'metadata');
      await expectBadRequest(client.conversations.create({ metadata: { ['k'.repeat(65)]: 'v' } }), 'metadata');
      await expectBadRequest(client.conversations.create({ metadata: { k: 'v'.repeat(513) } }), 'metadata');
      await expectBadRequest(client.conversations.create({ metadata: { k: 5 } as never }), 'metadata');
      await expectBadRequest(client.conversations.create({ items: messages(21) }), 'items');
      await expectBadRequest(client.conversations.create({ items: 'hello' as never }), 'items');
      await expectBadRequest(client.conversations.create({ items: [{ role: 'user', content: 'ok' }, { type: 'telepathy' } as never] }), 'items[1].type');
      await expectBadRequest(client.conversations.create({ items: [{ type: 'message', role: 'robot', content: 'x' } as never] }), 'items[0].role');
      await expectBadRequest(client.conversations.create({ items: [{ type: 'function_call', call_id: 'c', name: 'f' } as never] }), 'items[0].arguments');
      expect(await dataSource.getRepository(ConversationEntity).count()).toBe(count + 1);
    });

    it('on update, items and list', async () => {
      const { id } = await client.conversations.create({ metadata: { keep: 'me' } });
      await expectBadRequest(client.conversations.update(id, { metadata: pairs(17) }), 'metadata');
      await expectBadRequest(client.conversations.update(id, {} as never), 'metadata');
      expect((await client.conversations.retrieve(id)).metadata).toEqual({ keep: 'me' });
      await expectBadRequest(client.conversations.items.create(id, { items: messages(21) }), 'items');
      await expectBadRequest(client.conversations.items.create(id, { items: [] }), 'items');
      await expectBadRequest(
        client.conversations.items.create(id, { items: [...messages(2), { type: 'message', role: 'user', content: [{ type: 'input_text' }] } as never] }),
        'items[2].content[0].text',
      );
      expect(await storedItems(id)).toEqual([]);
      await expectBadRequest(client.conversations.items.list(id, { limit: 0 }), 'limit');
      await expectBadRequest(client.conversations.items.list(id, { limit: 101 }), 'limit');
      await expectBadRequest(client.conversations.items.list(id, { order: 'sideways' as never }), 'order');
      await expectBadRequest(client.conversations.items.list(id, { after: 'msg_not_here' }), 'after');
      expect((await client.conversations.items.list(id, { limit: 100 })).data).toEqual([]);
    });

    it('on an item id the conversation already holds', async () => {
      const { id } = await client.conversations.create({ items: [{ type: 'message', role: 'user', content: 'x', id: 'msg_dup' } as never] });
      await expectBadRequest(client.conversations.items.create(id, { items: [{ type: 'message', role: 'user', content: 'y', id: 'msg_dup' } as never] }), 'items[0].id');
      expect(await storedItems(id)).toHaveLength(1);
    });
  });

  it('answers 404 for an unknown conversation or item', async () => {
    const { id } = await client.conversations.create();
    const missing = 'conv_does_not_exist';
    for (const call of [
      () => client.conversations.retrieve(missing),
      () => client.conversations.update(missing, { metadata: {} }),
      () => client.conversations.delete(missing),
      () => client.conversations.items.list(missing),
      () => client.conversations.items.create(missing, { items: [{ role: 'user', content: 'x' }] }),
      () => client.conversations.items.retrieve('msg_x', { conversation_id: missing }),
      () => client.conversations.items.delete('msg_x', { conversation_id: missing }),
      () => client.conversations.items.retrieve('msg_x', { conversation_id: id }),
      () => client.conversations.items.delete('msg_x', { conversation_id: id }),
    ]) {
      const error = await rejection(call());
      expect(error).toBeInstanceOf(OpenAI.NotFoundError);
      expect(error.type).toBe('invalid_request_error');
    }
    expect(await storedItems(missing)).toEqual([]);
  });

  it('requires the gateway key', async () => {
    const count = await dataSource.getRepository(ConversationEntity).count();
    const anonymous = new OpenAI({ apiKey: 'sy-wrong-key', baseURL: `${gateway.url}/v1`, maxRetries: 0 });
    expect(await rejection(anonymous.conversations.create({ metadata: { a: 'b' } }))).toBeInstanceOf(OpenAI.AuthenticationError);
    const { id } = await client.conversations.create();
    expect(await rejection(anonymous.conversations.retrieve(id))).toBeInstanceOf(OpenAI.AuthenticationError);
    expect(await rejection(anonymous.conversations.items.list(id))).toBeInstanceOf(OpenAI.AuthenticationError);
    expect(await rejection(anonymous.conversations.delete(id))).toBeInstanceOf(OpenAI.AuthenticationError);
    expect(await dataSource.getRepository(ConversationEntity).count()).toBe(count + 1);
  });

  it('documents the routes in the OpenAPI document', async () => {
    const document = (await (await fetch(`${gateway.url}/swagger/json`)).json()) as { paths: Record<string, Record<string, unknown>> };
    expect(Object.keys(document.paths['/v1/conversations'])).toEqual(['post']);
    expect(Object.keys(document.paths['/v1/conversations/{conversation_id}']).sort()).toEqual(['delete', 'get', 'post']);
    expect(Object.keys(document.paths['/v1/conversations/{conversation_id}/items']).sort()).toEqual(['get', 'post']);
    expect(Object.keys(document.paths['/v1/conversations/{conversation_id}/items/{item_id}']).sort()).toEqual(['delete', 'get']);
  });
});
