import { Injectable } from '@nestjs/common';
import { GatewayError, generateId } from '@app/core';
import { DataSource, type EntityManager, In } from 'typeorm';
import { CONVERSATION_ITEM_ID_LENGTH, CONVERSATION_ITEM_TYPE_LENGTH, ConversationItemEntity } from './conversation-item.entity';
import { normalizeConversationItems } from './conversation-items';
import { CONVERSATION_ID_LENGTH, ConversationEntity } from './conversation.entity';
import { queueSqliteWrite } from '../database/sqlite-write-queue';
import { storableText } from '../database/storable-text';
import type { ConversationItemPage, ConversationItemPageQuery, StoredConversation, StoredConversationItem } from './stored-conversation';

type Item = Record<string, unknown>;

const INSERT_CHUNK_ROWS = 1_000;

function toConversation(row: ConversationEntity): StoredConversation {
  return { id: row.id, createdAt: row.createdAt, metadata: JSON.parse(row.metadata) as Record<string, string> };
}

function toItem(row: ConversationItemEntity): StoredConversationItem {
  return { id: row.itemId, item: JSON.parse(row.item) as Item };
}

function isUniqueViolation(error: unknown): boolean {
  const driverError = (error as { driverError?: { code?: string } } | null)?.driverError;
  // 23505: PostgreSQL unique_violation; SQLITE_CONSTRAINT_* from better-sqlite3.
  return driverError?.code === '23505' || driverError?.code === 'SQLITE_CONSTRAINT_UNIQUE' || driverError?.code === 'SQLITE_CONSTRAINT_PRIMARYKEY';
}

// Ids as stored and looked up (see storableText): they arrive in URL paths and request bodies, and a
// NUL in a lookup made PostgreSQL fail the query. The JSON columns need no such care:
// JSON.stringify escapes NUL and lone surrogates.
function conversationKey(id: string): string {
  return storableText(id, CONVERSATION_ID_LENGTH);
}

function itemKey(id: string): string {
  return storableText(id, CONVERSATION_ITEM_ID_LENGTH);
}

function conversationNotFound(id: string): GatewayError {
  return new GatewayError('not_found', `No conversation found with id '${id}'.`, { param: 'conversation_id' });
}

/**
 * The only place conversations and their items meet TypeORM. Items are ordered by a
 * per-conversation position, and every multi-row write runs in one transaction.
 */
@Injectable()
export class ConversationsRepository {
  constructor(private readonly dataSource: DataSource) {}

  /**
   * Creates a conversation with its initial items (validated and given ids as appendItems does),
   * all or nothing.
   */
  async create(metadata: Record<string, string>, items: readonly unknown[] = []): Promise<{ conversation: StoredConversation; items: StoredConversationItem[] }> {
    const normalized = normalizeConversationItems(items);
    const row: ConversationEntity = {
      id: generateId('conv_', 24),
      createdAt: new Date(),
      metadata: JSON.stringify(metadata),
      nextItemPosition: normalized.length,
    };
    await this.write(() =>
      this.dataSource.transaction(async (manager) => {
        await manager.insert(ConversationEntity, row);
        await this.insertItems(manager, row.id, 0, normalized);
      }),
    );
    return { conversation: toConversation(row), items: normalized.map((item) => ({ id: item.id as string, item })) };
  }

  /** The conversation, or null when there is none with this id. */
  async find(conversationId: string): Promise<StoredConversation | null> {
    const row = await this.dataSource.getRepository(ConversationEntity).findOneBy({ id: conversationKey(conversationId) });
    return row ? toConversation(row) : null;
  }

  /** Whether a conversation with this id exists. */
  exists(conversationId: string): Promise<boolean> {
    return this.dataSource.getRepository(ConversationEntity).existsBy({ id: conversationKey(conversationId) });
  }

  /** Replaces the metadata in full; null when there is no such conversation. */
  async updateMetadata(conversationId: string, metadata: Record<string, string>): Promise<StoredConversation | null> {
    const result = await this.write(() =>
      this.dataSource.getRepository(ConversationEntity).update({ id: conversationKey(conversationId) }, { metadata: JSON.stringify(metadata) }),
    );
    return result.affected ? this.find(conversationId) : null;
  }

  /** Deletes the conversation and all its items; false when there was no such conversation. */
  delete(conversationId: string): Promise<boolean> {
    return this.write(() =>
      this.dataSource.transaction(async (manager) => {
        // The conversation row first: it waits for (and then blocks) any append holding that row,
        // so no item committed by a concurrent append survives the delete below.
        const result = await manager.delete(ConversationEntity, { id: conversationKey(conversationId) });
        if (!result.affected) return false;
        await manager.delete(ConversationItemEntity, { conversationId: conversationKey(conversationId) });
        return true;
      }),
    );
  }

  /** Every item of the conversation, oldest first ([] for an unknown conversation). */
  async listItems(conversationId: string): Promise<StoredConversationItem[]> {
    const rows = await this.dataSource.getRepository(ConversationItemEntity).find({ where: { conversationId: conversationKey(conversationId) }, order: { position: 'ASC' } });
    return rows.map(toItem);
  }

