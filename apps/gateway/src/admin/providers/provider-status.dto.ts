import { ApiProperty } from '@nestjs/swagger';

export class CircuitStatusDto {
  @ApiProperty({ enum: ['closed', 'open', 'half_open'] }) state!: string;
  @ApiProperty({ nullable: true, type: String, description: 'When it last opened (ISO), null if never.' }) last_opened_at!: string | null;
  @ApiProperty({ description: 'Milliseconds until an open breaker lets a trial call through.' }) retry_in_ms!: number;
}

export class RecentTrafficDto {
  @ApiProperty({ description: 'This replica, the last 5 minutes.' }) requests!: number;
  @ApiProperty() errors!: number;
  @ApiProperty() requests_per_minute!: number;
  @ApiProperty({ description: 'errors / requests, 0 when none.' }) error_rate!: number;
}

export class ProviderStatusDto {
  @ApiProperty({ example: 'openai-east' }) name!: string;
  @ApiProperty({ example: 'openai' }) type!: string;
  @ApiProperty({ example: 'openai' }) dialect!: string;
  @ApiProperty({ description: 'Without credentials or query string.' }) base_url!: string;
  @ApiProperty() model_count!: number;
  @ApiProperty({ enum: ['upstream', 'config', 'none'], description: 'Where the model list comes from.' }) models_source!: string;
  @ApiProperty({ nullable: true, type: String }) last_refresh_at!: string | null;
  @ApiProperty({ nullable: true, type: String, description: 'The last listing failed with this (the previous list is kept).' }) last_refresh_error!: string | null;
  @ApiProperty({ type: CircuitStatusDto }) circuit!: CircuitStatusDto;
  @ApiProperty({ type: RecentTrafficDto }) last_5m!: RecentTrafficDto;
}

export class ProviderStatusListDto {
  @ApiProperty({ enum: ['list'] }) object!: 'list';
  @ApiProperty({ type: [ProviderStatusDto] }) data!: ProviderStatusDto[];
}
