import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, IsString, Matches, MaxLength } from 'class-validator';

export class CacheOverviewQueryDto {
  @ApiPropertyOptional({ description: 'How far back from now: minutes, hours or days (`30m`, `24h`, `7d`; at most 400d).', default: '24h', example: '7d' })
  @IsOptional()
  @Matches(/^\d{1,6}[mhd]$/, { message: 'window must be a number followed by m, h or d (e.g. 24h)' })
  window?: string;
}

export class CacheDeleteQueryDto {
  @ApiPropertyOptional({ description: 'Only the entries of this `provider/model` (the target that served them); all entries when absent.', example: 'openai/gpt-4o-mini' })
  @IsOptional()
  @IsString()
  @MaxLength(320)
  model?: string;
}

export class CacheModelOverviewDto {
  @ApiProperty({ nullable: true, type: String }) provider!: string | null;
  @ApiProperty() model!: string;
  @ApiProperty({ description: 'Requests with a usage row in the window.' }) requests!: number;
  @ApiProperty({ description: 'Of those, answered from the cache.' }) hits!: number;
  @ApiProperty({ description: 'hits / requests, 0 when there were none.' }) hit_rate!: number;
  @ApiProperty({ description: 'Input + output tokens the hits did not spend upstream.' }) saved_tokens!: number;
  @ApiProperty({ description: 'What the hits would have cost, in micro-dollars (unpriced models count 0).' }) saved_cost_micros!: number;
}

export class CacheOverviewDto {
  @ApiProperty({ example: 'cache.overview' }) object!: 'cache.overview';
  @ApiProperty({ description: 'Window start (ISO 8601).' }) start!: string;
  @ApiProperty({ description: 'Window end (ISO 8601), now.' }) end!: string;
  @ApiProperty() requests!: number;
  @ApiProperty() hits!: number;
  @ApiProperty() hit_rate!: number;
  @ApiProperty() saved_tokens!: number;
  @ApiProperty() saved_cost_micros!: number;
  @ApiProperty({ type: [CacheModelOverviewDto], description: 'Per model, most hits first.' }) models!: CacheModelOverviewDto[];
}

export class CacheDeletedDto {
  @ApiProperty({ example: 'cache.deleted' }) object!: 'cache.deleted';
  @ApiProperty({ nullable: true, type: String, description: 'The model whose entries were deleted; null for all.' }) model!: string | null;
  @ApiProperty({ description: 'Entries deleted (index members; some may have expired already).' }) deleted!: number;
}