  /**
   * One page of items after the item `query.after` (exclusive) in `query.order`. An `after` that
   * is not an item of this conversation is a 400 naming `after`.
   */
  async pageItems(conversationId: string, query: ConversationItemPageQuery): Promise<ConversationItemPage> {
    const builder = this.dataSource
      .getRepository(ConversationItemEntity)
      .createQueryBuilder('item')
      .where('item.conversationId = :conversationId', { conversationId: conversationKey(conversationId) })
      .orderBy('item.position', query.order === 'asc' ? 'ASC' : 'DESC')
      .limit(query.limit + 1);
    if (query.after !== undefined) {
      const cursor = await this.findItemRow(conversationId, query.after);
      if (!cursor) throw GatewayError.invalidRequest(`No item with id '${query.after}' in conversation '${conversationId}'.`, 'after');
      builder.andWhere(query.order === 'asc' ? 'item.position > :position' : 'item.position < :position', { position: cursor.position });
    }
    const rows = await builder.getMany();
    return { items: rows.slice(0, query.limit).map(toItem), hasMore: rows.length > query.limit };
  }

  /** One item of the conversation, or null. */
  async findItem(conversationId: string, itemId: string): Promise<StoredConversationItem | null> {
    const row = await this.findItemRow(conversationId, itemId);
    return row ? toItem(row) : null;
  }

  /**
   * Appends Responses items after the conversation's last item, all or nothing. Each item is
   * validated and given an id by its type (`msg_…`, `fc_…`, …) unless it has one; the stored item
   * carries its `id` and `type`. Throws a 404 GatewayError for an unknown conversation and a 400
   * naming `<param>[i]…` for an invalid item or an id already in the conversation.
   */
  async appendItems(conversationId: string, items: readonly Item[], options: { param?: string } = {}): Promise<StoredConversationItem[]> {
    const param = options.param ?? 'items';
    const normalized = normalizeConversationItems(items, param);
    await this.write(async () => {
      // Checked before the transaction, so it only ever rolls back on a database failure (on
      // SQLite a rollback would take any statement that slipped into it along).
      if (!(await this.exists(conversationId))) throw conversationNotFound(conversationId);
      await this.rejectTakenIds(this.dataSource.manager, conversationId, normalized, param);
      await this.dataSource
        .transaction(async (manager) => {
          const start = await this.reservePositions(manager, conversationId, normalized.length);
          await this.insertItems(manager, conversationId, start, normalized);
        })
        .catch((error: unknown) => {
          // On PostgreSQL a concurrent append can take an id between the check and the insert.
          if (isUniqueViolation(error)) throw GatewayError.invalidRequest('An item id is already used in this conversation.', param);
          throw error;
        });
    });
    return normalized.map((item) => ({ id: item.id as string, item }));
  }

  /** Deletes one item; false when the conversation has no item with this id. */
  async deleteItem(conversationId: string, itemId: string): Promise<boolean> {
    const result = await this.write(() =>
      this.dataSource.getRepository(ConversationItemEntity).delete({ conversationId: conversationKey(conversationId), itemId: itemKey(itemId) }),
    );
    return Boolean(result.affected);
  }

  private write<T>(work: () => Promise<T>): Promise<T> {
    return queueSqliteWrite(this.dataSource, work);
  }

  private findItemRow(conversationId: string, itemId: string): Promise<ConversationItemEntity | null> {
    return this.dataSource.getRepository(ConversationItemEntity).findOneBy({ conversationId: conversationKey(conversationId), itemId: itemKey(itemId) });
  }

  /**
   * Bumps the conversation's next position by `count` and returns the first reserved one. The
   * UPDATE locks the conversation row until commit, so concurrent appends queue up here.
   */
  private async reservePositions(manager: EntityManager, conversationId: string, count: number): Promise<number> {
    const id = conversationKey(conversationId);
    const result = await manager.increment(ConversationEntity, { id }, 'nextItemPosition', count);
    if (!result.affected) throw conversationNotFound(conversationId);
    const row = await manager.findOneByOrFail(ConversationEntity, { id });
    return row.nextItemPosition - count;
  }

  private async rejectTakenIds(manager: EntityManager, conversationId: string, items: Item[], param: string): Promise<void> {
    if (items.length === 0) return;
    const ids = items.map((item) => itemKey(item.id as string));
    const where = { conversationId: conversationKey(conversationId), itemId: In(ids) };
    const taken = await manager.find(ConversationItemEntity, { select: { itemId: true }, where });
    if (taken.length === 0) return;
    const index = ids.indexOf(taken[0].itemId);
    throw GatewayError.invalidRequest(`An item with id '${taken[0].itemId}' already exists in this conversation.`, `${param}[${index}].id`);
  }

  private async insertItems(manager: EntityManager, conversationId: string, start: number, items: Item[]): Promise<void> {
    if (items.length === 0) return;
    const rows = items.map((item, offset) => ({
      conversationId: conversationKey(conversationId),
      position: start + offset,
      itemId: itemKey(item.id as string),
      type: storableText(item.type as string, CONVERSATION_ITEM_TYPE_LENGTH),
      item: JSON.stringify(item),
    }));
    // Chunked so a long Responses turn stays under SQLite's bind-parameter limit (5 per row).
    for (let from = 0; from < rows.length; from += INSERT_CHUNK_ROWS) {
      const chunk = rows.slice(from, from + INSERT_CHUNK_ROWS);
      await manager.createQueryBuilder().insert().into(ConversationItemEntity).values(chunk).updateEntity(false).execute();
    }
  }
}
