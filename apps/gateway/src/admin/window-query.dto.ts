import { ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsISO8601, IsInt, IsOptional, IsTimeZone, Max, Min } from 'class-validator';

/** A time window: `start`/`end` (ISO 8601), or the last `days`; `tz` sets day boundaries. */
export class WindowQueryDto {
  @ApiPropertyOptional({ description: 'Window start (ISO 8601, inclusive). Rounded down to the hour: analytics read hourly rollups.', example: '2026-11-01T00:00:00Z' })
  @IsOptional()
  @IsISO8601({ strict: true })
  start?: string;

  @ApiPropertyOptional({ description: 'Window end (ISO 8601, exclusive); default now.', example: '2026-12-01T00:00:00Z' })
  @IsOptional()
  @IsISO8601({ strict: true })
  end?: string;

  @ApiPropertyOptional({ description: 'The last N days up to `end` (used when `start` is absent; default 30).', minimum: 1, maximum: 400 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(400)
  days?: number;

  @ApiPropertyOptional({
    description:
      'IANA time zone for day boundaries (default UTC). Rollups are kept per UTC hour, so in a zone with a non-whole-hour offset (Asia/Kolkata, +05:30) an hour straddling local midnight counts wholly to the day it starts in.',
    example: 'Europe/Berlin',
  })
  @IsOptional()
  @IsTimeZone()
  tz?: string;
}
