import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsInt, IsOptional, Max, Min } from 'class-validator';
import { Type } from 'class-transformer';
import { ListPageDto } from '../list-page.dto';
import { WindowQueryDto } from '../window-query.dto';

export class DailyQueryDto extends WindowQueryDto {
  @ApiPropertyOptional({ enum: ['daily', 'weekly', 'monthly'], default: 'daily', description: 'Weeks start on Monday.' })
  @IsOptional()
  @IsIn(['daily', 'weekly', 'monthly'])
  interval?: 'daily' | 'weekly' | 'monthly';
}

export class BreakdownQueryDto extends WindowQueryDto {
  @ApiPropertyOptional({ minimum: 1, maximum: 500, default: 100, description: 'The busiest groups by requests.' })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(500)
  limit?: number;
}

/** The counters every usage figure carries. */
export class UsageTotalsDto {
  @ApiProperty() requests!: number;
  @ApiProperty({ description: 'Requests answered with a status ≥ 400 or that failed mid-way.' }) errors!: number;
  @ApiProperty() input_tokens!: number;
  @ApiProperty() output_tokens!: number;
  @ApiProperty() cached_tokens!: number;
  @ApiProperty() reasoning_tokens!: number;
  @ApiProperty({ description: 'Integer micro-dollars of the priced requests (1 USD = 1,000,000).' }) cost_micros!: number;
  @ApiProperty({ nullable: true, type: Number }) avg_latency_ms!: number | null;
}

export class UsageSummaryDto extends UsageTotalsDto {
  @ApiProperty({ enum: ['usage.summary'] }) object!: 'usage.summary';
  @ApiProperty() start!: string;
  @ApiProperty() end!: string;
  @ApiProperty({ description: 'errors / requests, 0 when there were none.' }) error_rate!: number;
}

export class UsagePeriodDto extends UsageTotalsDto {
  @ApiProperty({ description: 'First local day of the period (YYYY-MM-DD) in `tz`.', example: '2026-11-30' }) period!: string;
}

export class UsageSeriesDto {
  @ApiProperty({ enum: ['list'] }) object!: 'list';
  @ApiProperty({ enum: ['daily', 'weekly', 'monthly'] }) interval!: string;
  @ApiProperty({ example: 'UTC' }) tz!: string;
  @ApiProperty() start!: string;
  @ApiProperty() end!: string;
  @ApiProperty({ type: [UsagePeriodDto], description: 'Periods with traffic, oldest first.' }) data!: UsagePeriodDto[];
}

export class UsageGroupDto extends UsageTotalsDto {
  @ApiPropertyOptional({ nullable: true, type: String }) provider?: string | null;
  @ApiPropertyOptional({ nullable: true, type: String }) model?: string | null;
  @ApiPropertyOptional({ nullable: true, type: String }) key_id?: string | null;
  @ApiPropertyOptional({ nullable: true, type: String }) user_path?: string | null;
}

export class UsageBreakdownDto {
  @ApiProperty({ enum: ['list'] }) object!: 'list';
  @ApiProperty() start!: string;
  @ApiProperty() end!: string;
  @ApiProperty({ type: [UsageGroupDto], description: 'Busiest first.' }) data!: UsageGroupDto[];
}

export class UsageRowDto {
  @ApiProperty() id!: string;
  @ApiProperty() request_id!: string;
  @ApiProperty() created_at!: string;
  @ApiProperty({ nullable: true, type: String }) provider!: string | null;
  @ApiProperty({ nullable: true, type: String }) model!: string | null;
  @ApiProperty() endpoint!: string;
  @ApiProperty() status!: number;
  @ApiProperty() stream!: boolean;
  @ApiProperty() input_tokens!: number;
  @ApiProperty() output_tokens!: number;
  @ApiProperty() cached_tokens!: number;
  @ApiProperty() reasoning_tokens!: number;
  @ApiProperty() latency_ms!: number;
  @ApiProperty({ nullable: true, type: Number }) time_to_first_token_ms!: number | null;
  @ApiProperty({ nullable: true, type: String }) key_id!: string | null;
  @ApiProperty({ nullable: true, type: String }) user_path!: string | null;
  @ApiProperty({ nullable: true, type: String }) error_type!: string | null;
}

export class UsageLogDto extends ListPageDto {
  @ApiProperty({ type: [UsageRowDto] }) data!: UsageRowDto[];
}
