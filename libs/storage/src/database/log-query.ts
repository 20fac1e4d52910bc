import type { DataSource, ObjectLiteral, SelectQueryBuilder } from 'typeorm';
import { storableText } from './storable-text';

/** Filters shared by the request logs (usage rows, audit entries): both tables name these columns alike. */
export interface LogFilters {
  readonly start?: Date;
  readonly end?: Date;
  readonly model?: string;
  readonly provider?: string;
  readonly keyId?: string;
  readonly userPath?: string;
  /** An exact HTTP status, or `error` for every status ≥ 400. */
  readonly status?: number | 'error';
  readonly requestId?: string;
}

/** One page request: newest first, continuing after `cursor` (from the previous page). */
export interface LogPageQuery extends LogFilters {
  readonly limit: number;
  readonly cursor?: string;
}

export interface LogPage<T> {
  readonly data: T[];
  /** Pass as `cursor` for the next page; null on the last page. */
  readonly nextCursor: string | null;
}

/** Thrown for a cursor this API did not hand out. */
export class InvalidCursorError extends Error {}

interface Keyed {
  readonly id: string;
  readonly createdAt: Date;
}

/**
 * Pages a log table by keyset `(created_at, id)` descending: each page is one index range scan,
 * however deep the client pages (OFFSET would re-read every skipped row). Every filter is an
 * equality on the leading column of an index ending in created_at.
 */
export async function pageLog<T extends ObjectLiteral & Keyed>(dataSource: DataSource, query: SelectQueryBuilder<T>, page: LogPageQuery): Promise<LogPage<T>> {
  const alias = query.alias;
  const instant = (value: Date): unknown => dataSource.driver.preparePersistentValue(value, query.expressionMap.mainAlias!.metadata.findColumnWithPropertyName('createdAt')!);
  if (page.start) query.andWhere(`${alias}.created_at >= :start`, { start: instant(page.start) });
  if (page.end) query.andWhere(`${alias}.created_at < :end`, { end: instant(page.end) });
  for (const [column, value] of [
    ['model', page.model],
    ['provider', page.provider],
    ['key_id', page.keyId],
    ['user_path', page.userPath],
    ['request_id', page.requestId],
  ] as const) {
    // Looked up as stored (see storableText), so a value with a NUL still finds its rows.
    if (value !== undefined) query.andWhere(`${alias}.${column} = :${column}`, { [column]: storableText(value, 2048) });
  }
  if (page.status === 'error') query.andWhere(`${alias}.status >= 400`);
  else if (page.status !== undefined) query.andWhere(`${alias}.status = :status`, { status: page.status });
  if (page.cursor) {
    const { createdAt, id } = decodeCursor(page.cursor);
    // A row comparison, which PostgreSQL turns into one index range condition on (created_at, id).
    query.andWhere(`(${alias}.created_at, ${alias}.id) < (:cursorAt, :cursorId)`, { cursorAt: instant(createdAt), cursorId: id });
  }
  const rows = await query
    .orderBy(`${alias}.created_at`, 'DESC')
    .addOrderBy(`${alias}.id`, 'DESC')
    .limit(page.limit + 1)
    .getMany();
  const hasMore = rows.length > page.limit;
  const data = hasMore ? rows.slice(0, page.limit) : rows;
  return { data, nextCursor: hasMore ? encodeCursor(data[data.length - 1]) : null };
}

function encodeCursor(row: Keyed): string {
  return Buffer.from(`${row.createdAt.toISOString()}|${row.id}`).toString('base64url');
}

function decodeCursor(cursor: string): { createdAt: Date; id: string } {
  const [at, id, extra] = Buffer.from(cursor, 'base64url').toString('utf8').split('|');
  const createdAt = new Date(at);
  if (extra !== undefined || !id || !/^[0-9a-f-]{36}$/i.test(id) || Number.isNaN(createdAt.getTime())) throw new InvalidCursorError('The cursor is not one this API returned.');
  return { createdAt, id };
}
