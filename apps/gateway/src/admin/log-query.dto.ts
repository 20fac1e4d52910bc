import { ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsISO8601, IsInt, IsOptional, IsString, Matches, Max, MaxLength, Min } from 'class-validator';
import { GatewayError } from '@app/core';
import type { LogPageQuery } from '@app/storage';

/** Filters and page of a request log (audit or usage), newest first. */
export class LogQueryDto {
  @ApiPropertyOptional({ description: 'Entries at or after (ISO 8601).' }) @IsOptional() @IsISO8601({ strict: true }) start?: string;
  @ApiPropertyOptional({ description: 'Entries before (ISO 8601).' }) @IsOptional() @IsISO8601({ strict: true }) end?: string;
  @ApiPropertyOptional({ description: 'The model that answered (as sent upstream).' }) @IsOptional() @IsString() @MaxLength(255) model?: string;
  @ApiPropertyOptional({ description: 'Configured provider name.' }) @IsOptional() @IsString() @MaxLength(64) provider?: string;
  @ApiPropertyOptional({ description: 'Key id (`master`, or a managed key id).' }) @IsOptional() @IsString() @MaxLength(64) key_id?: string;
  @ApiPropertyOptional({ description: 'User path, exact.' }) @IsOptional() @IsString() @MaxLength(255) user_path?: string;

  @ApiPropertyOptional({ description: 'An HTTP status, or `error` for every status ≥ 400.', example: 'error' })
  @IsOptional()
  @Matches(/^(error|[1-5]\d\d)$/, { message: 'status must be an HTTP status (100-599) or `error`' })
  status?: string;

  @ApiPropertyOptional({ description: 'Exact request id (X-Request-ID).' }) @IsOptional() @IsString() @MaxLength(128) request_id?: string;

  @ApiPropertyOptional({ minimum: 1, maximum: 200, default: 50 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(200)
  limit?: number;

  @ApiPropertyOptional({ description: '`next_cursor` of the previous page.' }) @IsOptional() @IsString() @MaxLength(200) cursor?: string;
}

/** The storage query of a validated LogQueryDto. */
export function toLogPageQuery(query: LogQueryDto): LogPageQuery {
  const start = query.start ? new Date(query.start) : undefined;
  const end = query.end ? new Date(query.end) : undefined;
  if (start && end && start >= end) throw GatewayError.invalidRequest('`start` must be before `end`.', 'start');
  return {
    start,
    end,
    model: query.model,
    provider: query.provider,
    keyId: query.key_id,
    userPath: query.user_path,
    status: query.status === undefined ? undefined : query.status === 'error' ? 'error' : Number(query.status),
    requestId: query.request_id,
    limit: query.limit ?? 50,
    cursor: query.cursor,
  };
}
