import { Injectable } from '@nestjs/common';
import { DataSource, In, LessThan, type Repository } from 'typeorm';
import { queueSqliteWrite } from '../database/sqlite-write-queue';
import { storableNullableText, storableText } from '../database/storable-text';
import { ResponseInputItemEntity } from './response-input-item.entity';
import { RESPONSE_TEXT_LIMITS, StoredResponseEntity } from './stored-response.entity';
import type { InputItemsPage, InputItemsQuery, StoredResponse, StoredResponsePatch } from './stored-response';

// Rows per INSERT of input items: far below SQLite's bind-parameter limit (4 columns each).
const ITEM_CHUNK = 500;
/** Statuses after which a response's row no longer changes. */
const FINISHED_STATUSES = ['completed', 'failed', 'cancelled', 'incomplete'];

/** The only place stored responses and their input items meet TypeORM. */
@Injectable()
export class ResponsesRepository {
  private readonly responses: Repository<StoredResponseEntity>;
  private readonly items: Repository<ResponseInputItemEntity>;

  constructor(private readonly dataSource: DataSource) {
    this.responses = dataSource.getRepository(StoredResponseEntity);
    this.items = dataSource.getRepository(ResponseInputItemEntity);
  }

  /** Stores a response with its input items (each carrying an `id`), in one transaction. */
  async create(response: StoredResponse, inputItems: readonly Record<string, unknown>[]): Promise<void> {
    await this.write(() =>
      this.dataSource.transaction(async (manager) => {
        await manager.insert(StoredResponseEntity, toEntity(response));
        const responseId = key(response.id);
        const rows = inputItems.map((item, position) => ({ responseId, position, itemId: key(String(item.id)), item: JSON.stringify(item) }));
        for (let start = 0; start < rows.length; start += ITEM_CHUNK) {
          await manager.insert(ResponseInputItemEntity, rows.slice(start, start + ITEM_CHUNK));
        }
      }),
    );
  }

  async find(id: string): Promise<StoredResponse | null> {
    const row = await this.responses.findOne({ where: { id: key(id) } });
    return row ? fromEntity(row) : null;
  }

  /**
   * Applies the patch only while the response is in one of `fromStatuses` (all statuses when
   * omitted); true when a row changed. Lets a worker and a cancel race without overwriting each other.
   */
  async update(id: string, patch: StoredResponsePatch, fromStatuses?: readonly string[]): Promise<boolean> {
    const values: Partial<StoredResponseEntity> = { updatedAt: new Date() };
    if (patch.status !== undefined) values.status = storableText(patch.status, RESPONSE_TEXT_LIMITS.status);
    if (patch.body !== undefined) values.body = JSON.stringify(patch.body);
    const where = fromStatuses ? { id: key(id), status: In([...fromStatuses]) } : { id: key(id) };
    const result = await this.write(() => this.responses.update(where, values));
    return (result.affected ?? 0) > 0;
  }

  /** Deletes the response and its input items; false when it did not exist. */
  async delete(id: string): Promise<boolean> {
    return this.write(() =>
      this.dataSource.transaction(async (manager) => {
        await manager.delete(ResponseInputItemEntity, { responseId: key(id) });
        const result = await manager.delete(StoredResponseEntity, { id: key(id) });
        return (result.affected ?? 0) > 0;
      }),
    );
  }

  /** Serialises writes on SQLite's single connection with every other repository's (see queueSqliteWrite). */
  private write<T>(work: () => Promise<T>): Promise<T> {
    return queueSqliteWrite(this.dataSource, work);
  }

  /** Every input item of a response, in request order. */
  async inputItems(id: string): Promise<Record<string, unknown>[]> {
    const rows = await this.items.find({ where: { responseId: key(id) }, order: { position: 'ASC' } });
    return rows.map((row) => JSON.parse(row.item) as Record<string, unknown>);
  }

  /** One page of input items; undefined when `after` names no item of this response. */
  async pageInputItems(id: string, query: InputItemsQuery): Promise<InputItemsPage | undefined> {
    const builder = this.items.createQueryBuilder('item').where('item.responseId = :id', { id: key(id) });
    if (query.after !== undefined) {
      const anchor = await this.items.findOne({ where: { responseId: key(id), itemId: key(query.after) } });
      if (!anchor) return undefined;
      builder.andWhere(`item.position ${query.order === 'asc' ? '>' : '<'} :position`, { position: anchor.position });
    }
    const rows = await builder
      .orderBy('item.position', query.order === 'asc' ? 'ASC' : 'DESC')
      .take(query.limit + 1)
      .getMany();
    return { items: rows.slice(0, query.limit).map((row) => JSON.parse(row.item) as Record<string, unknown>), hasMore: rows.length > query.limit };
  }

  /**
   * Deletes responses (and their input items) created before `cutoff` whose run is over, a batch
   * per transaction so a large backlog never holds a long lock; returns how many were deleted.
   * Queued or running background responses are left to the stale sweep.
   */
  async deleteOlderThan(cutoff: Date, batchSize = 1_000): Promise<number> {
    let deleted = 0;
    for (;;) {
      const rows = await this.responses.find({ select: { id: true }, where: { createdAt: LessThan(cutoff), status: In(FINISHED_STATUSES) }, take: batchSize });
      if (rows.length === 0) return deleted;
      const ids = rows.map((row) => row.id);
      await this.write(() =>
        this.dataSource.transaction(async (manager) => {
          await manager.delete(ResponseInputItemEntity, { responseId: In(ids) });
          await manager.delete(StoredResponseEntity, { id: In(ids) });
        }),
      );
      deleted += ids.length;
      if (rows.length < batchSize) return deleted;
    }
  }

  /** Ids of responses still in `status` that have not been updated since `before`. */
  async findStale(status: string, before: Date, limit: number): Promise<string[]> {
    const rows = await this.responses.find({ select: { id: true }, where: { status, updatedAt: LessThan(before) }, take: limit });
    return rows.map((row) => row.id);
  }
}

/**
 * An id as stored and looked up (see storableText): a client's previous_response_id or a
 * provider's response id can carry anything. JSON columns need no such care: JSON.stringify
 * escapes NUL and lone surrogates.
 */
function key(id: string): string {
  return storableText(id, RESPONSE_TEXT_LIMITS.id);
}

function toEntity(response: StoredResponse): StoredResponseEntity {
  const { request, body, ...columns } = response;
  const limits = RESPONSE_TEXT_LIMITS;
  return Object.assign(new StoredResponseEntity(), columns, {
    id: key(columns.id),
    status: storableText(columns.status, limits.status),
    provider: storableText(columns.provider, limits.provider),
    model: storableText(columns.model, limits.model),
    previousResponseId: storableNullableText(columns.previousResponseId, limits.id),
    conversationId: storableNullableText(columns.conversationId, limits.id),
    keyId: storableNullableText(columns.keyId, limits.keyId),
    userPath: storableNullableText(columns.userPath, limits.userPath),
    request: JSON.stringify(request),
    body: JSON.stringify(body),
  });
}

function fromEntity(row: StoredResponseEntity): StoredResponse {
  return {
    ...row,
    native: Boolean(row.native),
    background: Boolean(row.background),
    request: JSON.parse(row.request) as StoredResponse['request'],
    body: JSON.parse(row.body) as StoredResponse['body'],
  };
}
