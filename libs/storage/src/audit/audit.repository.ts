import { Injectable } from '@nestjs/common';
import { DataSource, In, type Repository } from 'typeorm';
import { BulkInserter } from '../database/bulk-inserter';
import { type LogPage, type LogPageQuery, pageLog } from '../database/log-query';
import { deleteCreatedBefore } from '../database/delete-created-before';
import { AuditEntryEntity } from './audit-entry.entity';
import { toAuditRow } from './audit-row';
import type { NewAuditEntry } from './new-audit-entry';

/** Audit-log columns without the bodies and headers, for list pages. */
const SUMMARY_COLUMNS = [
  'id',
  'createdAt',
  'requestId',
  'keyId',
  'keyName',
  'userPath',
  'method',
  'route',
  'path',
  'requestedModel',
  'provider',
  'model',
  'attempts',
  'status',
  'errorType',
  'errorMessage',
  'stream',
  'latencyMs',
  'timeToFirstByteMs',
  'clientIp',
  'previousResponseId',
  'conversationId',
  'bodyTruncated',
  'cache',
] as const;

/** The only place audit entries meet TypeORM. */
@Injectable()
export class AuditRepository {
  private readonly repository: Repository<AuditEntryEntity>;

  constructor(
    private readonly dataSource: DataSource,
    private readonly inserter: BulkInserter,
  ) {
    this.repository = dataSource.getRepository(AuditEntryEntity);
  }

  /** Inserts the entries as one batch that lands whole or not at all. */
  async insertMany(entries: readonly NewAuditEntry[]): Promise<void> {
    await this.inserter.write([{ target: AuditEntryEntity, rows: entries.map(toAuditRow) }]);
  }

  /** A page of entries, newest first, without bodies (see pageLog). */
  page(query: LogPageQuery): Promise<LogPage<AuditEntryEntity>> {
    const builder = this.repository.createQueryBuilder('a').select(SUMMARY_COLUMNS.map((column) => `a.${column}`));
    return pageLog(this.dataSource, builder, query);
  }

  /** One entry with its bodies, or null. */
  find(id: string): Promise<AuditEntryEntity | null> {
    // Not a uuid: PostgreSQL would refuse the comparison; no such entry either way.
    if (!/^[0-9a-f-]{36}$/i.test(id)) return Promise.resolve(null);
    return this.repository.findOne({ where: { id } });
  }

  /** Entries (without bodies) that continue a response or conversation, oldest first, at most `limit`. */
  linked(responseIds: readonly string[], conversationId: string | null, limit: number): Promise<AuditEntryEntity[]> {
    const where = [...(responseIds.length > 0 ? [{ previousResponseId: In([...responseIds]) }] : []), ...(conversationId ? [{ conversationId }] : [])];
    if (where.length === 0) return Promise.resolve([]);
    return this.repository.find({ select: Object.fromEntries(SUMMARY_COLUMNS.map((column) => [column, true])), where, order: { createdAt: 'ASC' }, take: limit });
  }

  /** Deletes entries created before `cutoff` in small statements; returns how many. Safe to repeat. */
  deleteOlderThan(cutoff: Date): Promise<number> {
    return deleteCreatedBefore(this.dataSource, this.repository, cutoff);
  }
}
